// Provider-native families: Runway (official + compat), Kling, xAI, Volcengine legacy.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from './server'
import { api, at, Clock, fx, keysOf, makePng, shapeOf } from './testHelpers'

const clock = new Clock()
let fake: FakeCometApi
const RUNWAY = { 'X-Runway-Version': '2024-11-06' }
const PNG_URI = `data:image/png;base64,${makePng(64, 64).toString('base64')}`

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 1000 }, now: clock.now, keys: ['sk-test-good', 'sk-other'] })
})
afterAll(() => fake.close())
beforeEach(() => fake.setOptions({ runwayDialect: 'flat', xaiDialect: 'flat', xaiRequestIdOnlyWhilePending: true, transientNotExist: false }))

/** Polls at queued, running (50 %) and terminal (110 %) via the fake clock. */
async function lifecycle(path: string) {
  const queued = await api(fake, path)
  clock.advance(500)
  const running = await api(fake, path)
  clock.advance(600)
  const done = await api(fake, path)
  return { queued: queued.body, running: running.body, done: done.body }
}

describe('Runway official', () => {
  const body = { promptImage: 'https://example.invalid/cat.jpg', model: 'gen4_turbo', promptText: 'The cat yawns', duration: 5, ratio: '1280:768', seed: 42 }

  it('flat dialect: PENDING → RUNNING → SUCCEEDED / FAILED', async () => {
    const c = await api(fake, '/runwayml/v1/image_to_video', { json: body, headers: RUNWAY })
    expect(c.status).toBe(200)
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('runway_official.create_response')))
    expect(c.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    const f = await api(fake, '/runwayml/v1/image_to_video', { json: { ...body, promptText: 'x [fail]' }, headers: RUNWAY })
    const { queued, running, done } = await lifecycle(`/runwayml/v1/tasks/${String(c.body.id)}`)
    expect(shapeOf(queued)).toEqual(shapeOf(fx('runway_official.poll_responses.queued')))
    expect(shapeOf(running)).toEqual(shapeOf(fx('runway_official.poll_responses.running')))
    expect(running).toMatchObject({ status: 'RUNNING', progress: 0.5 })
    expect(shapeOf(done)).toEqual(shapeOf(fx('runway_official.poll_responses.succeeded')))
    expect(String(at(done, 'output.0'))).toContain('/files/')
    expect(new Date(String(done.createdAt)).toISOString()).toBe(done.createdAt)
    const failed = (await api(fake, `/runwayml/v1/tasks/${String(f.body.id)}`)).body
    expect(shapeOf(failed)).toEqual(shapeOf(fx('runway_official.poll_responses.failed')))
  })

  it('wrapped legacy dialect', async () => {
    fake.setOptions({ runwayDialect: 'wrapped' })
    const c = await api(fake, '/runwayml/v1/image_to_video', { json: body, headers: RUNWAY })
    const { queued, running, done } = await lifecycle(`/runwayml/v1/tasks/${String(c.body.id)}`)
    expect(shapeOf(queued)).toEqual(shapeOf(fx('runway_official.poll_responses_wrapped_legacy.queued')))
    expect(queued).toMatchObject({ code: 'success', data: { status: 'QUEUED', progress: '0%', action: 'IMAGE_TO_VIDEO', data: { status: 'PENDING' } } })
    expect(running).toMatchObject({ data: { status: 'IN_PROGRESS', progress: '50%' } })
    expect(shapeOf(done)).toEqual(shapeOf(fx('runway_official.poll_responses_wrapped_legacy.succeeded')))
    expect(done).toMatchObject({ data: { status: 'SUCCESS', progress: '100%', data: { status: 'SUCCEEDED' } } })
  })

  it('validates the header and body; first poll can be task_not_exist', async () => {
    expect((await api(fake, '/runwayml/v1/image_to_video', { json: body })).status).toBe(400)
    const bad = async (patch: Record<string, unknown>) => (await api(fake, '/runwayml/v1/image_to_video', { json: { ...body, ...patch }, headers: RUNWAY })).status
    expect(await bad({ ratio: '16:9' })).toBe(400)
    expect(await bad({ duration: 7 })).toBe(400)
    expect(await bad({ promptText: 'x'.repeat(513) })).toBe(400)
    expect(await bad({ promptImage: 'http://example.invalid/cat.jpg' })).toBe(400)
    expect(await bad({ promptImage: 'data:image/png;base64,AAAA' })).toBe(400)
    expect(await bad({ promptImage: PNG_URI })).toBe(200)
    expect(await bad({ model: 'gen9' })).toBe(503)
    fake.setOptions({ transientNotExist: true })
    const c = await api(fake, '/runwayml/v1/image_to_video', { json: body, headers: RUNWAY })
    const first = await api(fake, `/runwayml/v1/tasks/${String(c.body.id)}`)
    expect(first.status).toBe(400)
    expect(first.body).toEqual(fx('runway_official.transient_not_found.body'))
    expect((await api(fake, `/runwayml/v1/tasks/${String(c.body.id)}`)).status).toBe(200)
  })

  it('compatibility routes: /runway/pro/generate + POST /runway/feed', async () => {
    const c = await api(fake, '/runway/pro/generate', { json: fx('runway_compat.create_request'), headers: RUNWAY })
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('runway_compat.create_response')))
    const id = String(at(c.body, 'data.task_id'))
    const feed = () => api(fake, '/runway/feed', { json: { task_id: id } })
    expect(shapeOf((await feed()).body)).toEqual(shapeOf(fx('runway_compat.poll_responses.queued')))
    clock.advance(500)
    expect(shapeOf((await feed()).body)).toEqual(shapeOf(fx('runway_compat.poll_responses.running')))
    clock.advance(600)
    expect(shapeOf((await feed()).body)).toEqual(shapeOf(fx('runway_compat.poll_responses.succeeded')))
    expect(fake.log.at(-1)).toMatchObject({ kind: 'poll', family: 'runway-compat', taskId: id })
  })
})

describe('Kling', () => {
  const t2v = { model_name: 'kling-v2-6', prompt: 'A beach', duration: '5', aspect_ratio: '16:9', mode: 'std' }

  it('text2video: envelope, ms timestamps, submitted → processing → succeed', async () => {
    const c = await api(fake, '/kling/v1/videos/text2video', { json: { ...t2v, external_task_id: 'job-shape-1' } })
    expect(c.status).toBe(200)
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('kling_text2video.create_response')))
    expect(String(at(c.body, 'data.task_id'))).toMatch(/^\d{18,19}$/)
    expect(at(c.body, 'data.created_at')).toBe(clock.t)
    expect(at(c.body, 'data.task_info')).toEqual({ external_task_id: 'job-shape-1' })
    const plain = await api(fake, '/kling/v1/videos/text2video', { json: t2v })
    const { queued, running, done } = await lifecycle(`/kling/v1/videos/text2video/${String(at(plain.body, 'data.task_id'))}`)
    expect(shapeOf(queued)).toEqual(shapeOf(fx('kling_text2video.poll_responses.queued')))
    expect(shapeOf(running)).toEqual(shapeOf(fx('kling_text2video.poll_responses.running')))
    expect(shapeOf(done)).toEqual(shapeOf(fx('kling_text2video.poll_responses.succeeded')))
    expect(at(done, 'data.task_status')).toBe('succeed')
    expect(String(at(done, 'data.task_result.videos.0.url'))).toContain('/files/')
  })

  it('failed tasks carry task_status_msg', async () => {
    const c = await api(fake, '/kling/v1/videos/text2video', { json: { ...t2v, prompt: 'x [fail]' } })
    clock.advance(1000)
    const done = (await api(fake, `/kling/v1/videos/text2video/${String(at(c.body, 'data.task_id'))}`)).body
    expect(shapeOf(done)).toEqual(shapeOf(fx('kling_text2video.poll_responses.failed')))
    expect(at(done, 'data.task_status_msg')).toMatch(/rejected/)
  })

  it('finds a task by external_task_id (kind lookup) and refuses a duplicate one per key', async () => {
    const c = await api(fake, '/kling/v1/videos/text2video', { json: { ...t2v, external_task_id: 'ours-42' } })
    const id = String(at(c.body, 'data.task_id'))
    const looked = await api(fake, '/kling/v1/videos/text2video/ours-42')
    expect(looked.status).toBe(200)
    expect(at(looked.body, 'data.task_id')).toBe(id)
    expect(fake.log.at(-1)).toMatchObject({ kind: 'lookup', externalId: 'ours-42', taskId: id })
    const missing = await api(fake, '/kling/v1/videos/text2video/ours-missing')
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ code: 1203, message: 'task not found' })
    expect(fake.log.at(-1)).toMatchObject({ kind: 'lookup', externalId: 'ours-missing', taskId: null })
    const unknown = await api(fake, '/kling/v1/videos/text2video/123456789012345678')
    expect(unknown.status).toBe(404)
    expect(fake.log.at(-1)?.kind).toBe('poll')
    const dup = await api(fake, '/kling/v1/videos/text2video', { json: { ...t2v, external_task_id: 'ours-42' } })
    expect(dup.status).toBe(400)
    expect(dup.body.code).not.toBe(0)
    expect(String(dup.body.message)).toMatch(/ours-42/)
    expect(fake.log.at(-1)?.created).toBe(false)
    // Unique per key: another key may use the same external id, and cannot see ours.
    expect((await api(fake, '/kling/v1/videos/text2video/ours-42', { key: 'sk-other' })).status).toBe(404)
    expect((await api(fake, '/kling/v1/videos/text2video', { json: { ...t2v, external_task_id: 'ours-42' }, key: 'sk-other' })).status).toBe(200)
    // A text2video task is not found under image2video.
    expect((await api(fake, `/kling/v1/videos/image2video/${id}`)).status).toBe(404)
  })

  it('validates model_name, prompt, duration type and images', async () => {
    const send = (path: string, json: Record<string, unknown>) => api(fake, `/kling/v1/videos/${path}`, { json })
    const model = await send('text2video', { ...t2v, model_name: 'kling-v9' })
    expect(model.status).toBe(400)
    expect(model.body).toMatchObject({ code: 1201, message: 'invalid model name' })
    expect((await send('text2video', { ...t2v, model: 'kling-v2-6', model_name: undefined })).body.code).toBe(0)
    expect((await send('text2video', { ...t2v, duration: 5 })).body.code).not.toBe(0)
    expect((await send('text2video', { ...t2v, prompt: 'x'.repeat(501) })).body.code).not.toBe(0)
    expect((await send('text2video', { ...t2v, prompt: 'x'.repeat(500) })).body.code).toBe(0)
    const i2v = { model_name: 'kling-v2-6', prompt: 'smile', duration: '10' }
    const raw = makePng(300, 300).toString('base64')
    const ok = await send('image2video', { ...i2v, image: raw })
    expect(ok.body.code).toBe(0)
    expect(fake.tasks.get(String(at(ok.body, 'data.task_id')))?.images).toBe(1)
    expect((await send('image2video', { ...i2v, image: 'https://example.invalid/a.png' })).body.code).toBe(0)
    expect((await send('image2video', { ...i2v, image: `data:image/png;base64,${raw}` })).body.code).not.toBe(0)
    expect((await send('image2video', { ...i2v, image: makePng(299, 400).toString('base64') })).body.code).not.toBe(0)
    expect((await send('image2video', i2v)).body.code).not.toBe(0)
  })
})

describe('xAI', () => {
  const gen = { model: 'grok-imagine-video', prompt: 'A candle flickers', duration: 1, resolution: '480p', aspect_ratio: '1:1' }

  it('flat: request_id only while pending, then processing, done', async () => {
    const c = await api(fake, '/grok/v1/videos/generations', { json: gen })
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('xai.create_response')))
    const { queued, running, done } = await lifecycle(`/grok/v1/videos/${String(c.body.request_id)}`)
    expect(queued).toEqual({ request_id: c.body.request_id })
    expect(shapeOf(running)).toEqual(shapeOf(fx('xai.poll_responses.running')))
    expect(shapeOf(done)).toEqual(shapeOf(fx('xai.poll_responses.succeeded')))
    expect(done).toMatchObject({ status: 'done', progress: 100, video: { duration: 1, respect_moderation: true } })
  })

  it('failed, expired and the status-while-pending option', async () => {
    fake.setOptions({ xaiRequestIdOnlyWhilePending: false })
    const f = await api(fake, '/grok/v1/videos/generations', { json: { ...gen, prompt: 'x [fail]' } })
    const e = await api(fake, '/grok/v1/videos/generations', { json: { ...gen, prompt: 'x [expire]' } })
    expect((await api(fake, `/grok/v1/videos/${String(f.body.request_id)}`)).body).toMatchObject({ status: 'queued', progress: 0 })
    clock.advance(1000)
    const failed = (await api(fake, `/grok/v1/videos/${String(f.body.request_id)}`)).body
    expect(shapeOf(failed)).toEqual(shapeOf(fx('xai.poll_responses.failed')))
    const expired = (await api(fake, `/grok/v1/videos/${String(e.body.request_id)}`)).body
    expect(expired).toMatchObject({ status: 'expired', error: { code: 'expired' } })
  })

  it('wrapped legacy dialect: fail_reason holds the URL on success', async () => {
    fake.setOptions({ xaiDialect: 'wrapped' })
    const c = await api(fake, '/grok/v1/videos/generations', { json: { ...gen, image: { url: PNG_URI } } })
    const { queued, running, done } = await lifecycle(`/grok/v1/videos/${String(c.body.request_id)}`)
    expect(queued).toMatchObject({ code: 'success', data: { status: 'QUEUED', action: 'VIDEO_GENERATION' } })
    expect(running).toMatchObject({ data: { status: 'IN_PROGRESS', progress: '50%', data: { status: 'processing' } } })
    expect(shapeOf(done)).toEqual(shapeOf(fx('xai.poll_responses_wrapped_legacy.succeeded')))
    expect(at(done, 'data.fail_reason')).toBe(at(done, 'data.data.video.url'))
  })

  it('validates duration, resolution, aspect ratio, image; supports edits', async () => {
    const send = async (patch: Record<string, unknown>) => (await api(fake, '/grok/v1/videos/generations', { json: { ...gen, ...patch } })).status
    expect(await send({ duration: 16 })).toBe(400)
    expect(await send({ duration: 15 })).toBe(200)
    expect(await send({ resolution: '4k' })).toBe(400)
    expect(await send({ resolution: '1080p' })).toBe(200)
    expect(await send({ aspect_ratio: '21:9' })).toBe(400)
    expect(await send({ image: { url: 'http://example.invalid/a.png' } })).toBe(400)
    expect(await send({ prompt: '' })).toBe(400)
    const edit = await api(fake, '/grok/v1/videos/edits', { json: { prompt: 'Add snow', video: { url: 'https://example.invalid/s.mp4' } } })
    expect(shapeOf(edit.body)).toEqual(shapeOf(fx('xai.edit.response')))
    expect((await api(fake, '/grok/v1/videos/nope')).status).toBe(400)
  })
})

describe('Volcengine legacy Seedance', () => {
  it('create → queued → running → succeeded in the documented shapes', async () => {
    const c = await api(fake, '/volc/v3/contents/generations/tasks', { json: fx('seedance_volc_legacy.create_request') })
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('seedance_volc_legacy.create_response')))
    expect(c.body.id).toMatch(/^021\d+$/)
    const { queued, running, done } = await lifecycle(`/volc/v3/contents/generations/tasks/${String(c.body.id)}`)
    expect(shapeOf(queued)).toEqual(shapeOf(fx('seedance_volc_legacy.poll_responses.queued')))
    expect(shapeOf(running)).toEqual(shapeOf(fx('seedance_volc_legacy.poll_responses.running')))
    expect(shapeOf(done)).toEqual(shapeOf(fx('seedance_volc_legacy.poll_responses.succeeded')))
    expect(done).toMatchObject({ duration: 5, ratio: '16:9' })
    expect(keysOf(fx('seedance_volc_legacy.poll_responses.failed'))).toContain('error')
  })
})
