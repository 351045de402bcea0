// Shown notifications kept referenced, so a click handler is not garbage-collected with its
// notification. A toast dismissed into the Action Center / Notification Center can still be
// clicked later, so one is dropped on its click, not on `close`; the set is bounded (the newest
// `max`, none older than `maxAgeMs`), so forgotten ones do not pile up.
export class KeptNotifications<T> {
  private readonly kept = new Map<T, number>()

  constructor(
    private readonly now: () => number,
    private readonly max = 20,
    private readonly maxAgeMs = 24 * 3600_000
  ) {}

  keep(item: T): void {
    const now = this.now()
    this.kept.delete(item)
    this.kept.set(item, now)
    for (const [old, at] of this.kept) {
      if (this.kept.size <= this.max && now - at <= this.maxAgeMs) break
      this.kept.delete(old) // oldest first (a Map keeps insertion order)
    }
  }

  /** Clicked: it has done its work. */
  drop(item: T): void {
    this.kept.delete(item)
  }

  has(item: T): boolean {
    return this.kept.has(item)
  }

  get size(): number {
    return this.kept.size
  }
}
