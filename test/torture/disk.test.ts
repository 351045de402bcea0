// A starved or broken disk under the library: full (ENOSPC mid-write, and too little room to
// start), read-only, the folder deleted or moved away while videos download. Each time the job
// waits and says why, nothing half-written shows up in the library, and it finishes once the
// disk is back.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EngineOptions } from '../../src/core/engine'
import type { JobSpec, JobView } from '../../src/shared/jobs'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { recordFigures } from './figures'
import { auditLibrary, makeStudio, sleep, until, walkFiles, type StudioRig } from './helpers'

let fake: FakeCometApi
const dirs: string[] = []
let rig: StudioRig | null = null
const figures: Record<string, string> = {}

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 200 } })
})
afterEach(async () => {
  await rig?.studio.stop()
  rig = null
  fake.setOptions({ fileBytesPerSecond: null, videoBytes: {} })
})
afterAll(async () => {
  await fake?.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  recordFigures('Starved disk', figures)
})

function start(engine: Partial<EngineOptions> = {}, dir = mkdtempSync(join(tmpdir(), 'cvs-torture-disk-'))): { dir: string; library: string } {
  dirs.push(dir)
  rig = makeStudio(dir, fake.url, { engine })
  rig.studio.start()
  return { dir, library: join(dir, 'library') }
}

async function create(specs: JobSpec[]): Promise<string[]> {
  const r = await rig!.studio.engine.createJobs({ specs })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.jobs.map((j) => j.id)
}

const job = (id: string): JobView => rig!.studio.engine.getJob(id)!
const notLibraryFiles = (library: string): string[] => walkFiles(library).filter((f) => !f.startsWith('.partial/'))

const errno = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: ${message}`), { code })

describe('disk full', () => {
  it.skipIf(process.platform !== 'linux')('ENOSPC in the middle of writing: the job waits, says the disk is full, and finishes once space returns', async () => {
    let full = true
    let refusedWrites = 0
    const { library } = start({
      // /dev/full accepts the open and fails every write with ENOSPC, like a disk with no room left.
      downloadHooks: { openWrite: (path, flags) => (full ? (refusedWrites++, openSync('/dev/full', 'r+')) : openSync(path, flags)) }
    })
    const ids = await create([
      { model: 'sora-2', prompt: 'disk full sora', seconds: 4, size: '1280x720' },
      { model: 'kling-v2-6', prompt: 'disk full kling', seconds: 5 }
    ])
    await until(() => ids.every((id) => /disk is full/.test(job(id).note ?? '')), 15_000)
    await sleep(800) // it keeps waiting (several retries), it does not give up
    for (const id of ids) expect(job(id)).toMatchObject({ state: 'downloading', error: null })
    expect(job(ids[0]).note).toMatch(/^Waiting: The disk is full: free some space; the download continues from where it stopped\.$/)
    expect(notLibraryFiles(library)).toEqual([])
    full = false
    await until(() => ids.every((id) => job(id).state === 'completed'), 15_000)
    expect(auditLibrary(library).problems).toEqual([])
    figures['ENOSPC mid-write: writes refused, then completed'] = `${refusedWrites} refused, ${ids.length}/${ids.length} completed`
  })

  it('a video larger than the free space is not started (the disk is never filled), and starts when there is room', async () => {
    let free = 1024 * 1024
    fake.setOptions({ videoBytes: { '*': 3 * 1024 * 1024 } })
    const { library } = start({ downloadHooks: { freeSpace: async () => free } })
    const [id] = await create([{ model: 'sora-2', prompt: 'no room for this', seconds: 4, size: '1280x720' }])
    await until(() => /needs 3\.0 MiB but the library's disk has only 1\.0 MiB free/.test(job(id).note ?? ''), 15_000)
    expect(job(id).state).toBe('downloading')
    expect(walkFiles(library).filter((f) => f.endsWith('.part'))).toEqual([])
    free = 10 * 1024 ** 3
    await until(() => job(id).state === 'completed', 15_000)
    expect(auditLibrary(library).problems).toEqual([])
    figures['too little room: not started, then completed'] = job(id).state
  })

  // A real disk: a small tmpfs (needs root and mount; skipped elsewhere).
  const canMount = ((): boolean => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
    const probe = mkdtempSync(join(tmpdir(), 'cvs-mount-probe-'))
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' })
      execFileSync('umount', [probe], { stdio: 'ignore' })
      return true
    } catch {
      return false
    } finally {
      rmSync(probe, { recursive: true, force: true })
    }
  })()

  it.skipIf(!canMount)('on a real, nearly full tmpfs: waits without filling it, finishes when space is freed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvs-torture-tmpfs-'))
    const library = join(dir, 'library')
    mkdirSync(library)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', library])
    try {
      writeFileSync(join(library, '.ballast'), Buffer.alloc(30 * 1024 * 1024))
      fake.setOptions({ videoBytes: { '*': 4 * 1024 * 1024 } })
      start({}, dir)
      const [id] = await create([{ model: 'sora-2', prompt: 'real tmpfs', seconds: 4, size: '1280x720' }])
      await until(() => /needs 4\.0 MiB but the library's disk has only/.test(job(id).note ?? ''), 15_000)
      expect(job(id).state).toBe('downloading')
      rmSync(join(library, '.ballast'))
      await until(() => job(id).state === 'completed', 15_000)
      expect(auditLibrary(library).problems).toEqual([])
      figures['real tmpfs (48 MiB, 30 MiB ballast)'] = 'waited, then completed'
    } finally {
      await rig?.studio.stop()
      rig = null
      execFileSync('umount', ['-l', library]) // lazy: never leave a mount behind, even if a file is still open
    }
  })
})

describe('library folder read-only, deleted or moved while the app runs', () => {
  it('read-only: waits with a plain note, resumes when it is writable again', async () => {
    let readOnly = true
    const { library } = start({
      downloadHooks: {
        openWrite: (path, flags) => {
          if (readOnly) throw errno('EROFS', `read-only file system, open '${path}'`)
          return openSync(path, flags)
        }
      }
    })
    const [id] = await create([{ model: 'grok-imagine-video', prompt: 'read only library', seconds: 2 }])
    await until(() => /read-only disk/.test(job(id).note ?? ''), 15_000)
    expect(job(id)).toMatchObject({ state: 'downloading', error: null })
    expect(job(id).note).toMatch(/choose another library folder in Settings/)
    readOnly = false
    await until(() => job(id).state === 'completed', 15_000)
    expect(auditLibrary(library).problems).toEqual([])
    figures['read-only library'] = 'waited with a note, then completed'
  })

  it('deleted: the app keeps running, the folder is not quietly recreated, downloads wait and finish once it is back', async () => {
    fake.setOptions({ videoBytes: { '*': 2 * 1024 * 1024 } })
    const { library } = start()
    const [first] = await create([{ model: 'sora-2', prompt: 'already in the library', seconds: 4, size: '1280x720' }])
    await until(() => job(first).state === 'completed', 15_000)
    fake.setOptions({ fileBytesPerSecond: 1_000_000 })
    const ids = await create([
      { model: 'kling-v2-6', prompt: 'downloading when deleted', seconds: 5 },
      { model: 'sora-2', prompt: 'also downloading when deleted', seconds: 4, size: '1280x720' }
    ])
    await until(() => ids.every((id) => job(id).state === 'downloading' && job(id).downloadedBytes > 0), 15_000)
    rmSync(library, { recursive: true, force: true })
    await until(() => ids.every((id) => /library folder .* is missing/.test(job(id).note ?? '')), 15_000)
    await sleep(500)
    for (const id of ids) expect(job(id)).toMatchObject({ state: 'downloading', error: null })
    expect(rig!.studio.engine.status().role).toBe('owner')
    expect(walkFiles(library)).toEqual([]) // not recreated behind the user's back
    mkdirSync(library) // put back (empty: its videos are gone)
    fake.setOptions({ fileBytesPerSecond: null })
    await until(() => ids.every((id) => job(id).state === 'completed'), 20_000)
    const rescan = await rig!.studio.engine.library.rescan()
    expect(rescan.removed).toBe(1) // the deleted video leaves the index
    expect(auditLibrary(library).problems).toEqual([])
    expect(auditLibrary(library).videos).toBe(2)
    figures['library deleted mid-download'] = 'waited (not recreated), completed when back; rescan dropped the lost video'
  })

  it('moved away and back: downloads wait, then finish; nothing is lost', async () => {
    fake.setOptions({ videoBytes: { '*': 2 * 1024 * 1024 } })
    const { dir, library } = start()
    const [first] = await create([{ model: 'sora-2', prompt: 'kept through the move', seconds: 4, size: '1280x720' }])
    await until(() => job(first).state === 'completed', 15_000)
    fake.setOptions({ fileBytesPerSecond: 1_000_000 })
    const [id] = await create([{ model: 'doubao-seedance-2-0-fast', prompt: 'downloading during the move', seconds: 5 }])
    await until(() => job(id).state === 'downloading' && job(id).downloadedBytes > 0, 15_000)
    const away = join(dir, 'moved-away')
    renameSync(library, away)
    await until(() => /library folder .* is missing/.test(job(id).note ?? ''), 15_000)
    renameSync(away, library)
    fake.setOptions({ fileBytesPerSecond: null })
    await until(() => job(id).state === 'completed', 20_000)
    const audit = auditLibrary(library)
    expect(audit.problems).toEqual([])
    expect(audit.videos).toBe(2)
    expect(rig!.studio.engine.library.verify(rig!.studio.engine.library.getByJob(first)!.id)).toEqual({ ok: true })
    figures['library moved away and back'] = 'waited, completed; both videos intact'
  })
})
