import { AsyncResource } from 'node:async_hooks'

// Holds the object for the life of the process; see keepTickShape.
const kept: object[] = []

/**
 * Keeps alive one object shaped like the entries of Node's `process.nextTick` queue, so that the hidden
 * classes (V8 maps) those entries share are never collected.
 *
 * Each request to the HTTP server schedules several ticks (Node ending the request stream, closing it, finishing
 * the response). An entry is `{[async_id_symbol], [trigger_async_id_symbol], callback, args}`, and V8 keeps the
 * maps of such objects only while some object has them. A garbage collection that happens while no entry
 * is queued drops them, and the next tick builds new ones. Once `nextTick` has met more than four of them, V8
 * stops specialising it and builds every entry through the runtime. That happened in every start of this
 * service we measured (a busy startup collects often), and cost 18 % of a profile read's
 * instructions. The bare Fastify server fell into the same state in some starts. One kept entry makes the
 * maps permanent. The two symbols are Node's own, read from an AsyncResource, which carries the same pair.
 *
 * Returns the kept object, or undefined when this Node version does not expose the symbols (that costs speed,
 * not correctness).
 */
export function keepTickShape(): object | undefined {
  const symbols = Object.getOwnPropertySymbols(new AsyncResource('tick-shape'))
  const asyncId = symbols.find((symbol) => symbol.description === 'async_id_symbol')
  const triggerAsyncId = symbols.find((symbol) => symbol.description === 'trigger_async_id_symbol')
  if (asyncId === undefined || triggerAsyncId === undefined) return undefined
  // Numbers outside the small-integer range, as Node's async ids are stored: the fields keep the same representation.
  const entry = { [asyncId]: 2 ** 40, [triggerAsyncId]: 2 ** 40, callback: () => {}, args: undefined }
  kept.push(entry)
  return entry
}
