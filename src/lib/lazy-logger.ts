import type { FastifyBaseLogger } from 'fastify'

type Bindings = Record<string, unknown>
type LogFn = FastifyBaseLogger['info']
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/**
 * A request's logger, made only when the request first logs: a pino child costs about 1 µs (its bindings
 * are serialized up front), and most requests never log through it (the access line has its own logger).
 */
export class LazyChildLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined
  declare fatal: LogFn
  declare error: LogFn
  declare warn: LogFn
  declare info: LogFn
  declare debug: LogFn
  declare trace: LogFn
  declare silent: LogFn

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: object,
  ) {}

  /** The pino child, made on first use. */
  real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options))
  }

  get level(): string {
    return this.made?.level ?? (this.options as { level?: string }).level ?? this.parent.level
  }

  set level(level: string) {
    this.real().level = level
  }

  child(bindings: Bindings, options?: object): FastifyBaseLogger {
    return this.real().child(bindings, options)
  }
}

// On the prototype, not per instance: a request allocates one small object, no closures.
for (const level of LEVELS) {
  LazyChildLogger.prototype[level] = function (this: LazyChildLogger, ...args: Parameters<LogFn>) {
    this.real()[level](...args)
  } as LogFn
}
