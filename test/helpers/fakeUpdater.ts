// An Updater (src/app/updates.ts) that behaves as electron-updater does, step by step under the
// test's control: a check emits `checking`, then `available` or `notAvailable` — or `error` AND a
// rejected promise, as electron-updater reports a failed check twice. A download waits for the
// test to send progress and finish (or fail) it. test/app/updaterPort.test.ts checks these
// sequences against the real electron-updater and a local feed.
import type { Updater, UpdaterEvent } from '../../src/app/updates'

/** Compares dotted versions ("0.10.0" > "0.9.1"). */
function newer(a: string, b: string): boolean {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d > 0
  }
  return false
}

export class FakeUpdater implements Updater {
  /** The version the feed offers. */
  latest: string
  /** The next checks fail with this (null: they answer). */
  checkError: Error | null = null
  /** false: "the updater is not active here" (electron-updater's null answer). */
  active = true
  /** Thrown by quitAndInstall's install (electron-updater reports it as an `error` event). */
  installError: Error | null = null
  checks = 0
  downloads = 0
  installs = 0
  readonly events: UpdaterEvent['type'][] = []
  private readonly listeners = new Set<(e: UpdaterEvent) => void>()
  private download: { resolve: () => void; reject: (e: Error) => void; version: string } | null = null

  constructor(
    readonly current: string,
    latest = current
  ) {
    this.latest = latest
  }

  on(fn: (e: UpdaterEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  async checkForUpdates(): Promise<boolean> {
    this.checks++
    if (!this.active) return false
    this.emit({ type: 'checking' })
    await Promise.resolve() // the feed answers a moment later
    if (this.checkError) {
      this.emit({ type: 'error', error: this.checkError })
      throw this.checkError
    }
    if (newer(this.latest, this.current)) this.emit({ type: 'available', version: this.latest })
    else this.emit({ type: 'notAvailable', version: this.latest })
    return true
  }

  downloadUpdate(): Promise<void> {
    this.downloads++
    const version = this.latest
    return new Promise<void>((resolve, reject) => {
      this.download = { resolve, reject, version }
    })
  }

  /** Whether a download is under way. */
  get downloading(): boolean {
    return this.download !== null
  }

  progress(percent: number, total = 80_000_000): void {
    this.emit({ type: 'progress', percent, transferred: Math.round((total * percent) / 100), total, bytesPerSecond: 2_000_000 })
  }

  finishDownload(): void {
    const d = this.take()
    this.progress(100)
    this.emit({ type: 'downloaded', version: d.version })
    d.resolve()
  }

  /** An error after `downloaded`, as Squirrel.Mac reports one when it refuses the update (an unsigned app). */
  errorAfterDownload(error: Error): void {
    this.emit({ type: 'error', error })
  }

  failDownload(error: Error): void {
    const d = this.take()
    this.emit({ type: 'error', error })
    d.reject(error)
  }

  quitAndInstall(): void {
    if (this.installError) {
      this.emit({ type: 'error', error: this.installError })
      return
    }
    this.installs++
  }

  private take(): NonNullable<FakeUpdater['download']> {
    const d = this.download
    if (!d) throw new Error('no download under way')
    this.download = null
    return d
  }

  private emit(e: UpdaterEvent): void {
    this.events.push(e.type)
    for (const fn of this.listeners) fn(e)
  }
}

/** The engine's "videos being written" signal, moved by the test. */
export class FakeDownloads {
  private n = 0
  private readonly listeners = new Set<() => void>()

  count(): number {
    return this.n
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  set(n: number): void {
    this.n = n
    for (const fn of this.listeners) fn()
  }
}

/** An error shaped as electron-updater / Node make them. */
export function codedError(message: string, code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra })
}
