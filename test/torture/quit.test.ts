// Quitting the app (not killing it) while videos download: the app's own quit path (Studio.stop)
// keeps every partial download, and the next start continues each one from exactly the byte on
// disk — nothing lost, nothing downloaded twice.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { JobSpec } from '../../src/shared/jobs'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { recordFigures } from './figures'
import { auditLibrary, fileSize, makeStudio, until, walkFiles, withDb } from './helpers'

const VIDEO_BYTES = 6 * 1024 * 1024

describe('quit while downloading', () => {
  let fake: FakeCometApi
  let dir: string

  afterAll(async () => {
    await fake?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('loses nothing and re-downloads nothing already on disk', async () => {
    fake = await startFakeCometApi({ durations: { '*': 300 }, videoBytes: { '*': VIDEO_BYTES }, fileBytesPerSecond: 1_500_000 })
    dir = mkdtempSync(join(tmpdir(), 'cvs-torture-quit-'))
    const downloads = { maxConcurrentDownloads: 8, maxConcurrentDownloadsPerProvider: 8 }
    const first = makeStudio(dir, fake.url, { engine: { settingsOverrides: downloads } })
    first.studio.start()
    const specs: JobSpec[] = [
      { model: 'sora-2', prompt: 'quit sora one', seconds: 4, size: '1280x720' },
      { model: 'sora-2', prompt: 'quit sora two', seconds: 4, size: '1280x720' },
      { model: 'kling-v2-6', prompt: 'quit kling one', seconds: 5 },
      { model: 'kling-v2-6', prompt: 'quit kling two', seconds: 5 },
      { model: 'grok-imagine-video', prompt: 'quit grok', seconds: 2 },
      { model: 'doubao-seedance-2-0-fast', prompt: 'quit seedance', seconds: 5 },
      { model: 'sora-2', prompt: 'quit still generating [slow] [progress-stall]', seconds: 4, size: '1280x720' }
    ]
    const r = await first.studio.engine.createJobs({ specs })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const ids = r.jobs.map((j) => j.id)
    const downloading = ids.slice(0, 6)
    const partial = (id: string): string => join(dir, 'library/.partial', `${id}.part`)
    // Quit once every download is well under way (over 1 MB on disk) and one video is still being made.
    await until(() => downloading.every((id) => fileSize(partial(id)) > 1024 * 1024), 30_000)
    expect(first.studio.engine.getJob(ids[6])?.state).toMatch(/submitted|running/)
    await first.studio.stop()

    const onDisk = new Map(downloading.map((id) => [id, fileSize(partial(id))]))
    const states = withDb(join(dir, 'studio.db'), (db) => db.prepare('SELECT id, state, remote_id FROM jobs').all() as { id: string; state: string; remote_id: string }[])
    for (const s of states) expect(s.state).toBe(s.id === ids[6] ? s.state : 'downloading')
    // Nothing half-written outside .partial.
    expect(walkFiles(join(dir, 'library')).filter((f) => !f.startsWith('.partial/'))).toEqual([])
    const remoteOf = new Map(states.map((s) => [s.id, s.remote_id]))
    const cut = fake.log.length

    const second = makeStudio(dir, fake.url, { engine: { settingsOverrides: downloads } })
    second.studio.start()
    fake.finishTask(remoteOf.get(ids[6])!)
    await until(() => ids.every((id) => second.studio.engine.getJob(id)?.state === 'completed'), 60_000)
    await second.studio.stop()

    let resumedBytes = 0
    let redownloaded = 0
    for (const id of downloading) {
      const after = fake.log.slice(cut).filter((e) => e.kind === 'file' && e.taskId === remoteOf.get(id))
      expect(after[0]?.range, `job ${id} resumed from the byte on disk`).toBe(`bytes=${onDisk.get(id)}-`)
      const served = after.reduce((a, e) => a + e.bytesSent, 0)
      redownloaded += served - (VIDEO_BYTES - onDisk.get(id)!)
      resumedBytes += onDisk.get(id)!
    }
    expect(redownloaded).toBe(0)
    for (const [prompt, n] of fake.createCountsByPrompt()) expect({ prompt, n }).toEqual({ prompt, n: 1 })
    const audit = auditLibrary(join(dir, 'library'))
    expect(audit.problems).toEqual([])
    expect(audit.videos).toBe(ids.length)
    recordFigures('Quit while downloading', {
      'downloads in flight at quit': downloading.length,
      'bytes on disk at quit (kept)': resumedBytes,
      'bytes downloaded twice': redownloaded,
      'resumed with Range from the byte on disk': `${downloading.length}/${downloading.length}`,
      'videos completed after restart': audit.videos,
      'tasks created twice': [...fake.createCountsByPrompt().values()].filter((n) => n > 1).length
    })
  }, 120_000)
})
