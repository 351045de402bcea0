// Bad input through the real entry points: dropped files (files.inspect), prompts (engine.validate
// and the IPC schema), keys and base URLs (Studio.setKey, settings), and a server that answers
// garbage. Each gets a clear message; nothing is lost, nothing is read whole that need not be.
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/app/dispatch'
import { createHandlers, type Handlers } from '../../src/app/handlers'
import type { InspectReply } from '../../src/shared/ipc/contract'
import type { JobSpec, JobView } from '../../src/shared/jobs'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { solidPng } from '../helpers/png'
import { recordFigures } from './figures'
import { auditLibrary, FIXTURES, makeStudio, readSidecars, sleep, until, type StudioRig } from './helpers'

let fake: FakeCometApi
let dir: string
let drop: string
let rig: StudioRig
let handlers: Handlers
const figures: Record<string, string | number> = {}
const silent = { log: () => {} }

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 300 } })
  dir = mkdtempSync(join(tmpdir(), 'cvs-torture-bad-'))
  drop = mkdtempSync(join(tmpdir(), 'cvs-torture-drop-'))
  rig = makeStudio(dir, fake.url, { engine: { downloadHooks: { freeSpace: async () => free, idleTimeoutMs: 1500 } } })
  rig.studio.start()
  handlers = createHandlers(rig.studio)
  await rig.studio.engine.refreshModels({ force: true })
})
afterAll(async () => {
  await rig?.studio.stop()
  await fake?.close()
  rmSync(dir, { recursive: true, force: true })
  rmSync(drop, { recursive: true, force: true })
  recordFigures('Bad input', figures)
})

let free = 1024 ** 4
const job = (id: string): JobView => rig.studio.engine.getJob(id)!

async function inspect(paths: string[], model?: string): Promise<InspectReply> {
  // As a real drop does: the preload records the chosen paths, then the page asks what they are.
  await dispatch(handlers, 'files.chosen', { paths }, silent)
  const r = await dispatch(handlers, 'files.inspect', { paths, model }, silent)
  if (!r.ok) throw new Error(r.error.message)
  return r.value as InspectReply
}

/** A PNG whose header says 4000×3000, stretched (sparse) to `bytes` without writing them. */
function sparsePng(path: string, bytes: number): void {
  const head = solidPng(4000, 3000, [10, 20, 30]).subarray(0, 33) // signature + IHDR
  const fd = openSync(path, 'w')
  writeSync(fd, head)
  closeSync(fd)
  truncateSync(path, bytes)
}

describe('dropped files', () => {
  it('every kind of bad file gets its own plain reason, and a 200 MB image is never read whole', async () => {
    const f = (name: string): string => join(drop, name)
    copyFileSync(join(FIXTURES, 'images/pdf-renamed.png'), f('report.png'))
    copyFileSync(join(FIXTURES, 'images/empty.png'), f('zero.png'))
    copyFileSync(join(FIXTURES, 'images/corrupt-header.png'), f('broken.png'))
    copyFileSync(join(FIXTURES, 'images/solid-100x100.png'), f('tiny.png'))
    writeFileSync(f('notes.txt'), 'not an image at all\n')
    sparsePng(f('huge.png'), 200 * 1024 * 1024)
    symlinkSync(f('does-not-exist.png'), f('dangling.png'))
    mkdirSync(f('loop'))
    symlinkSync(f('loop'), join(f('loop'), 'again'))
    copyFileSync(join(FIXTURES, 'images/solid-300x300.jpg'), join(f('loop'), 'ok.jpg'))
    const rss0 = process.memoryUsage().rss
    const t0 = performance.now()
    const r = await inspect(['report.png', 'zero.png', 'broken.png', 'tiny.png', 'notes.txt', 'huge.png', 'dangling.png', 'loop'].map(f), 'kling-v2-6')
    const ms = performance.now() - t0
    const rssGrowth = process.memoryUsage().rss - rss0
    const reason = (name: string): string => r.rejected.find((x) => x.name === name)?.reason ?? r.cards.find((c) => c.name === name)?.problems.map((p) => p.message).join(' ') ?? 'NO OUTCOME'
    expect(reason('report.png')).toBe('Named like an image, but its content is not one.')
    expect(reason('zero.png')).toBe('The file is empty (0 bytes).')
    expect(reason('broken.png')).toMatch(/its header looks damaged or cut short/)
    expect(reason('notes.txt')).toBe('Not an image.')
    expect(reason('tiny.png')).toMatch(/100x100 pixels; this model needs at least 300x300/)
    expect(r.cards.find((c) => c.name === 'tiny.png')?.fix).toEqual({ width: 300, height: 300 })
    expect(reason('huge.png')).toMatch(/"huge\.png" is 200 MB; this model accepts/)
    expect(reason('dangling.png')).toMatch(/gone or its link leads nowhere/)
    expect(r.cards.filter((c) => c.name === 'ok.jpg')).toHaveLength(1) // the loop was walked once
    expect(ms).toBeLessThan(3000)
    expect(rssGrowth).toBeLessThan(64 * 1024 * 1024)
    // The engine refuses the 200 MB image before anything is read or sent.
    const problems = await rig.studio.engine.validate({ model: 'kling-v2-6', prompt: 'huge', seconds: 5, images: [f('huge.png')] })
    expect(problems[0]).toMatchObject({ field: 'images[0]' })
    figures['bad files, each with its reason'] = '8/8 (renamed PDF, 0 bytes, corrupt header, text, 100x100 for 300x300, 200 MB, dangling link, link loop)'
    figures['200 MB image: inspected in'] = `${Math.round(ms)} ms, RSS +${Math.round(rssGrowth / 1024 / 1024)} MB`
  })

  it('an image of the wrong shape for Sora gets a fix; the wrong size for the chosen `size` is named', async () => {
    const square = join(drop, 'square.png')
    writeFileSync(square, solidPng(1000, 1000, [200, 100, 50]))
    const r = await inspect([square], 'sora-2')
    expect(r.cards[0].problems.map((p) => p.code)).toContain('image.sizeMismatch')
    expect(r.cards[0].fix).toBeTruthy()
    const mismatch = await rig.studio.engine.validate({ model: 'sora-2', prompt: 'x', seconds: 4, size: '1280x720', images: [join(FIXTURES, 'images/solid-720x1280.jpg')] })
    expect(mismatch[0]).toMatchObject({ code: 'image.sizeMismatch' })
    expect(mismatch[0].message).toMatch(/720x1280.*1280x720|1280x720.*720x1280/)
  })

  it('a folder with 10,050 files: the first 10,000 are used, the rest listed, duplicates noticed, in seconds', async () => {
    const big = join(drop, 'many')
    mkdirSync(big)
    const png = solidPng(8, 8, [1, 2, 3])
    for (let i = 0; i < 10_050; i++) writeFileSync(join(big, `img-${String(i).padStart(5, '0')}.png`), i % 2 ? png : solidPng(8, 8, [i & 255, (i >> 8) & 255, 7]))
    const t0 = performance.now()
    const r = await inspect([big], 'kling-v2-6')
    const ms = performance.now() - t0
    expect(r.scanned.files).toBe(10_000)
    expect(r.rejected.filter((x) => x.code === 'tooMany').length).toBeGreaterThan(0)
    expect(r.cards.filter((c) => c.duplicateOf).length).toBeGreaterThanOrEqual(4999)
    expect(ms).toBeLessThan(20_000)
    figures['10,050-file folder'] = `${r.cards.length} cards, ${r.cards.filter((c) => c.duplicateOf).length} duplicates noticed, rest listed, ${(ms / 1000).toFixed(1)} s`
  })
})

describe('prompts', () => {
  const sora = (prompt: string): JobSpec => ({ model: 'sora-2', prompt, seconds: 4, size: '1280x720' })

  it('empty, blank, too long and control characters are named; the IPC schema stops absurd sizes', async () => {
    const codes = async (p: string): Promise<string[]> => (await rig.studio.engine.validate(sora(p))).map((e) => e.code)
    expect(await codes('')).toEqual(['prompt.empty'])
    expect(await codes(' \n\t ')).toEqual(['prompt.empty'])
    expect(await codes('x'.repeat(32_001))).toEqual(['prompt.tooLong'])
    expect(await codes('a bell \u0007 rings')).toEqual(['prompt.controlChar'])
    expect(await codes('half a pair \ud800 here')).toEqual(['prompt.controlChar'])
    expect(await codes('🙂'.repeat(32_000))).toEqual([]) // counted as a person counts: 32,000 characters
    const r = await dispatch(handlers, 'jobs.validate', { spec: sora('x'.repeat(40_001)) }, silent)
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'spec.prompt' } })
  })

  it('emoji, RTL text and combining marks reach the provider unchanged and make a sane file name', async () => {
    const prompt = 'שלום עולם 👩‍👩‍👧‍👦 مرحبا بالعالم 🇯🇵 e\u0301te\u0301 \u202Egnp.exe\u202C — 東京の夜'
    const r = await rig.studio.engine.createJobs({ specs: [sora(prompt)] })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const id = r.jobs[0].id
    await until(() => job(id).state === 'completed', 15_000)
    expect(fake.creates().find((e) => e.prompt === prompt)).toBeTruthy()
    const item = rig.studio.engine.library.getByJob(id)!
    expect(item.prompt).toBe(prompt)
    // eslint-disable-next-line no-control-regex
    expect(item.fileName).not.toMatch(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069/\\:*?"<>|]/)
    expect(Buffer.byteLength(item.fileName)).toBeLessThanOrEqual(200)
    expect(readSidecars(join(dir, 'library')).find((s) => s.jobId === id)?.prompt).toBe(prompt)
    figures['emoji/RTL/bidi prompt'] = `sent unchanged; file name "${item.fileName}"`
  })
})

describe('keys and base URL', () => {
  it('a wrong key, a key with spaces inside, an empty one, a control character: each refused plainly; padding and "Bearer" are forgiven', async () => {
    const set = (k: string) => rig.studio.setKey(k)
    expect(await set('')).toMatchObject({ ok: false, message: expect.stringMatching(/The key is empty/) })
    expect(await set('sk-abc def-12345')).toMatchObject({ ok: false, message: expect.stringMatching(/contains spaces or line breaks/) })
    expect(await set('sk-test\u0000good')).toMatchObject({ ok: false, message: expect.stringMatching(/control characters/) })
    const wrong = await set('sk-wrong-0123456789')
    expect(wrong).toMatchObject({ ok: false, verified: true, message: expect.stringMatching(/did not accept this key\. Check that you copied all of it/), refusal: { httpStatus: 401, serverMessage: 'invalid token', requestId: expect.stringMatching(/^[0-9a-f]{32}$/) } })
    expect(wrong.message).not.toContain('sk-wrong-0123456789')
    expect(await set('  Bearer sk-test-good \n')).toMatchObject({ ok: true, status: { last4: 'good' } })
    figures['bad keys refused with a reason'] = '4/4 (empty, inner space, NUL, wrong); padded "Bearer" key accepted'
  })

  it('a base URL with a typo (a web page or a redirect): a clear message, jobs wait, and finish once it is fixed', async () => {
    const good = rig.studio.engine.settings.baseUrl
    for (const [mode, expected] of [['redirect', /redirected .* instead of answering\. Check the base URL/], ['html', /answered .* with a web page, not the API\. Check the base URL/]] as const) {
      fake.setOptions({ unknownPath: mode })
      await dispatch(handlers, 'settings.update', { baseUrl: `${good}/typo` }, silent)
      const key = await rig.studio.setKey('sk-test-good')
      expect(key).toMatchObject({ ok: false, verified: true })
      expect(key.message).toMatch(expected)
    }
    const r = await rig.studio.engine.createJobs({ specs: [{ model: 'kling-v2-6', prompt: 'sent after the base URL is fixed', seconds: 5 }] })
    if (!r.ok) throw new Error('create failed')
    const id = r.jobs[0].id
    await until(() => rig.studio.engine.status().paused?.kind === 'bad_base_url', 10_000)
    expect(job(id).state).toBe('queued')
    await dispatch(handlers, 'settings.update', { baseUrl: good }, silent)
    await until(() => job(id).state === 'completed', 15_000)
    expect(fake.createCountsByPrompt().get('sent after the base URL is fixed')).toBe(1)
    figures['base URL typo'] = 'explained (redirect and web page); the job waited and completed after the fix'
  })
})

describe('a server that answers garbage', () => {
  async function runJobs(specs: JobSpec[], ms = 20_000): Promise<JobView[]> {
    const r = await rig.studio.engine.createJobs({ specs })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const ids = r.jobs.map((j) => j.id)
    await until(() => ids.every((id) => ['completed', 'failed', 'needs_decision', 'download_failed'].includes(job(id).state)), ms, () => JSON.stringify(ids.map((id) => [job(id).state, job(id).note])))
    return ids.map(job)
  }

  it('malformed JSON: a lost create answer is looked up (Kling) or left for the user, never re-sent; polls just retry', async () => {
    fake.injectOnce({ kind: 'create', family: 'kling', fault: 'malformed-json' })
    fake.injectOnce({ kind: 'create', family: 'openai-videos', fault: 'malformed-json' })
    fake.injectOnce({ kind: 'poll', family: 'xai', fault: 'malformed-json', count: 3 })
    const [kling, sora, grok] = await runJobs([
      { model: 'kling-v2-6', prompt: 'garbled create kling', seconds: 5 },
      { model: 'sora-2', prompt: 'garbled create sora', seconds: 4, size: '1280x720' },
      { model: 'grok-imagine-video', prompt: 'garbled polls grok', seconds: 2 }
    ])
    expect(kling.state).toBe('completed')
    expect(sora.state).toBe('needs_decision')
    expect(sora.note).toMatch(/could not read .*cannot tell whether the provider started it/s)
    expect(grok.state).toBe('completed')
    for (const p of ['garbled create kling', 'garbled create sora', 'garbled polls grok']) expect(fake.createCountsByPrompt().get(p)).toBe(1)
    figures['malformed JSON'] = 'Kling looked up (1 task), Sora waits for the user (1 task), polls retried'
  })

  it('unknown status words: still polling, says so, and finishes', async () => {
    fake.injectOnce({ kind: 'poll', fault: 'unknown-status', count: 4 })
    const notes: string[] = []
    const off = rig.studio.engine.on((e) => {
      if (e.type === 'job.updated' && e.job.note) notes.push(e.job.note)
    })
    const [j] = await runJobs([{ model: 'doubao-seedance-2-0-fast', prompt: 'odd status words', seconds: 5 }])
    off()
    expect(j.state).toBe('completed')
    expect(notes.some((n) => /status we do not know \(“WIBBLING”\); still checking/.test(n))).toBe(true)
    figures['unknown status words'] = 'noted to the user, kept polling, completed'
  })

  it('a result link that serves a web page: a passing one is retried, a lasting one waits for Retry download with a plain message (the video was made); Sora falls back to /content', async () => {
    fake.injectOnce({ kind: 'file', family: 'kling', fault: 'html', count: 1 })
    const [once] = await runJobs([{ model: 'kling-v2-6', prompt: 'html page once', seconds: 5 }])
    expect(once.state).toBe('completed')
    fake.injectOnce({ kind: 'file', family: 'kling', fault: 'html', count: 20 })
    const [always] = await runJobs([{ model: 'kling-v2-6', prompt: 'html page always', seconds: 5 }])
    expect(always.state).toBe('download_failed')
    expect(always.error?.message).toMatch(/did not lead to a video \(The download link from 127\.0\.0\.1:\d+ returned an HTML page, not a video\.\)/)
    fake.injectOnce({ kind: 'file', family: 'openai-videos', fault: 'html', count: 20 })
    const [sora] = await runJobs([{ model: 'sora-2', prompt: 'html page sora', seconds: 4, size: '1280x720' }])
    expect(sora.state).toBe('completed')
    expect(auditLibrary(join(dir, 'library')).problems).toEqual([])
    expect(fake.log.filter((e) => e.kind === 'content').length).toBeGreaterThan(0)
    figures['result link → web page'] = 'once: retried and completed; always: made, not downloaded (Retry download) with a plain message; Sora: /content fallback'
  })

  it('a result announced as 5 GB: not started without room, never buffered, a stalled transfer resumes', async () => {
    fake.injectOnce({ kind: 'file', family: 'xai', fault: 'huge-file', count: 2 })
    free = 2 * 1024 ** 3
    const rss0 = process.memoryUsage().rss
    const r = await rig.studio.engine.createJobs({ specs: [{ model: 'grok-imagine-video', prompt: 'five gigabytes', seconds: 2 }] })
    if (!r.ok) throw new Error('create failed')
    const id = r.jobs[0].id
    await until(() => /needs 4\.7 GiB but the library's disk has only 2\.0 GiB free/.test(job(id).note ?? ''), 15_000)
    expect(job(id).state).toBe('downloading')
    free = 1024 ** 4
    await until(() => job(id).state === 'completed', 30_000, () => `${job(id).state} ${job(id).note}`)
    expect(process.memoryUsage().rss - rss0).toBeLessThan(64 * 1024 * 1024)
    await sleep(50)
    figures['result announced as 5 GB'] = 'waited for room with a plain note; the stalled transfer resumed; completed'
  })
})
