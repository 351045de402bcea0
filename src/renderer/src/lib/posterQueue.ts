// Makes missing library posters at most `concurrency` at a time, each item once, and only for
// cards still on screen: a card that scrolls away before its turn is dropped from the queue.
export type PosterMaker = (id: string) => Promise<void>

export class PosterQueue {
  private readonly waiting: string[] = []
  private readonly running = new Set<string>()
  /** Ids attempted (made or failed): never tried again in this session. */
  private readonly tried = new Set<string>()
  private readonly visible = new Set<string>()

  constructor(
    private readonly make: PosterMaker,
    private readonly concurrency = 2
  ) {}

  /** A card without a poster came on screen. */
  show(id: string): void {
    this.visible.add(id)
    if (this.tried.has(id) || this.running.has(id) || this.waiting.includes(id)) return
    this.waiting.push(id)
    this.pump()
  }

  /** The card left the screen: forget it unless its poster is already being made. */
  hide(id: string): void {
    this.visible.delete(id)
    const i = this.waiting.indexOf(id)
    if (i >= 0) this.waiting.splice(i, 1)
  }

  get active(): number {
    return this.running.size
  }

  get queued(): readonly string[] {
    return this.waiting
  }

  hasTried(id: string): boolean {
    return this.tried.has(id)
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift() as string
      if (!this.visible.has(id)) continue
      this.running.add(id)
      this.tried.add(id)
      void this.make(id)
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(id)
          this.pump()
        })
    }
  }
}
