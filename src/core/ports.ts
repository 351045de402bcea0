// The ports the engine takes from outside (ARCHITECTURE.md, "Ports"). Tests pass fakes.

import { setMaxListeners } from 'node:events'

export type TimerHandle = { readonly __timer: unique symbol } | ReturnType<typeof setTimeout>

export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  /** Milliseconds that never jump with the wall clock, to measure how long something took (default: now()). */
  monotonic?(): number
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    // Timers never keep a CLI process alive on their own; open work does.
    t.unref?.()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void
}

export const silentLogger: Logger = { log: () => {} }

/** Resolves after `ms` on the given clock; rejects with the signal's reason when aborted. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = (): void => {
      clock.clearTimeout(handle)
      reject(signal?.reason)
    }
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * An AbortController whose signal every in-flight request of the engine listens to (each removes
 * its listener when it ends). A batch has hundreds of requests waiting at once, which is by design,
 * so Node's "possible memory leak" warning at 11 listeners does not apply to it.
 */
export function sharedAbortController(): AbortController {
  const ac = new AbortController()
  setMaxListeners(0, ac.signal)
  return ac
}

/** Calls `fn` every `ms` on the given clock until the returned function is called. */
export function every(clock: Clock, ms: number, fn: () => void): () => void {
  let handle: TimerHandle | null = null
  let stopped = false
  const tick = (): void => {
    if (stopped) return
    handle = clock.setTimeout(() => {
      fn()
      tick()
    }, ms)
  }
  tick()
  return () => {
    stopped = true
    if (handle) clock.clearTimeout(handle)
  }
}
