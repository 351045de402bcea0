// The database under stress: another process holding an exclusive lock (shorter and longer than
// SQLite's busy timeout), and the database file deleted while the app runs.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { JobSpec, JobView } from '../../src/shared/jobs'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { recordFigures } from './figures'
import { auditLibrary, integrityCheck, makeStudio, ROOT_DIR, sleep, until, withDb, type StudioRig } from './helpers'

let fake: FakeCometApi
const dirs: string[] = []
let rig: StudioRig | null = null
const figures: Record<string, string> = {}
const unhandled: unknown[] = []
const onUnhandled = (err: unknown): void => void unhandled.push(err)

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 600 }, latencyMs: { create: 1500 } })
  process.on('unhandledRejection', onUnhandled)
})
afterEach(async () => {
  await rig?.studio.stop().catch(() => {})
  rig = null
})
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled)
  await fake?.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  recordFigures('Database locked or deleted', figures)
})

function start(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cvs-torture-db-'))
  dirs.push(dir)
  rig = makeStudio(dir, fake.url)
  rig.studio.start()
  return dir
}

const job = (id: string): JobView => rig!.studio.engine.getJob(id)!

/** Another process takes an exclusive lock on the database for `ms`. Resolves once it holds it. */
function holdLock(file: string, ms: number): Promise<{ child: ChildProcess; released: Promise<void> }> {
  const script = `
    import Database from 'better-sqlite3'
    const db = new Database(${JSON.stringify(file)})
    db.pragma('busy_timeout = 10000')
    db.exec('BEGIN EXCLUSIVE')
    console.log('locked')
    setTimeout(() => { db.exec('COMMIT'); db.close(); console.log('released') }, ${ms})
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'inherit'] })
  const released = new Promise<void>((r) => child.on('exit', () => r()))
  return new Promise((resolve) => {
    child.stdout!.on('data', (d) => {
      if (String(d).includes('locked')) resolve({ child, released })
    })
  })
}

const specs = (tag: string, n: number): JobSpec[] =>
  Array.from({ length: n }, (_, i) => (i % 2 ? { model: 'kling-v2-6', prompt: `${tag} kling ${i}`, seconds: 5 } : { model: 'sora-2', prompt: `${tag} sora ${i}`, seconds: 4, size: '1280x720' }))

describe('database locked by another process', () => {
  for (const [label, ms] of [['shorter than the busy timeout', 3000], ['longer than two busy timeouts', 11000]] as const) {
    it(`${label} (${ms / 1000} s): the engine waits, recovers, and loses or repeats nothing`, async () => {
      const dir = start()
      const r = await rig!.studio.engine.createJobs({ specs: specs(`lock ${ms}`, 6) })
      if (!r.ok) throw new Error('create failed')
      const ids = r.jobs.map((j) => j.id)
      // Creates take a while to answer: the lock lands while their answers (remote ids) are on the way.
      await until(() => ids.some((id) => job(id).state === 'submitting'), 10_000)
      const lock = await holdLock(join(dir, 'studio.db'), ms)
      // The user keeps working meanwhile: a second batch while the lock is held.
      const more = await rig!.studio.engine.createJobs({ specs: specs(`lock ${ms} during`, 2) }).catch((err: Error) => err)
      await lock.released
      const all = more instanceof Error ? ids : [...ids, ...(more.ok ? more.jobs.map((j) => j.id) : [])]
      await until(() => all.every((id) => ['completed', 'needs_decision', 'failed'].includes(job(id).state)), 40_000, () =>
        JSON.stringify(all.map((id) => [job(id).state, job(id).note]).concat(rig!.logs.filter((l) => !l.startsWith('debug')).slice(-15))))
      expect(all.map((id) => job(id).state)).toEqual(all.map(() => 'completed'))
      for (const [prompt, n] of fake.createCountsByPrompt()) expect({ prompt, n }).toEqual({ prompt, n: 1 })
      expect(rig!.studio.engine.status().role).toBe('owner')
      expect(auditLibrary(join(dir, 'library')).problems).toEqual([])
      await rig!.studio.stop()
      rig = null
      expect(integrityCheck(join(dir, 'studio.db'))).toBe('ok')
      expect(unhandled).toEqual([])
      figures[`exclusive lock ${ms / 1000} s`] = `${all.length}/${all.length} completed${more instanceof Error ? ` (create during the lock said: ${more.message})` : ''}`
    }, 90_000)
  }
})

describe('database file deleted while the app runs', () => {
  it('no crash, a clear message, nothing lost: the next start has every job, and rescan rebuilds the library', async () => {
    const dir = start()
    const db = join(dir, 'studio.db')
    const r = await rig!.studio.engine.createJobs({ specs: specs('deleted db', 4) })
    if (!r.ok) throw new Error('create failed')
    const ids = r.jobs.map((j) => j.id)
    await until(() => job(ids[0]).state === 'completed', 15_000)
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true })
    await until(() => rig!.studio.engine.status().paused?.kind === 'database', 10_000)
    const status = rig!.studio.engine.status()
    expect(status.paused?.message).toMatch(/database/i)
    await until(() => existsSync(db), 5000) // put back from the open copy
    // The user keeps using the app until the restart: that is kept too.
    const later = await rig!.studio.engine.createJobs({ specs: specs('after the deletion', 1) })
    if (!later.ok) throw new Error('create failed')
    ids.push(later.jobs[0].id)
    expect(job(later.jobs[0].id).state).toBe('queued') // held until the restart
    await sleep(300)
    await rig!.studio.stop()
    // Next start: every job is there and finishes; the library index is whole.
    rig = makeStudio(dir, fake.url)
    rig.studio.start()
    await until(() => ids.every((id) => job(id)?.state === 'completed'), 20_000)
    expect(integrityCheck(db)).toBe('ok')
    const items = withDb(db, (d) => (d.prepare('SELECT COUNT(*) AS n FROM library_items').get() as { n: number }).n)
    expect(items).toBe(ids.length)
    for (const [prompt, n] of fake.createCountsByPrompt()) expect({ prompt, n }).toEqual({ prompt, n: 1 })
    // Even with the database gone for good (deleted while the app was closed), the library comes back.
    await rig!.studio.stop()
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true })
    rig = makeStudio(dir, fake.url)
    expect(rig.studio.engine.library.stats().count).toBe(0)
    const report = await rig.studio.engine.library.rescan()
    expect(report).toMatchObject({ added: ids.length, skipped: [] })
    figures['database gone for good, then rescan'] = `${report.added}/${ids.length} videos back in the library`
    figures['database deleted while running'] = `paused with "${status.paused?.message.slice(0, 60)}…"; restored, ${ids.length}/${ids.length} jobs completed after restart`
  }, 60_000)
})
