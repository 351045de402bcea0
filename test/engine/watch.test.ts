// Watched folders against the fake CometAPI: files copied in slowly become one job once settled,
// the same image is never sent twice (another name, a restart, a second watcher), pause holds new
// files and resume picks them up, and what is not an image the model accepts is refused, not sent.
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../src/core/engine'
import { systemClock } from '../../src/core/ports'
import type { JobView } from '../../src/shared/jobs'
import type { WatchRecipe } from '../../src/shared/watch'
import { FolderWatch, type WatchFileEvent, type WatchNotice } from '../../src/core/watch/folderWatch'
import { WatchService } from '../../src/core/watch/watchService'
import { intakeFile, recipeKeyOf } from '../../src/core/watch/fileIntake'
import { AlreadySentError } from '../../src/core/watch/watchStore'
import { defaultCatalog } from '../fake-cometapi/catalog'
import { solidPng } from '../helpers/png'
import { FIXTURES, harness, type Harness, settle, until } from './harness'

const TIMING = { settleMs: 300, pollMs: 40, retryMs: 400, folderRetryMs: 300 }
const recipe = (prompt: string): WatchRecipe => ({ model: 'kling-v2-6', prompt, seconds: 5 })

let h: Harness | null = null
let services: WatchService[] = []

afterEach(async () => {
  for (const s of services) await s.stop()
  services = []
  await h?.cleanup()
  h = null
})

function service(hh: Harness, timing: Partial<typeof TIMING> = {}): { watch: WatchService; events: WatchFileEvent[] } {
  const watch = new WatchService({ engine: hh.engine, timing: { ...TIMING, ...timing } })
  const events: WatchFileEvent[] = []
  watch.on((n: WatchNotice) => {
    if (n.type === 'file') events.push(n)
  })
  services.push(watch)
  return { watch, events }
}

const png = (seed: number, w = 640, h = 360): Buffer => solidPng(w, h, [seed % 256, (seed * 7) % 256, (seed * 13) % 256])
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Every job the engine has, oldest first. */
function jobs(hh: Harness): JobView[] {
  return hh.engine.listJobs({ order: 'asc', limit: 1000 })
}

function folderIn(hh: Harness, name: string): string {
  const dir = join(hh.dir, name)
  mkdirSync(dir, { recursive: true })
  return dir
}

describe('a watched folder', () => {
  it('an image copied in slowly becomes exactly one job, only once it has settled', async () => {
    h = await harness()
    h.engine.start()
    // Parts 30 ms apart against a 1 s settle time: a loaded machine cannot stretch a gap that far.
    const SLOW = { settleMs: 1000, gapMs: 30 }
    const { watch, events } = service(h, { settleMs: SLOW.settleMs })
    watch.start()
    const dir = folderIn(h, 'in')
    const added = await watch.add(dir, recipe('slow copy of {file}'))
    expect(added.ok).toBe(true)
    await until(() => watch.list()[0]?.state === 'watching')
    const bytes = png(1)
    const file = join(dir, 'slow.png')
    const fd = openSync(file, 'w')
    const parts = 6
    const step = Math.ceil(bytes.length / parts)
    let sawSettling = false
    for (let i = 0; i < parts; i++) {
      writeSync(fd, bytes, i * step, Math.min(step, bytes.length - i * step))
      // Written in parts, each sooner than the settle time: no job may exist yet.
      await sleep(SLOW.gapMs)
      expect(jobs(h)).toHaveLength(0)
      if (watch.list()[0]!.files.some((f) => f.name === 'slow.png' && f.outcome === 'settling')) sawSettling = true
    }
    closeSync(fd)
    await until(() => {
      if (watch.list()[0]!.files.some((f) => f.name === 'slow.png' && f.outcome === 'settling')) sawSettling = true
      return jobs(h!).length === 1
    }, 10_000)
    // The settling file was shown while it was being written, then sent once.
    expect(sawSettling).toBe(true)
    const outcomes = events.filter((e) => e.name === 'slow.png').map((e) => e.outcome)
    expect(outcomes[0]).toBe('settling')
    expect(outcomes.filter((o) => o === 'queued')).toHaveLength(1)
    const [job] = jobs(h)
    // The job sends the copy made when the file was read (under its content hash), named like the file.
    expect(job!.spec.images).toEqual([join(h.dir, 'watch-images', createHash('sha256').update(bytes).digest('hex'), 'slow.png')])
    expect(readFileSync(job!.spec.images![0]!).equals(bytes)).toBe(true)
    expect(job!.spec.prompt).toBe('slow copy of slow')
    const [done] = await settle(h.engine, [job!.id])
    expect(done!.state).toBe('completed')
    // Long after: still exactly one job, one create at the provider.
    await sleep(SLOW.settleMs * 2)
    expect(jobs(h)).toHaveLength(1)
    expect(h.fake.createCountsByPrompt().get('slow copy of slow')).toBe(1)
    const view = watch.list()[0]!
    expect(view.files.find((f) => f.name === 'slow.png')).toMatchObject({ outcome: 'queued', jobId: job!.id })
    expect(view.counts).toEqual({ queued: 1, duplicate: 0, refused: 0, skipped: 0 })
  })

  it('the same image under another name is not sent again, and says which file it repeats', async () => {
    h = await harness()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'in')
    await watch.add(dir, recipe('dup'))
    writeFileSync(join(dir, 'a.png'), png(2))
    await until(() => events.some((e) => e.name === 'a.png' && e.outcome === 'queued'))
    copyFileSync(join(dir, 'a.png'), join(dir, 'copy of a.png'))
    await until(() => events.some((e) => e.name === 'copy of a.png' && e.outcome === 'duplicate'))
    const first = events.find((e) => e.name === 'a.png' && e.outcome === 'queued')!
    expect(events.find((e) => e.name === 'copy of a.png' && e.outcome === 'duplicate')).toMatchObject({ duplicateOf: 'a.png', jobId: first.jobId })
    expect(jobs(h)).toHaveLength(1)
    expect(watch.list()[0]!.files.find((f) => f.name === 'copy of a.png')).toMatchObject({ outcome: 'duplicate', duplicateOf: 'a.png' })
  })

  it('after a restart of the engine and the watcher on the same database, nothing is sent again', async () => {
    h = await harness()
    const first = service(h)
    first.watch.start()
    const dir = folderIn(h, 'in')
    await first.watch.add(dir, recipe('restart'))
    writeFileSync(join(dir, 'one.png'), png(3))
    writeFileSync(join(dir, 'two.png'), png(4))
    writeFileSync(join(dir, 'notes.txt'), 'not an image')
    await until(() => first.events.filter((e) => ['queued', 'refused'].includes(e.outcome)).length === 3, 10_000)
    expect(jobs(h)).toHaveLength(2)
    await first.watch.stop()
    services = []
    await h.restart()
    const second = service(h)
    second.watch.start()
    // The look at the files already there finds all three, handled before.
    await until(() => second.events.filter((e) => e.outcome === 'known' && e.initial).length === 3, 10_000)
    expect(new Set(second.events.filter((e) => e.outcome === 'known').map((e) => `${e.name}:${e.was}`))).toEqual(new Set(['one.png:queued', 'two.png:queued', 'notes.txt:refused']))
    // Copied in again under another name after the restart: still not sent.
    copyFileSync(join(dir, 'one.png'), join(dir, 'one again.png'))
    await until(() => second.events.some((e) => e.name === 'one again.png' && e.outcome === 'duplicate'))
    expect(jobs(h)).toHaveLength(2)
    expect(second.events.some((e) => e.outcome === 'queued')).toBe(false)
  })

  it('pause stops new jobs; resume picks up the files that arrived meanwhile', async () => {
    h = await harness()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'in')
    const reply = await watch.add(dir, recipe('pause'))
    if (!reply.ok) throw new Error('not added')
    const id = reply.folders[0]!.id
    writeFileSync(join(dir, 'before.png'), png(5))
    await until(() => jobs(h!).length === 1)
    const paused = await watch.setPaused(id, true)
    expect(paused[0]).toMatchObject({ paused: true, state: 'paused' })
    writeFileSync(join(dir, 'during.png'), png(6))
    writeFileSync(join(dir, 'during-2.png'), png(7))
    // Well past the settle time: a paused folder makes no job.
    await sleep(TIMING.settleMs * 4)
    expect(jobs(h)).toHaveLength(1)
    expect(events.some((e) => e.name.startsWith('during'))).toBe(false)
    const resumed = await watch.setPaused(id, false)
    expect(resumed[0]!.paused).toBe(false)
    await until(() => jobs(h!).length === 3, 10_000)
    expect(jobs(h).map((j) => j.spec.images?.[0]?.split('/').pop()).sort()).toEqual(['before.png', 'during-2.png', 'during.png'])
    // The file from before the pause was not sent again.
    expect(events.filter((e) => e.name === 'before.png' && e.outcome === 'queued')).toHaveLength(1)
  })

  it('a non-image, a fake image and an image the model refuses are recorded as refused, never sent nor tried again', async () => {
    h = await harness()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'in')
    await watch.add(dir, recipe('refused'))
    writeFileSync(join(dir, 'notes.txt'), 'hello')
    copyFileSync(join(FIXTURES, 'images/pdf-renamed.png'), join(dir, 'fake.png'))
    copyFileSync(join(FIXTURES, 'images/solid-100x100.png'), join(dir, 'tiny.png'))
    writeFileSync(join(dir, 'empty.png'), '')
    writeFileSync(join(dir, '.hidden.png'), png(8))
    writeFileSync(join(dir, 'download.png.crdownload'), png(9))
    await until(() => events.filter((e) => e.outcome === 'refused').length === 4, 10_000)
    const refused = Object.fromEntries(events.filter((e) => e.outcome === 'refused').map((e) => [e.name, e]))
    expect(refused['notes.txt']!.reason).toMatchObject({ code: 'watch.notImage' })
    expect(refused['fake.png']!.reason).toMatchObject({ code: 'watch.notImageNamed' })
    expect(refused['empty.png']!.reason).toMatchObject({ code: 'watch.empty' })
    expect(refused['tiny.png']!.reason).toMatchObject({ code: 'watch.refused' })
    expect(refused['tiny.png']!.errors.map((e) => e.code)).toContain('image.tooSmall')
    // Hidden files and downloads in progress are not files of their own yet.
    expect(events.some((e) => e.name.startsWith('.hidden') || e.name.endsWith('.crdownload'))).toBe(false)
    await sleep(TIMING.retryMs * 2)
    expect(jobs(h)).toHaveLength(0)
    expect(h.fake.createCountsByPrompt().size).toBe(0)
    expect(events.filter((e) => e.outcome === 'refused')).toHaveLength(4)
    expect(watch.list()[0]!.counts).toEqual({ queued: 0, duplicate: 0, refused: 4, skipped: 0 })
  })

  it('follows the money rules: above the daily cap the job is held, not sent', async () => {
    h = await harness({}, { settingsOverrides: { dailyBudget: 0 } })
    h.engine.start()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'in')
    await watch.add(dir, recipe('capped'))
    writeFileSync(join(dir, 'capped.png'), png(10))
    await until(() => events.some((e) => e.outcome === 'queued'))
    expect(events.find((e) => e.outcome === 'queued')).toMatchObject({ name: 'capped.png', held: true })
    await sleep(500)
    expect(jobs(h).map((j) => j.state)).toEqual(['held'])
    expect(h.fake.createCountsByPrompt().size).toBe(0)
  })

  it('two watchers on one folder (the app and the CLI) send each image once', async () => {
    h = await harness()
    const a = service(h)
    const b = service(h)
    const dir = folderIn(h, 'in')
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `img-${i}.png`), png(20 + i))
    await Promise.all([a.watch.watchFolder(dir, recipe('twice')), b.watch.watchFolder(dir, recipe('twice'))])
    const settled = (): number => [...a.events, ...b.events].filter((e) => ['queued', 'known', 'duplicate'].includes(e.outcome)).length
    await until(() => settled() >= 12, 15_000)
    expect(jobs(h)).toHaveLength(6)
    expect(new Set(jobs(h).map((j) => j.spec.images?.[0])).size).toBe(6)
  })

  it('the record that an image was sent is written with its job: when the image was sent meanwhile, no job is left behind', async () => {
    h = await harness()
    const dir = folderIn(h, 'in')
    const image = join(dir, 'x.png')
    writeFileSync(image, png(40))
    const store = h.engine.watchRecords
    const row = { folder: dir, size: 1, mtime: 1, hash: 'same-content', duplicateOf: null, recipeKey: null, reason: null, errors: [], at: 1 }
    store.claim({ ...row, name: 'first.png', outcome: 'queued', jobId: 'j-first' })
    const creating = h.engine.createJobs({
      specs: [{ model: 'kling-v2-6', prompt: 'guarded', seconds: 5, images: [image] }],
      guard: (made) => store.claim({ ...row, name: 'second.png', outcome: 'queued', jobId: made[0]!.id })
    })
    await expect(creating).rejects.toBeInstanceOf(AlreadySentError)
    expect(jobs(h)).toHaveLength(0)
    expect(store.recent(dir, 10).map((f) => f.name)).toEqual(['first.png'])
  })

  it('two intakes of one file at the same moment make one job', async () => {
    h = await harness()
    const dir = folderIn(h, 'in')
    writeFileSync(join(dir, 'race.png'), png(41))
    const r = recipe('race')
    const engine = h.engine
    const ports = {
      clock: systemClock,
      store: engine.watchRecords,
      createJobs: (input: Parameters<Engine['createJobs']>[0]) => engine.createJobs(input),
      model: (id: string) => engine.model(id),
      imageDir: join(h.dir, 'watch-images'),
      ensureModels: async () => (await engine.refreshModels()).models.length > 0
    }
    await ports.ensureModels()
    const folder = { path: dir, recipe: r, recipeKey: recipeKeyOf(r) }
    const results = await Promise.all([intakeFile(ports, folder, 'race.png'), intakeFile(ports, folder, 'race.png'), intakeFile(ports, folder, 'race.png')])
    expect(results.map((x) => x.kind).sort()).toEqual(['known', 'known', 'queued'])
    expect(jobs(h)).toHaveLength(1)
  })

  it('a folder that goes away is shown as not found, and watched again once it is back', async () => {
    h = await harness()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'usb')
    await watch.add(dir, recipe('usb'))
    await until(() => watch.list()[0]?.state === 'watching')
    rmSync(dir, { recursive: true, force: true })
    await until(() => watch.list()[0]?.state === 'unavailable', 10_000)
    expect(watch.list()[0]!.problem).toMatchObject({ code: 'watch.folderMissing' })
    mkdirSync(dir)
    writeFileSync(join(dir, 'back.png'), png(50))
    await until(() => events.some((e) => e.name === 'back.png' && e.outcome === 'queued'), 10_000)
    expect(watch.list()[0]!.state).toBe('watching')
    expect(jobs(h)).toHaveLength(1)
  })

  it('offline on a first run, an image for a model known only from the list waits, and is sent once the list loads; never refused', async () => {
    // A model no id prefix names: only the catalog says what it is.
    const row = {
      id: 'studio-motion-1', code: 'studio-motion-1', name: 'Studio Motion', provider: 'Kling', provider_code: 'kling', model_type: 'video',
      features: ['image-to-video'], endpoints: JSON.stringify([{ path: '/kling/v1/videos/image2video', method: 'POST' }]),
      pricing: { currency: 'USD', input: null, output: null, per_request: 0.2, per_second: null, ratio: 0.8 }, api_doc_url: 'https://apidoc.cometapi.com/api/video/kling', upcoming: false
    }
    h = await harness({ catalog: [...defaultCatalog(), row] })
    h.fake.injectOnce({ kind: 'catalog', fault: '503', count: 6 })
    const { watch, events } = service(h)
    const dir = folderIn(h, 'in')
    writeFileSync(join(dir, 'early.png'), png(60))
    await watch.watchFolder(dir, { model: 'studio-motion-1', prompt: 'offline first', seconds: 5 })
    await until(() => events.some((e) => e.name === 'early.png' && e.outcome === 'waiting'), 10_000)
    expect(events.find((e) => e.outcome === 'waiting')!.reason).toMatchObject({ code: 'watch.waitingModels' })
    expect(jobs(h)).toHaveLength(0)
    await until(() => events.some((e) => e.name === 'early.png' && e.outcome === 'queued'), 30_000)
    expect(events.some((e) => e.outcome === 'refused')).toBe(false)
    expect(jobs(h).map((j) => j.model)).toEqual(['studio-motion-1'])
  })

  it('refuses an unknown model, a model that takes no images, a folder already watched and one that is not there', async () => {
    h = await harness()
    const { watch } = service(h)
    const dir = folderIn(h, 'in')
    const unknown = await watch.add(dir, { model: 'no-such-model', prompt: 'x' })
    expect(unknown).toMatchObject({ ok: false, errors: [{ field: 'model', code: 'watch.modelUnknown' }] })
    const noImages = await watch.add(dir, { model: 'wan2.6', prompt: 'x' })
    expect(noImages).toMatchObject({ ok: false, errors: [{ field: 'model', code: 'watch.modelNoImages' }] })
    expect(watch.list()).toEqual([])
    expect((await watch.add(dir, recipe('ok'))).ok).toBe(true)
    await expect(watch.add(dir, recipe('again'))).rejects.toMatchObject({ name: 'WatchError', code: 'already_watched' })
    await expect(watch.add(join(dir, 'missing'), recipe('x'))).rejects.toMatchObject({ code: 'folder_missing' })
  })
})

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
/** Every image the fake CometAPI received, by the SHA-256 of its bytes. */
const uploaded = (hh: Harness): string[] => [...hh.fake.tasks.values()].flatMap((t) => t.imageSha256)

describe('a watched folder sends what it read, only whole files, only its own files', () => {
  it('a held job sends the image as it was when it was read, not what the file holds later', async () => {
    h = await harness({}, { settingsOverrides: { dailyBudget: 0 } })
    h.engine.start()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'in')
    const away = folderIn(h, 'moved')
    await watch.add(dir, recipe('capture'))
    await until(() => watch.list()[0]?.state === 'watching')
    const a = png(70)
    const b = png(71)
    writeFileSync(join(dir, 'capture.png'), a)
    await until(() => events.filter((e) => e.outcome === 'queued').length === 1)
    // A screenshot tool moves the capture away and writes the next one under the same name.
    renameSync(join(dir, 'capture.png'), join(away, 'capture-1.png'))
    writeFileSync(join(dir, 'capture.png'), b)
    await until(() => events.filter((e) => e.outcome === 'queued').length === 2, 10_000)
    // Both wait at the cap; the file now holds B. Overwrite it once more for good measure.
    writeFileSync(join(away, 'capture-1.png'), png(72))
    const held = jobs(h)
    expect(held.map((j) => j.state)).toEqual(['held', 'held'])
    for (const j of held) expect(j.spec.images![0]!.startsWith(join(h.dir, 'watch-images'))).toBe(true)
    h.engine.confirmHeld(held.map((j) => j.id))
    const done = await settle(h.engine, held.map((j) => j.id))
    expect(done.map((j) => j.state)).toEqual(['completed', 'completed'])
    expect(uploaded(h).sort()).toEqual([sha(a), sha(b)].sort())
    expect(h.fake.createCountsByPrompt().get('capture')).toBe(2)
  })

  it('a file cut short (a stalled copy, a file sized first and filled later) is never sent; once whole it becomes one job', async () => {
    h = await harness()
    h.engine.start()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'in')
    await watch.add(dir, recipe('whole {file}'))
    await until(() => watch.list()[0]?.state === 'watching')
    const pngBytes = png(80)
    const jpgBytes = readFileSync(join(FIXTURES, 'images/solid-300x300.jpg'))
    const sized = png(81)
    const half = (name: string, bytes: Buffer): number => {
      const fd = openSync(join(dir, name), 'w')
      writeSync(fd, bytes, 0, Math.floor(bytes.length / 2))
      return fd
    }
    const fdPng = half('stalled.png', pngBytes)
    const fdJpg = half('stalled.jpg', jpgBytes)
    // Sized to its full length first, its first half written, the rest later: chokidar's size check passes at once.
    const fdSized = openSync(join(dir, 'sized.png'), 'w')
    ftruncateSync(fdSized, sized.length)
    writeSync(fdSized, sized, 0, Math.floor(sized.length / 2), 0)
    // The writers stall far longer than the settle time.
    await sleep(TIMING.settleMs * 5)
    expect(jobs(h)).toHaveLength(0)
    const live = watch.list()[0]!.files.filter((f) => f.name.startsWith('stalled') || f.name === 'sized.png')
    expect(live.map((f) => `${f.name}:${f.outcome}`).sort()).toEqual(['sized.png:settling', 'stalled.jpg:settling', 'stalled.png:settling'])
    writeSync(fdPng, pngBytes, Math.floor(pngBytes.length / 2), pngBytes.length - Math.floor(pngBytes.length / 2), Math.floor(pngBytes.length / 2))
    writeSync(fdJpg, jpgBytes, Math.floor(jpgBytes.length / 2), jpgBytes.length - Math.floor(jpgBytes.length / 2), Math.floor(jpgBytes.length / 2))
    writeSync(fdSized, sized, 0, sized.length, 0)
    for (const fd of [fdPng, fdJpg, fdSized]) closeSync(fd)
    await until(() => jobs(h!).length === 3, 15_000)
    const ids = jobs(h).map((j) => j.id)
    await settle(h.engine, ids)
    await sleep(TIMING.settleMs * 2)
    expect(jobs(h)).toHaveLength(3)
    expect(uploaded(h).sort()).toEqual([sha(pngBytes), sha(jpgBytes), sha(sized)].sort())
    for (const name of ['stalled.png', 'stalled.jpg', 'sized.png']) expect(events.filter((e) => e.name === name && e.outcome === 'queued')).toHaveLength(1)
  })

  it('a link in the folder to an image elsewhere is refused, not followed', async () => {
    h = await harness()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'in')
    const outside = folderIn(h, 'private')
    writeFileSync(join(outside, 'secret.png'), png(90))
    await watch.add(dir, recipe('link'))
    await until(() => watch.list()[0]?.state === 'watching')
    symlinkSync(join(outside, 'secret.png'), join(dir, 'innocent.png'))
    await until(() => events.some((e) => e.name === 'innocent.png' && e.outcome === 'refused'), 10_000)
    expect(events.find((e) => e.name === 'innocent.png' && e.outcome === 'refused')!.reason).toMatchObject({ code: 'watch.notRegular' })
    await sleep(TIMING.settleMs * 2)
    expect(jobs(h)).toHaveLength(0)
    expect(h.fake.createCountsByPrompt().size).toBe(0)
  })

  it('adding a folder skips the images already in it unless asked; skipped files are shown and never sent', async () => {
    h = await harness()
    const { watch, events } = service(h)
    watch.start()
    const skipDir = folderIn(h, 'skip')
    const includeDir = folderIn(h, 'include')
    for (let i = 0; i < 3; i++) writeFileSync(join(skipDir, `old-${i}.png`), png(100 + i))
    for (let i = 0; i < 2; i++) writeFileSync(join(includeDir, `old-${i}.png`), png(110 + i))
    expect(await watch.inspect(skipDir)).toMatchObject({ path: skipDir, images: 3 })
    const skipped = await watch.add(skipDir, recipe('skip'), { existing: 'skip' })
    if (!skipped.ok) throw new Error('not added')
    await watch.add(includeDir, recipe('include'), { existing: 'include' })
    await until(() => jobs(h!).length === 2, 10_000)
    const view = watch.list().find((f) => f.path === skipDir)!
    expect(view.files.map((f) => `${f.name}:${f.outcome}`).sort()).toEqual(['old-0.png:skipped', 'old-1.png:skipped', 'old-2.png:skipped'])
    expect(view.files[0]!.reason).toMatchObject({ code: 'watch.skippedExisting' })
    expect(view.counts).toMatchObject({ queued: 0, skipped: 3 })
    writeFileSync(join(skipDir, 'new.png'), png(120))
    await until(() => events.some((e) => e.name === 'new.png' && e.outcome === 'queued'), 10_000)
    await sleep(TIMING.settleMs * 2)
    expect(h.fake.createCountsByPrompt().get('skip') ?? 0).toBeLessThanOrEqual(1)
    expect(jobs(h).filter((j) => j.spec.prompt === 'skip')).toHaveLength(1)
    expect(jobs(h).filter((j) => j.spec.prompt === 'include')).toHaveLength(2)
    // A restart does not send them either.
    await watch.stop()
    services = []
    const again = service(h)
    again.watch.start()
    await until(() => again.events.filter((e) => e.outcome === 'known' && e.initial && e.folder === skipDir).length === 4, 10_000)
    expect(jobs(h)).toHaveLength(3)
  })

  it('an image over the model’s size limit is refused from its size, without being read', async () => {
    h = await harness()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'in')
    await watch.add(dir, recipe('big'))
    // A valid PNG header followed by 64 MB of nothing (a sparse file): Kling takes at most 10 MB.
    const fd = openSync(join(dir, 'huge.png'), 'w')
    writeSync(fd, png(130))
    ftruncateSync(fd, 64 * 1024 * 1024)
    closeSync(fd)
    await until(() => events.some((e) => e.name === 'huge.png' && e.outcome === 'refused'), 10_000)
    const refused = events.find((e) => e.name === 'huge.png' && e.outcome === 'refused')!
    expect(refused.errors.map((e) => e.code)).toEqual(['image.tooLarge'])
    // Refused before any copy was made (a copy is how the intake reads a whole file).
    expect(existsSync(join(h.dir, 'watch-images')) ? readdirSync(join(h.dir, 'watch-images')) : []).toEqual([])
  })

  it('a file refused again and again keeps one row, not one per change', async () => {
    h = await harness()
    const { watch, events } = service(h)
    watch.start()
    const dir = folderIn(h, 'in')
    await watch.add(dir, recipe('rows'))
    for (let i = 1; i <= 4; i++) {
      writeFileSync(join(dir, 'notes.txt'), 'x'.repeat(i * 10))
      await until(() => events.filter((e) => e.name === 'notes.txt' && e.outcome === 'refused').length === i, 10_000)
    }
    const db = new Database(join(h.dir, 'studio.db'), { readonly: true })
    try {
      expect((db.prepare("SELECT COUNT(*) AS n FROM watch_files WHERE name = 'notes.txt'").get() as { n: number }).n).toBe(1)
    } finally {
      db.close()
    }
    expect(watch.list()[0]!.files.find((f) => f.name === 'notes.txt')).toMatchObject({ outcome: 'refused' })
  })
})

describe('a folder watch’s own bookkeeping', () => {
  it('an error about one file is not the folder’s loss; a loss noticed while stopping does not outlive the stop', async () => {
    h = await harness()
    const dir = folderIn(h, 'in')
    const engine = h.engine
    const ports = {
      clock: systemClock,
      logger: { log: () => {} },
      timing: TIMING,
      store: engine.watchRecords,
      imageDir: join(h.dir, 'watch-images'),
      createJobs: (input: Parameters<Engine['createJobs']>[0]) => engine.createJobs(input),
      model: (id: string) => engine.model(id),
      ensureModels: async () => (await engine.refreshModels()).models.length > 0
    }
    const states: string[] = []
    const fw = new FolderWatch(ports, { id: null, path: dir, recipe: recipe('bookkeeping') }, (n) => {
      if (n.type === 'folder' && n.state) states.push(n.state)
    })
    fw.start()
    await until(() => fw.state === 'watching')
    type Inner = { emit: (event: string, ...args: unknown[]) => void; close: () => Promise<void> }
    const watcher = (): Inner => (fw as unknown as { watcher: Inner }).watcher
    // A file inside could not be read: the folder is still watched.
    watcher().emit('error', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', path: join(dir, 'locked.png') }))
    await sleep(200)
    expect(fw.state).toBe('watching')
    // The watch broke, and the folder is stopped while the broken watch is still closing: it stays stopped.
    const inner = watcher()
    const close = inner.close.bind(inner)
    inner.close = () => sleep(300).then(close)
    watcher().emit('error', Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' }))
    await fw.stop()
    await sleep(TIMING.folderRetryMs * 2)
    expect(fw.state).toBe('paused')
    expect(states.at(-1)).toBe('paused')
  })
})
