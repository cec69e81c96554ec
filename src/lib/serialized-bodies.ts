import type { FastifyReply } from 'fastify'

const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * Response bodies serialized once per shared result (a cached page that every anonymous caller gets as one
 * and the same array) and sent again while that result lives: its cache replaces it, and drops the body with
 * it, when the data changes. `key` names whatever else the body is built from (page numbers, the total).
 */
export class SerializedBodies {
  private readonly bodies = new WeakMap<object, { key: string; body: string }>()

  /** Sends the body for `source` and `key`, serializing `build()` with the route's response schema on a miss. */
  send(reply: FastifyReply, source: object, key: string, build: () => unknown): FastifyReply {
    const cached = this.bodies.get(source)
    if (cached !== undefined && cached.key === key) return reply.type(JSON_TYPE).send(cached.body)
    const serialized = reply.serialize(build())
    if (typeof serialized === 'string') this.bodies.set(source, { key, body: serialized })
    // Serialized output with a JSON content type is sent as it is.
    return reply.type(JSON_TYPE).send(serialized)
  }
}
