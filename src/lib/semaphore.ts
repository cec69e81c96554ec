/** At most `limit` tasks run at once; the others wait their turn in arrival order. */
export class Semaphore {
  #running = 0
  readonly #waiting: (() => void)[] = []

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#running++
    try {
      return await task()
    } finally {
      const next = this.#waiting.shift()
      // The slot passes straight to the next task, so a newcomer cannot overtake it.
      if (next === undefined) this.#running--
      else next()
    }
  }
}
