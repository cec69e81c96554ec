import { createConnection, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP relay in front of PostgreSQL that can cut every connection (reset) or freeze them all
 * (a partition: nothing is lost, nothing arrives, until `thaw`).
 */
export class Relay {
  private readonly server: Server
  private readonly pairs = new Set<[Socket, Socket | undefined]>()
  private frozen = false
  private readonly held: Socket[] = []

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = createServer((client) => (this.frozen ? this.held.push(client) : this.pipe(client)))
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    return (this.server.address() as { port: number }).port
  }

  private pipe(client: Socket): void {
    client.on('error', () => {})
    if (client.destroyed) return
    const upstream = createConnection(this.targetPort, this.targetHost)
    upstream.on('error', () => client.destroy())
    const pair: [Socket, Socket] = [client, upstream]
    this.pairs.add(pair)
    client.pipe(upstream)
    upstream.pipe(client)
    const forget = (): void => {
      this.pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('close', forget)
    upstream.on('close', forget)
  }

  /** Every open connection ends with a TCP reset. */
  reset(): void {
    for (const [client, upstream] of this.pairs) {
      client.resetAndDestroy()
      upstream?.resetAndDestroy()
    }
  }

  freeze(): void {
    this.frozen = true
    for (const [client, upstream] of this.pairs) {
      client.pause()
      upstream?.pause()
    }
  }

  thaw(): void {
    this.frozen = false
    for (const [client, upstream] of this.pairs) {
      client.resume()
      upstream?.resume()
    }
    for (const client of this.held.splice(0)) this.pipe(client)
  }

  async close(): Promise<void> {
    this.reset()
    for (const client of this.held.splice(0)) client.destroy()
    await new Promise((resolve) => this.server.close(resolve))
  }
}
