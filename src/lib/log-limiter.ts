/** The part of a pino logger the limiter needs. */
export interface LineLogger {
  error(object: object, message: string): void
  warn(object: object, message: string): void
}

interface Window {
  suppressed: number
  logger: LineLogger
  level: 'error' | 'warn'
  object: object
  message: string
}

const windows = new Map<string, Window>()

/**
 * Logs the first line of each kind at once, then at most one line per kind per `intervalMs`, which
 * carries how many identical lines were left out: an outage under load writes a few lines, not megabytes.
 */
export function logLimited(
  logger: LineLogger,
  level: 'error' | 'warn',
  kind: string,
  object: object,
  message: string,
  intervalMs = 1000,
): void {
  const open = windows.get(kind)
  if (open !== undefined) {
    open.suppressed += 1
    Object.assign(open, { logger, level, object, message })
    return
  }
  logger[level](object, message)
  const window: Window = { suppressed: 0, logger, level, object, message }
  windows.set(kind, window)
  const flush = (): void => {
    if (window.suppressed === 0) {
      windows.delete(kind)
      return
    }
    window.logger[window.level]({ ...window.object, suppressed: window.suppressed }, `${window.message} (repeated)`)
    window.suppressed = 0
    setTimeout(flush, intervalMs).unref()
  }
  setTimeout(flush, intervalMs).unref()
}
