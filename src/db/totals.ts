import { sql } from 'kysely'
import type { Db } from './connect.js'
import { preparedFirst } from './prepared.js'

/** A table's stored total, inactive rows and generation (moved by the table's triggers, in the writers' transactions). */
export interface TableTotals {
  total: number
  inactive: number
  generation: number
}

const totalsRow = preparedFirst(
  (db: Db, name: string) => db.selectFrom('table_totals').select(['total', 'inactive', 'generation']).where('name', '=', name),
  { shared: true },
)

/** One primary-key lookup. */
export async function readTotals(db: Db, name: string): Promise<TableTotals> {
  const row = await totalsRow(db, name)
  if (row === undefined) throw new Error(`table_totals has no row ${name}`)
  return { total: Number(row.total), inactive: Number(row.inactive), generation: Number(row.generation) }
}

/**
 * Values computed from a table (filtered counts, the ids of a filtered page), valid for one generation of
 * it. Every write that could change such a value bumps the generation in the database, in its own
 * transaction, so every process sees a stale entry as a miss. A value must be computed from a snapshot no
 * older than the generation it is stored under: callers read the generation first, then compute.
 */
export class GenerationCache<T> {
  private readonly entries = new Map<string, { generation: number; value: T; weight: number }>()
  private weight = 0

  /** At most `capacity` entries and, with `weigh`, at most `budget` of their summed weights. */
  constructor(
    private readonly capacity = 10_000,
    private readonly weigh?: (value: T) => number,
    private readonly budget = Infinity,
  ) {}

  get(key: string, generation: number): T | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined || entry.generation !== generation) return undefined
    // Most recently used last: the map's insertion order is the eviction order.
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.value
  }

  /** The value for `key` and `generation`, computed (and kept) on a miss. */
  async through(key: string, generation: number, compute: () => Promise<T>): Promise<T> {
    const found = this.get(key, generation)
    if (found !== undefined) return found
    const value = await compute()
    this.set(key, generation, value)
    return value
  }

  set(key: string, generation: number, value: T): void {
    const current = this.entries.get(key)
    // A slower request must not replace a newer generation's value with an older one.
    if (current !== undefined && current.generation > generation) return
    if (current !== undefined) this.remove(key, current.weight)
    const weight = this.weigh?.(value) ?? 0
    if (weight > this.budget) return
    this.entries.set(key, { generation, value, weight })
    this.weight += weight
    while (this.entries.size > this.capacity || this.weight > this.budget) {
      const [oldest, entry] = this.entries.entries().next().value as [string, { weight: number }]
      this.remove(oldest, entry.weight)
    }
  }

  private remove(key: string, weight: number): void {
    this.entries.delete(key)
    this.weight -= weight
  }
}

const caches = new WeakMap<Db, Map<string, GenerationCache<unknown>>>()

/** One named cache on one database connection (so that two apps in one process never share one). */
function generationCache<T>(
  db: Db,
  name: string,
  make: () => GenerationCache<T> = () => new GenerationCache<T>(),
): GenerationCache<T> {
  let byName = caches.get(db)
  if (byName === undefined) caches.set(db, (byName = new Map()))
  let cache = byName.get(name)
  if (cache === undefined) byName.set(name, (cache = make() as GenerationCache<unknown>))
  return cache as GenerationCache<T>
}

/** Filtered counts of a table, by normalised filter. */
export function countCache(db: Db, table: string): GenerationCache<number> {
  return generationCache<number>(db, `count:${table}`)
}

/**
 * Pages of a table's rows, by normalised filter, ordering and page. Only for rows whose every shown column
 * bumps the generation when it changes; the cached rows are shared, so callers must not modify them.
 */
export function pageCache<T>(db: Db, table: string): GenerationCache<readonly T[]> {
  return generationCache<readonly T[]>(db, `page:${table}`)
}

/** Any other value derived from a table (a feed page's ids and total), by key. */
export function valueCache<T>(db: Db, name: string): GenerationCache<T> {
  return generationCache<T>(db, `value:${name}`)
}

/** As valueCache, for values too large to keep 10,000 of: at most `budget` of their summed `weigh`. */
export function weighedValueCache<T>(db: Db, name: string, weigh: (value: T) => number, budget: number): GenerationCache<T> {
  return generationCache<T>(db, `value:${name}`, () => new GenerationCache<T>(10_000, weigh, budget))
}

/** Recounts the stored totals from the rows, for bulk loads that bypass the triggers (the seed). */
export async function recountTotals(db: Db): Promise<void> {
  await db
    .updateTable('table_totals')
    .set((eb) => ({
      total: eb.selectFrom('users').select(eb.fn.countAll<number>().as('n')).where('is_active', '=', sql.lit(true)),
      inactive: eb.selectFrom('users').select(eb.fn.countAll<number>().as('n')).where('is_active', '=', sql.lit(false)),
      generation: sql<number>`generation + 1`,
    }))
    .where('name', '=', 'users')
    .execute()
  await db
    .updateTable('table_totals')
    .set((eb) => ({
      total: eb.selectFrom('posts').select(eb.fn.countAll<number>().as('n')),
      generation: sql<number>`generation + 1`,
    }))
    .where('name', '=', 'posts')
    .execute()
  // Kept on SQLite only (migration 0010); every cached page of posts is stale after a load.
  await db
    .updateTable('table_totals')
    .set({ generation: sql<number>`generation + 1` })
    .where('name', '=', 'post_rows')
    .execute()
}
