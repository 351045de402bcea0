// The app's services (what Electron and the browser host both run): dispatch, handlers, media,
// event coalescing and the library move.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobView } from '../../src/shared/jobs'
import { SecretStore, type SecretBackend } from '../../src/core/secrets/secretStore'
import { dispatch } from '../../src/app/dispatch'
import { EventCoalescer } from '../../src/app/eventCoalescer'
import { createHandlers, type Handlers } from '../../src/app/handlers'
import { moveLibrary, MoveError } from '../../src/app/libraryMover'
import { parseRange, serveMedia } from '../../src/app/mediaServer'
import { Studio } from '../../src/app/studio'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { solidPng } from '../helpers/png'
import { FIXTURES } from '../engine/harness'

const logger = { log: () => {} }
const dirs: string[] = []
const temp = (p: string): string => {
  const d = mkdtempSync(join(tmpdir(), p))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function memoryBackend(): SecretBackend {
  let v: string | null = null
  return { kind: 'encrypted-file', get: async () => v, set: async (x) => void (v = x), clear: async () => void (v = null), check: async () => null }
}

describe('services over the contract', () => {
  let fake: FakeCometApi
  let studio: Studio
  let handlers: Handlers
  const record = { opened: [] as string[], notes: [] as string[], folder: null as string | null }

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 300 } })
    const data = temp('cvs-svc-')
    studio = new Studio({
      dataDir: data,
      defaultLibraryDir: join(data, 'library'),
      secrets: new SecretStore({ backends: [memoryBackend()] }),
      version: '0.0.0-test',
      platform: 'linux',
      systemLocale: 'en-US',
      logger,
      pushIntervalMs: 50,
      engine: { settingsOverrides: { baseUrl: fake.url }, timing: { priorSeconds: () => 0.3, poll: { minIntervalMs: 100, maxIntervalMs: 500 }, waitScale: 0.1 } },
      shell: {
        openPath: async (p) => {
          record.opened.push(p)
          return true
        },
        showItemInFolder: () => {},
        trashItem: async () => {},
        chooseFolder: async () => record.folder,
        chooseSaveFile: async () => null,
        openExternal: async () => {},
        notify: (title) => void record.notes.push(title)
      }
    })
    handlers = createHandlers(studio)
    studio.start()
  })
  afterAll(async () => {
    await studio.stop()
    await fake.close()
  })

  const call = (channel: string, payload: unknown) => dispatch(handlers, channel, payload, logger)

  it('refuses unknown channels and payloads that do not match the schema, naming the field', async () => {
    expect(await call('fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    const bad = await call('jobs.create', { specs: [{ model: 'sora-2', prompt: 'x', seconds: 'four' }] })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'specs.0.seconds' } })
    expect(await call('settings.update', { requestsPerSecond: 500 })).toMatchObject({ ok: false })
    expect(await call('jobs.cancel', { id: '../../etc' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } })
  })

  it('tests a key before saving it, and never hands the key back', async () => {
    const wrong = await call('key.set', { key: 'sk-not-a-valid-key-123' })
    expect(wrong).toMatchObject({ ok: true, value: { ok: false } })
    expect(JSON.stringify(wrong)).not.toContain('sk-not-a-valid-key-123')
    const right = await call('key.set', { key: ' sk-test-good ' })
    expect(right).toMatchObject({ ok: true, value: { ok: true, verified: true, status: { set: true, last4: 'good' } } })
    expect(JSON.stringify(await call('key.status', {}))).not.toContain('sk-test-good')
  })

  it('validates, creates, finishes and notifies; events reach the renderer coalesced', async () => {
    const pushes: { event: string; payload: unknown }[] = []
    const off = studio.onPush((event, payload) => pushes.push({ event, payload }))
    const v = await call('jobs.validate', { spec: { model: 'sora-2', prompt: 'x', seconds: 7 } })
    expect(v).toMatchObject({ ok: true, value: { errors: [expect.objectContaining({ field: 'seconds' })] } })
    const r = await call('jobs.create', { specs: [{ model: 'sora-2', prompt: 'service test', seconds: 4, size: '1280x720' }] })
    if (!r.ok) throw new Error(r.error.message)
    const created = r.value as { ok: true; jobs: JobView[] }
    await studio.engine.waitFor([created.jobs[0].id], { signal: AbortSignal.timeout(15_000) })
    await new Promise((res) => setTimeout(res, 200))
    off()
    const jobEvents = pushes.filter((p) => p.event === 'jobs.changed')
    expect(jobEvents.length).toBeGreaterThan(0)
    const last = jobEvents.at(-1)!.payload as { jobs: JobView[] }
    expect(last.jobs.find((j) => j.id === created.jobs[0].id)?.state).toBe('completed')
    expect(pushes.some((p) => p.event === 'library.changed')).toBe(true)
    // The notification waits a moment for more of its kind (src/app/notificationPolicy.ts).
    await expect.poll(() => record.notes.some((n) => n.startsWith('Video ready')), { timeout: 5000 }).toBe(true)
    const opened = await call('jobs.open', { id: created.jobs[0].id })
    expect(opened).toMatchObject({ ok: true, value: true })
    expect(record.opened[0]).toMatch(/\.mp4$/)
  })

  it('inspects dropped files and folders: cards, duplicates, rejections and fixes', async () => {
    const drop = temp('cvs-drop-')
    mkdirSync(join(drop, 'sub'))
    writeFileSync(join(drop, 'a.png'), solidPng(400, 400, [10, 20, 30]))
    writeFileSync(join(drop, 'sub', 'a-again.png'), solidPng(400, 400, [10, 20, 30]))
    writeFileSync(join(drop, 'small.png'), solidPng(100, 100, [1, 2, 3]))
    writeFileSync(join(drop, 'doc.png'), '%PDF-1.4')
    writeFileSync(join(drop, 'empty.jpg'), '')
    // Read only once the person chose it: a folder the page merely names is refused unread, its files never listed.
    const unchosen = await call('files.inspect', { paths: [drop], model: 'kling-v2-6' })
    expect(unchosen).toMatchObject({ ok: true, value: { cards: [], rejected: [{ path: drop, code: 'notChosen' }], scanned: { folders: 0, files: 0 } } })
    expect(JSON.stringify(unchosen)).not.toMatch(/a\.png|small\.png|doc\.png/)
    await call('files.chosen', { paths: [drop, join(FIXTURES, 'images/solid-300x300.jpg')] })
    const r = await call('files.inspect', { paths: [drop], model: 'kling-v2-6' })
    if (!r.ok) throw new Error(r.error.message)
    const reply = r.value as { cards: { name: string; duplicateOf: string | null; problems: unknown[]; fix: unknown }[]; rejected: { name: string; code: string }[] }
    expect(reply.cards.map((c) => c.name).sort()).toEqual(['a-again.png', 'a.png', 'small.png'])
    expect(reply.cards.find((c) => c.name === 'a-again.png')?.duplicateOf).toMatch(/a\.png$/)
    expect(reply.cards.find((c) => c.name === 'small.png')).toMatchObject({ fix: { width: 300, height: 300 } })
    expect(Object.fromEntries(reply.rejected.map((x) => [x.name, x.code]))).toEqual({ 'doc.png': 'notImage', 'empty.jpg': 'empty' })
    // A Sora reference image must match the size: the fix is the allowed size closest in shape.
    const sora = await call('files.inspect', { paths: [join(FIXTURES, 'images/solid-300x300.jpg')], model: 'sora-2' })
    expect(sora).toMatchObject({ ok: true, value: { cards: [{ fix: { width: 720, height: 1280 } }] } })
  })

  it('moves the library to another folder without losing a video', async () => {
    const to = join(temp('cvs-move-'), 'Videos')
    const before = studio.engine.library.list({}).items
    expect(before.length).toBeGreaterThan(0)
    // Only a folder main's own dialog returned this session: a path the page names is refused.
    expect(await call('settings.moveLibrary', { to })).toMatchObject({ ok: false, error: { messageCode: 'ui.folderNotChosen' } })
    expect(studio.engine.settings.libraryDir).not.toBe(to)
    record.folder = to
    expect(await call('settings.chooseFolder', {})).toMatchObject({ ok: true, value: to })
    const r = await call('settings.moveLibrary', { to })
    expect(r).toMatchObject({ ok: true, value: { ok: true } })
    const after = studio.engine.library.list({}).items
    expect(after.map((i) => i.id)).toEqual(before.map((i) => i.id))
    for (const item of after) expect(existsSync(studio.engine.library.absolutePath(item))).toBe(true)
    expect(studio.engine.settings.libraryDir).toBe(to)
  })
})

describe('media route', () => {
  const root = temp('cvs-media-')
  writeFileSync(join(root, 'clip.mp4'), readFileSync(join(FIXTURES, 'videos/sample.mp4')))
  const sources = { libraryRoot: () => root, posterOf: () => null, imageOf: () => null, jobImageOf: () => null }
  const get = (path: string, headers: Record<string, string> = {}) => serveMedia(new Request(`http://x${path}`, { headers }), path, sources)

  it('serves byte ranges so the player can seek', async () => {
    const full = await get('/library/clip.mp4')
    expect(full.status).toBe(200)
    const size = Number(full.headers.get('content-length'))
    const part = await get('/library/clip.mp4', { range: 'bytes=100-199' })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`)
    expect((await part.arrayBuffer()).byteLength).toBe(100)
    expect((await get('/library/clip.mp4', { range: `bytes=${size + 10}-` })).status).toBe(416)
    expect(parseRange('bytes=-50', 1000)).toEqual({ start: 950, end: 999 })
  })

  it('refuses anything outside the library folder', async () => {
    expect((await get('/library/..%2F..%2Fetc%2Fpasswd')).status).toBe(403)
    expect((await get('/library/%2Fetc%2Fpasswd')).status).toBe(403)
    expect((await get('/library/.partial/x.part')).status).toBe(403)
    expect((await get('/image/not-a-token')).status).toBe(404)
  })
})

describe('event coalescing', () => {
  it('turns a 1,000-job burst into a few batched pushes with the latest state of each job', async () => {
    const pushes: { event: string; payload: unknown }[] = []
    const c = new EventCoalescer((event, payload) => pushes.push({ event, payload }), 100)
    const job = (i: number, progress: number): JobView => ({ id: `j${i}`, state: 'running', progress }) as JobView
    for (let round = 0; round < 10; round++) for (let i = 0; i < 1000; i++) c.handle({ type: 'job.updated', job: job(i, round * 10) })
    await new Promise((r) => setTimeout(r, 250))
    c.dispose()
    const batches = pushes.filter((p) => p.event === 'jobs.changed')
    expect(batches.length).toBeLessThanOrEqual(3)
    const latest = new Map<string, number>()
    for (const b of batches) for (const j of (b.payload as { jobs: JobView[] }).jobs) latest.set(j.id, j.progress ?? -1)
    expect(latest.size).toBe(1000)
    expect([...latest.values()].every((p) => p === 90)).toBe(true)
  })
})

describe('library move', () => {
  it('refuses to move into itself and never overwrites', async () => {
    const a = temp('cvs-a-')
    await expect(moveLibrary(a, join(a, 'inside'))).rejects.toThrow(MoveError)
    const b = temp('cvs-b-')
    writeFileSync(join(a, 'one.mp4'), 'one')
    writeFileSync(join(b, 'one.mp4'), 'already here')
    mkdirSync(join(a, '.posters'))
    writeFileSync(join(a, '.posters', 'p.jpg'), 'p')
    const r = await moveLibrary(a, b)
    expect(r.moved).toBe(1)
    expect(r.skipped).toEqual([{ file: 'one.mp4', reason: expect.stringMatching(/already/) }])
    expect(readFileSync(join(b, 'one.mp4'), 'utf8')).toBe('already here')
    expect(readdirSync(join(b, '.posters'))).toEqual(['p.jpg'])
  })
})

describe('images the person did not choose', () => {
  it('refuses to send a path the app never saw dropped or picked', async () => {
    const data = temp('cvs-svc2-')
    const studio = new Studio({
      dataDir: data,
      defaultLibraryDir: join(data, 'library'),
      secrets: new SecretStore({ backends: [memoryBackend()] }),
      version: '0',
      platform: 'linux',
      systemLocale: 'en-US',
      logger,
      shell: { openPath: async () => true, showItemInFolder: () => {}, trashItem: async () => {}, chooseFolder: async () => null, chooseSaveFile: async () => null, openExternal: async () => {}, notify: () => {} }
    })
    const handlers = createHandlers(studio)
    const image = join(FIXTURES, 'images/solid-300x300.jpg')
    const spec = { model: 'kling-v2-6', prompt: 'x', seconds: 5, images: [image] }
    expect(await dispatch(handlers, 'jobs.create', { specs: [spec] }, logger)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/was not chosen in the app/) } })
    // Naming it is not choosing it; a drop (recorded by the preload) is.
    await dispatch(handlers, 'files.inspect', { paths: [image] }, logger)
    expect(await dispatch(handlers, 'jobs.validate', { spec }, logger)).toMatchObject({ ok: false })
    await dispatch(handlers, 'files.chosen', { paths: [image] }, logger)
    await dispatch(handlers, 'files.inspect', { paths: [image] }, logger)
    expect(await dispatch(handlers, 'jobs.validate', { spec }, logger)).toMatchObject({ ok: true })
    await studio.stop()
  })
})
