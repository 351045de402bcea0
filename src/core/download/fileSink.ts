// Writes downloaded bytes at explicit positions. Normally synchronously, straight from the
// socket's read buffer (no copy, no thread-pool round trip: the fastest path into the page
// cache). When a write is slow (the disk is behind and the kernel throttles writers), the next
// 16 MiB go through background writes with the socket paused, so the event loop is never
// held up for long; then it tries the fast path again.
// Every 64 MiB it starts an fdatasync in the background, so the final fsync has little left
// to flush and a crash loses little. (64 MiB rather than 256: the final fsync has less left to
// write; a small gain in bench/download.ts.)
import { fdatasync, write, writeSync } from 'node:fs'
import { systemClock } from '../ports'

/** A synchronous write slower than this sends the next BACKGROUND_SPAN bytes to background writes. */
const SLOW_WRITE_MS = 50
const BACKGROUND_SPAN = 16 * 1024 * 1024
const FLUSH_EVERY = 64 * 1024 * 1024
/** Largest single write: on Linux, 1 MiB writes into the page cache cost ~2x the kernel time of 256 KiB ones. */
const WRITE_SLICE = 256 * 1024

export class FileSink {
  /** Position up to which writes go through the thread pool. */
  private backgroundUntil = -1
  private busy = false
  private flushing = false
  private flushedAt: number
  private idle: (() => void) | null = null

  constructor(
    private readonly fd: number,
    private position: number,
    private readonly onDrain: () => void,
    private readonly onError: (err: NodeJS.ErrnoException) => void
  ) {
    this.flushedAt = position
  }

  /**
   * Writes `buf[start, end)`. Returns true when done; false when it continues in the background
   * (`buf` must stay untouched until onDrain). Throws the errno error of a synchronous write.
   */
  write(buf: Buffer, start: number, end: number): boolean {
    if (this.position >= this.backgroundUntil) {
      const t = systemClock.monotonic!()
      let off = start
      while (off < end) {
        const n = writeSync(this.fd, buf, off, Math.min(WRITE_SLICE, end - off), this.position)
        off += n
        this.position += n
      }
      if (systemClock.monotonic!() - t > SLOW_WRITE_MS) this.backgroundUntil = this.position + BACKGROUND_SPAN
      this.maybeFlush()
      return true
    }
    this.busy = true
    const step = (off: number): void => {
      write(this.fd, buf, off, end - off, this.position, (err, n) => {
        if (err) {
          this.busy = false
          this.onError(err)
          this.settle()
          return
        }
        this.position += n
        if (off + n < end) return step(off + n)
        this.busy = false
        this.maybeFlush()
        this.onDrain()
        this.settle()
      })
    }
    step(start)
    return false
  }

  /** Runs `fn` once no background write or flush is in flight. */
  whenIdle(fn: () => void): void {
    this.idle = fn
    this.settle()
  }

  private maybeFlush(): void {
    if (this.flushing || this.position - this.flushedAt < FLUSH_EVERY) return
    this.flushing = true
    this.flushedAt = this.position
    // Errors surface in the final fsync.
    fdatasync(this.fd, () => {
      this.flushing = false
      this.settle()
    })
  }

  private settle(): void {
    if (this.busy || this.flushing || !this.idle) return
    const fn = this.idle
    this.idle = null
    fn()
  }
}
