// Starts a fake CometAPI and an engine pointed at it, in a fresh temp folder.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine, type EngineOptions } from '../../src/core/engine'
import type { TimingOptions } from '../../src/core/jobs/timing'
import type { Logger } from '../../src/core/ports'
import type { JobSpec, JobView } from '../../src/shared/jobs'
import { startFakeCometApi, type FakeCometApi, type FakeOptions } from '../fake-cometapi/server'

export const KEY = 'sk-test-good'
export const FIXTURES = join(import.meta.dirname, '../fixtures')

export interface Harness {
  fake: FakeCometApi
  dir: string
  engine: Engine
  logs: string[]
  /** The timing the engine was made with. */
  timing: TimingOptions
  /** A new engine on the same folder (a restart). */
  restart(opts?: Partial<EngineOptions>): Promise<Engine>
  cleanup(): Promise<void>
}

export function captureLogger(lines: string[]): Logger {
  return { log: (level, message) => void lines.push(`${level} ${message}`) }
}

/** Short waits for tests against the fast fake: jobs take well under a second there. */
export const TEST_TIMING: TimingOptions = { priorSeconds: () => 0.6, poll: { minIntervalMs: 100, maxIntervalMs: 800 }, watchIntervalMs: 100, stopGraceMs: 3000, waitScale: 0.1 }

export function engineOptions(fake: FakeCometApi, dir: string, logs: string[], extra: Partial<EngineOptions> = {}): EngineOptions {
  return {
    dataDir: dir,
    keys: { getKey: async () => KEY },
    logger: captureLogger(logs),
    ...extra,
    timing: { ...TEST_TIMING, ...extra.timing },
    settingsOverrides: { baseUrl: fake.url, requestsPerSecond: 50, maxConcurrentCreates: 8, maxConcurrentCreatesPerProvider: 8, ...extra.settingsOverrides }
  }
}

export async function harness(fakeOpts: FakeOptions = {}, extra: Partial<EngineOptions> = {}): Promise<Harness> {
  const fake = await startFakeCometApi({ durations: { '*': 400 }, ...fakeOpts })
  const dir = mkdtempSync(join(tmpdir(), 'cvs-engine-'))
  const logs: string[] = []
  const h: Harness = {
    fake,
    dir,
    logs,
    timing: { ...TEST_TIMING, ...extra.timing },
    engine: new Engine(engineOptions(fake, dir, logs, extra)),
    async restart(opts = {}) {
      await h.engine.close()
      h.engine = new Engine(engineOptions(fake, dir, logs, { ...extra, ...opts }))
      return h.engine
    },
    async cleanup() {
      await h.engine.close().catch(() => {})
      await fake.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return h
}

/** Creates one job and returns its id (throws with the field errors when it is refused). */
export async function createOne(engine: Engine, spec: JobSpec): Promise<string> {
  const r = await engine.createJobs({ specs: [spec] })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.jobs[0].id
}

/** A valid Sora 2 text-to-video spec with this prompt. */
export const sora = (prompt: string): JobSpec => ({ model: 'sora-2', prompt, seconds: 4, size: '1280x720' })

/** Waits until every job is terminal (or in a state in `until`), failing after `ms`. */
export async function settle(engine: Engine, ids: string[], ms = 20_000): Promise<JobView[]> {
  const timeout = AbortSignal.timeout(ms)
  try {
    return await engine.waitFor(ids, { signal: timeout })
  } catch {
    const states = ids.map((id) => { const j = engine.getJob(id); return `${id}:${j?.state}:${j?.note ?? ''}:${j?.error?.message ?? ''}` })
    throw new Error(`jobs did not settle in ${ms} ms: ${states.join(' | ')}`)
  }
}

export async function until(cond: () => boolean, ms = 10_000, step = 20): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, step))
  }
}
