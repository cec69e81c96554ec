import pino from 'pino'

/** Lines are handed to the file descriptor's writer in batches of about this many bytes. */
const BATCH_BYTES = 64 * 1024

/**
 * Where pino writes its lines: gathered here and passed to pino's asynchronous destination (sonic-boom)
 * about 64 KiB at a time, at least every `intervalMs`, and on `close`. Handing sonic-boom one line at a
 * time costs it a measure of its whole pending buffer per line (1.5 µs a line at 4 KiB, more than pino
 * spends formatting it); a batch costs that once.
 */
export class BatchedLogDestination {
  private lines: string[] = []
  private size = 0
  private readonly sink = pino.destination({ sync: false })
  private readonly timer: NodeJS.Timeout

  constructor(intervalMs: number) {
    this.timer = setInterval(() => this.drain(), intervalMs).unref()
  }

  write(line: string): void {
    this.lines.push(line)
    // Lengths in UTF-16 units: a batch is a little larger than 64 KiB when lines are not ASCII, which is fine.
    this.size += line.length
    if (this.size >= BATCH_BYTES) this.drain()
  }

  /** Everything written so far goes out synchronously (for shutdown). */
  close(): void {
    clearInterval(this.timer)
    this.drain()
    try {
      this.sink.flushSync()
    } catch {
      // Not open yet (nothing was ever written): nothing to flush.
    }
  }

  private drain(): void {
    if (this.lines.length === 0) return
    const batch = this.lines.join('')
    this.lines = []
    this.size = 0
    this.sink.write(batch)
  }
}
