// Reads test/fixtures/cometapi/fixtures.json and the tiny images beside it for the adapter tests.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadImage } from '../../src/core/images/imageProbe'
import type { LoadedImage } from '../../src/core/adapters/types'

const all: unknown = JSON.parse(readFileSync(join(__dirname, '../fixtures/cometapi/fixtures.json'), 'utf8'))

/** The value at a dotted path (`sora.poll_responses.queued`); throws when the fixture lacks it. */
export function fx(path: string): unknown {
  let v: unknown = all
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || !(key in v)) throw new Error(`fixture has no ${path}`)
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

export function fxRecord(path: string): Record<string, unknown> {
  const v = fx(path)
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${path} is not an object`)
  return v as Record<string, unknown>
}

/** Every named body under a `poll_responses`-like key, as [name, body] pairs. */
export function bodies(path: string): [string, unknown][] {
  return Object.entries(fxRecord(path))
}

/** A deep copy, so a test can alter a fixture body without touching the others. */
export function copy<T>(v: T): T {
  return structuredClone(v)
}

export function loaded(name: string): Promise<LoadedImage> {
  return loadImage(join(__dirname, '../fixtures/images', name))
}

/** What each fixture key name means, for the fixtures whose keys say the state. */
export const STATE_OF_KEY: Record<string, string> = {
  queued: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  error: 'failed'
}
