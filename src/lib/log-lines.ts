import pino from 'pino'

/** Lines are handed to the file descriptor's writer in batches of about this many bytes. */
const BATCH_BYTES = 64 * 1024
/** The most bytes one UTF-16 code unit can take in UTF-8. */
const MAX_BYTES_PER_UNIT = 3

/**
 * Where pino writes its lines: encoded here into a 64 KiB buffer and passed to pino's asynchronous
 * destination (sonic-boom, in its buffer mode) when the buffer is full, at least every `intervalMs`, and on
 * `close`. Handing sonic-boom one line at a time costs it a measure of its whole pending buffer per line;
 * handing it a 64 KiB string cost four passes over it (a join, a length, the write's encoding, and an
 * encoding again when the write completes): 2.1–2.3 µs a line against 1.8 µs now, with the formatting.
 */
export class BatchedLogDestination {
  private buffer = Buffer.allocUnsafe(BATCH_BYTES)
  private used = 0
  private readonly sink: ReturnType<typeof pino.destination>
  private readonly timer: NodeJS.Timeout
  /** Bytes handed to sonic-boom, and bytes it has written. */
  private handed = 0
  private written = 0

  /** `fd`: where the lines go, standard output by default. */
  constructor(intervalMs: number, fd = 1) {
    this.sink = pino.destination({ dest: fd, sync: false, contentMode: 'buffer' })
    this.sink.on('write', (bytes: number) => (this.written += bytes))
    this.timer = setInterval(() => this.drain(), intervalMs).unref()
  }

  write(line: string): void {
    const room = line.length * MAX_BYTES_PER_UNIT
    if (this.used + room > BATCH_BYTES) {
      this.drain()
      if (room > BATCH_BYTES) {
        this.send(Buffer.from(line))
        return
      }
    }
    this.used += this.buffer.write(line, this.used)
  }

  /**
   * Everything written so far goes out (for shutdown). A write still in flight on the thread pool is waited for
   * first (at most `waitMs`): sonic-boom's flushSync would write the rest beside it, out of order, and an exit
   * right after could lose it.
   */
  async close(waitMs = 2000): Promise<void> {
    clearInterval(this.timer)
    this.drain()
    if (this.written < this.handed) {
      let timer: NodeJS.Timeout | undefined
      await new Promise<void>((resolve) => {
        this.sink.once('drain', resolve)
        this.sink.once('error', resolve)
        timer = setTimeout(resolve, waitMs)
      })
      clearTimeout(timer)
    }
    try {
      this.sink.flushSync()
    } catch {
      // Not open yet (nothing was ever written): nothing to flush.
    }
  }

  private drain(): void {
    if (this.used === 0) return
    // sonic-boom keeps the batch until it is written: the next lines go into a new buffer.
    const batch = this.buffer.subarray(0, this.used)
    this.buffer = Buffer.allocUnsafe(BATCH_BYTES)
    this.used = 0
    this.send(batch)
  }

  private send(bytes: Buffer): void {
    this.handed += bytes.length
    // In its buffer mode sonic-boom takes Buffers, though its types name strings only.
    this.sink.write(bytes as unknown as string)
  }
}
