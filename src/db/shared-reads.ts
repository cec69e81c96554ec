/**
 * Concurrent identical reads answered by one query, never by one older than the caller: a caller joins the
 * next read to be sent, not one already on its way, so the answer always comes from a snapshot taken after
 * the caller arrived — what its own query would have seen. At most one read per key is in flight; under
 * load each round trip answers every caller that arrived during the previous one.
 */
export class SharedReads<V> {
  private readonly sent = new Map<string, Promise<V>>()
  private readonly waiting = new Map<string, Promise<V>>()

  read(key: string, run: () => Promise<V>): Promise<V> {
    const waiting = this.waiting.get(key)
    if (waiting !== undefined) return waiting
    const sent = this.sent.get(key)
    if (sent === undefined) return this.send(key, run)
    const next = sent.then(
      () => this.sendWaiting(key, run),
      () => this.sendWaiting(key, run),
    )
    this.waiting.set(key, next)
    return next
  }

  private sendWaiting(key: string, run: () => Promise<V>): Promise<V> {
    this.waiting.delete(key)
    return this.send(key, run)
  }

  private send(key: string, run: () => Promise<V>): Promise<V> {
    const read = run()
    this.sent.set(key, read)
    const done = (): void => {
      if (this.sent.get(key) === read) this.sent.delete(key)
    }
    read.then(done, done)
    return read
  }
}
