// `/v1/videos` (Sora, generic, Omni, Veo, Seedance): documented shapes and validation.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from './server'
import { api, Clock, fx, keysOf, pngFile, shapeOf } from './testHelpers'

const clock = new Clock()
let fake: FakeCometApi
const SAMPLE = readFileSync(new URL('../fixtures/videos/sample.mp4', import.meta.url))

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 1000 }, now: clock.now })
})
afterAll(() => fake.close())
beforeEach(() => fake.setOptions({ seedanceCase: 'upper', transientNotExist: false }))

async function create(form: Record<string, string>, files?: ReturnType<typeof pngFile>[]) {
  return api(fake, '/v1/videos', { form, files })
}

/** Polls at queued (t0), running (50 %) and terminal (100 %) using the fake clock. */
async function lifecycle(id: string) {
  const queued = await api(fake, `/v1/videos/${id}`)
  clock.advance(500)
  const running = await api(fake, `/v1/videos/${id}`)
  clock.advance(600)
  const done = await api(fake, `/v1/videos/${id}`)
  return { queued: queued.body, running: running.body, done: done.body }
}

describe('Sora', () => {
  it('create → queued → in_progress → completed in the documented shapes', async () => {
    const c = await create({ model: 'sora-2', prompt: 'A paper airplane glides across a desk.', seconds: '4', size: '1280x720' })
    expect(c.status).toBe(200)
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('sora.create_response')))
    expect(c.body.id).toMatch(/^video_[0-9a-f]{32}$/)
    expect(c.body).not.toHaveProperty('task_id')
    const { queued, running, done } = await lifecycle(String(c.body.id))
    expect(shapeOf(queued)).toEqual(shapeOf(fx('sora.poll_responses.queued')))
    expect(shapeOf(running)).toEqual(shapeOf(fx('sora.poll_responses.running')))
    expect(running).toMatchObject({ status: 'in_progress', progress: 50 })
    expect(shapeOf(done)).toEqual(shapeOf(fx('sora.poll_responses.succeeded')))
    expect(done).toMatchObject({ status: 'completed', progress: 100, seconds: '4', size: '1280x720' })
    const url = new URL(String(done.video_url))
    expect(url.origin).toBe(fake.url)
    expect(url.pathname).toBe(`/files/${String(c.body.id)}.mp4`)
    expect(url.searchParams.get('exp')).toMatch(/^\d+$/)
    expect(url.searchParams.get('sig')).toMatch(/^[0-9a-f]{32}$/)
    expect(Number(done.expires_at)).toBeGreaterThan(Number(done.completed_at))
  })

  it('[fail] ends failed with an error object', async () => {
    const c = await create({ model: 'sora-2', prompt: 'boom [fail]' })
    const { done } = await lifecycle(String(c.body.id))
    expect(shapeOf(done)).toEqual(shapeOf(fx('sora.poll_responses.failed')))
    expect(done).toMatchObject({ status: 'failed', completed_at: null, error: { message: 'The provider rejected this prompt (placeholder)' } })
  })

  it('validates seconds, size and the reference image size', async () => {
    expect((await create({ model: 'sora-2', prompt: 'p', seconds: '5' })).status).toBe(400)
    expect((await create({ model: 'sora-2', prompt: 'p', seconds: '20' })).status).toBe(200)
    const bad = await create({ model: 'sora-2', prompt: 'p', size: '1792x1024' })
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ error: { param: 'size', type: 'comet_api_error' } })
    expect((await create({ model: 'sora-2-pro', prompt: 'p', size: '1792x1024' })).status).toBe(200)
    expect((await create({ model: 'sora-2', prompt: 'p', size: '720p' })).status).toBe(400)
    const mismatch = await create({ model: 'sora-2', prompt: 'p', size: '1280x720' }, [pngFile(720, 1280)])
    expect(mismatch.status).toBe(400)
    expect(String(mismatch.body.error && (mismatch.body.error as Record<string, unknown>).message)).toMatch(/must match the requested width and height/)
    expect((await create({ model: 'sora-2', prompt: 'p', size: '1280x720' }, [pngFile(1280, 720)])).status).toBe(200)
    // No size: the default 720x1280 must match.
    expect((await create({ model: 'sora-2', prompt: 'p' }, [pngFile(720, 1280)])).status).toBe(200)
    expect((await create({ model: 'sora-2', prompt: 'p', size: '1280x720' }, [pngFile(1280, 720), pngFile(1280, 720)])).status).toBe(400)
  })

  it('content streams only once completed; remix needs a completed source', async () => {
    const c = await create({ model: 'sora-2', prompt: 'remix source' })
    const id = String(c.body.id)
    const early = await api(fake, `/v1/videos/${id}/content`)
    expect(early.status).toBe(400)
    expect(early.body).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null } })
    expect((await api(fake, `/v1/videos/${id}/remix`, { json: { prompt: 'teal' } })).status).toBe(400)
    clock.advance(1000)
    const res = await fetch(`${fake.url}/v1/videos/${id}/content`, { headers: { Authorization: 'Bearer sk-test-good' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('video/mp4')
    expect(Buffer.from(await res.arrayBuffer()).equals(SAMPLE)).toBe(true)
    const ranged = await fetch(`${fake.url}/v1/videos/${id}/content`, { headers: { Authorization: 'Bearer sk-test-good', Range: 'bytes=100-' } })
    expect(ranged.status).toBe(206)
    expect((await ranged.arrayBuffer()).byteLength).toBe(SAMPLE.length - 100)
    const remix = await api(fake, `/v1/videos/${id}/remix`, { json: { prompt: 'Shift the color palette to teal' } })
    expect(remix.status).toBe(200)
    expect(keysOf(remix.body)).toEqual(keysOf(fx('sora.remix.response')))
    expect(remix.body).toMatchObject({ remixed_from_video_id: id, status: 'queued', model: 'sora-2' })
    const polled = await api(fake, `/v1/videos/${String(remix.body.id)}`)
    expect(polled.body.remixed_from_video_id).toBe(id)
    expect(fake.log.at(-2)).toMatchObject({ kind: 'remix', created: true, prompt: 'Shift the color palette to teal' })
  })
})

describe('generic, Omni and Veo', () => {
  it('wan2.6 walks the generic dialect, including task_id quirks', async () => {
    const c = await create({ model: 'wan2.6', prompt: 'A small robot walks', seconds: '5', size: '1280x720' })
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('v1_videos_generic.create_response')))
    expect(c.body.id).toMatch(/^task_[A-Za-z0-9]{32}$/)
    expect(c.body.task_id).toBe(c.body.id)
    const { queued, running, done } = await lifecycle(String(c.body.id))
    expect(shapeOf(queued)).toEqual(shapeOf(fx('v1_videos_generic.poll_responses.queued')))
    expect(shapeOf(running)).toEqual(shapeOf(fx('v1_videos_generic.poll_responses.running')))
    expect(shapeOf(done)).toEqual(shapeOf(fx('v1_videos_generic.poll_responses.succeeded')))
  })

  it('[fail] → failed and [expire] → error', async () => {
    const f = await create({ model: 'wan2.6', prompt: 'x [fail]' })
    const e = await create({ model: 'viduq3-turbo', prompt: 'x [expire]' })
    clock.advance(1000)
    const failed = (await api(fake, `/v1/videos/${String(f.body.id)}`)).body
    const errored = (await api(fake, `/v1/videos/${String(e.body.id)}`)).body
    expect(shapeOf(failed)).toEqual(shapeOf(fx('v1_videos_generic.poll_responses.failed')))
    expect(failed.status).toBe('failed')
    expect(shapeOf(errored)).toEqual(shapeOf(fx('v1_videos_generic.poll_responses.error')))
    expect(errored.status).toBe('error')
  })

  it('omni-fast completes without task_id like the documented example', async () => {
    const c = await create({ model: 'omni-fast', prompt: 'waves', seconds: '4', aspect_ratio: '16:9', resolution: '720p' })
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('omni_beta.create_response')))
    clock.advance(1000)
    const done = (await api(fake, `/v1/videos/${String(c.body.id)}`)).body
    expect(shapeOf(done)).toEqual(shapeOf(fx('omni_beta.poll_responses.succeeded')))
    expect((await create({ model: 'omni-fast', prompt: 'w', aspect_ratio: '4:3' })).status).toBe(400)
  })

  it('Veo echoes the resolved backend model and takes 0–2 references', async () => {
    const c = await create({ model: 'veo3.1-fast', prompt: 'A paper kite', size: '16x9' })
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('veo.create_response')))
    expect(c.body).toMatchObject({ model: 'veo_3_1-fast', seconds: '', size: '16x9' })
    const { queued, running, done } = await lifecycle(String(c.body.id))
    expect(shapeOf(queued)).toEqual(shapeOf(fx('veo.poll_responses.queued')))
    expect(shapeOf(running)).toEqual(shapeOf(fx('veo.poll_responses.running')))
    expect(shapeOf(done)).toEqual(shapeOf(fx('veo.poll_responses.succeeded')))
    const f = await create({ model: 'veo3.1-fast', prompt: 'k [fail]' })
    clock.advance(1000)
    expect(shapeOf((await api(fake, `/v1/videos/${String(f.body.id)}`)).body)).toEqual(shapeOf(fx('veo.poll_responses.failed')))
    expect((await create({ model: 'veo3.1-fast', prompt: 'k', size: '16:9' })).status).toBe(400)
    expect((await create({ model: 'veo3.1-fast', prompt: 'k' }, [pngFile(640, 360), pngFile(640, 360)])).status).toBe(200)
    expect((await create({ model: 'veo3.1-fast', prompt: 'k' }, [pngFile(64, 36), pngFile(64, 36), pngFile(64, 36)])).status).toBe(400)
  })
})

describe('Seedance', () => {
  it('upper-case dialect: SUBMITTED → IN_PROGRESS → SUCCESS, FAILED and ERROR', async () => {
    const c = await create({ model: 'doubao-seedance-2-0-fast', prompt: 'coast', seconds: '5', size: '16:9', resolution: '720p' })
    expect(shapeOf(c.body)).toEqual(shapeOf(fx('seedance_v1_videos.create_response')))
    expect(c.body.status).toBe('SUBMITTED')
    const f = await create({ model: 'doubao-seedance-2-0', prompt: 'x [fail]' })
    const e = await create({ model: 'doubao-seedance-2-0', prompt: 'x [expire]' })
    const { queued, running, done } = await lifecycle(String(c.body.id))
    expect(shapeOf(queued)).toEqual(shapeOf(fx('seedance_v1_videos.poll_responses.queued')))
    expect(shapeOf(running)).toEqual(shapeOf(fx('seedance_v1_videos.poll_responses.running')))
    expect(running.status).toBe('IN_PROGRESS')
    expect(shapeOf(done)).toEqual(shapeOf(fx('seedance_v1_videos.poll_responses.succeeded')))
    expect(done.status).toBe('SUCCESS')
    const failed = (await api(fake, `/v1/videos/${String(f.body.id)}`)).body
    const errored = (await api(fake, `/v1/videos/${String(e.body.id)}`)).body
    expect(shapeOf(failed)).toEqual(shapeOf(fx('seedance_v1_videos.poll_responses.failed')))
    expect(failed.status).toBe('FAILED')
    expect(shapeOf(errored)).toEqual(shapeOf(fx('seedance_v1_videos.poll_responses.error')))
    expect(errored.status).toBe('ERROR')
  })

  it('lower-case dialect (webhook guide): queued → in_progress → completed', async () => {
    fake.setOptions({ seedanceCase: 'lower' })
    const c = await create({ model: 'doubao-seedance-2-0', prompt: 'lower' })
    expect(c.body.status).toBe('queued')
    const { running, done } = await lifecycle(String(c.body.id))
    expect(running.status).toBe('in_progress')
    expect(done.status).toBe('completed')
  })

  it('validates like the documented Seedance route', async () => {
    const sec = await create({ model: 'doubao-seedance-2-0', prompt: 'p', seconds: '20' })
    expect(sec.status).toBe(400)
    expect(shapeOf(sec.body)).toEqual(shapeOf(fx('seedance_v1_videos.errors.bad_duration.body')))
    expect(sec.body).toMatchObject({ error: { code: 'InvalidParameter' } })
    expect((await create({ model: 'doubao-seedance-2-0', prompt: 'p', size: '1280x720' })).body).toMatchObject({ error: { code: 'InvalidParameter' } })
    expect((await create({ model: 'doubao-seedance-2-0', prompt: 'p', resolution: '1080p' })).status).toBe(400)
    expect((await create({ model: 'doubao-seedance-1-5-pro', prompt: 'p', resolution: '1080p', seconds: '12' })).status).toBe(200)
    const ref = await create({ model: 'doubao-seedance-1-5-pro', prompt: 'p' }, [pngFile(64, 64)])
    expect(ref.status).toBe(400)
    expect(ref.body).toEqual(fx('seedance_v1_videos.errors.ref_on_1x_model.body'))
    expect((await create({ model: 'doubao-seedance-2-0', prompt: 'p' }, [pngFile(64, 64)])).status).toBe(200)
  })

  it('transientNotExist: the first poll after create answers task_not_exist', async () => {
    fake.setOptions({ transientNotExist: true })
    const c = await create({ model: 'doubao-seedance-2-0', prompt: 'transient' })
    const first = await api(fake, `/v1/videos/${String(c.body.id)}`)
    expect(first.status).toBe(400)
    expect(first.body).toEqual(fx('seedance_v1_videos.errors.unknown_task.body'))
    expect((await api(fake, `/v1/videos/${String(c.body.id)}`)).status).toBe(200)
    const sora = await create({ model: 'sora-2', prompt: 'not transient' })
    expect((await api(fake, `/v1/videos/${String(sora.body.id)}`)).status).toBe(200)
  })
})

describe('create validation and errors', () => {
  it('answers missing fields, unknown models and xAI models like the gateway', async () => {
    const noModel = await create({ prompt: 'p' })
    expect(noModel.status).toBe(400)
    expect(shapeOf(noModel.body)).toEqual(shapeOf(fx('errors.cases.400_missing_model.body')))
    expect(String((noModel.body.error as Record<string, unknown>).message)).toMatch(/^model name is required \(request id: [0-9a-f]{32}\)$/)
    expect((await create({ model: 'sora-2' })).status).toBe(400)
    const unknown = await create({ model: 'vidu-q3-pro', prompt: 'p' })
    expect(unknown.status).toBe(503)
    expect(shapeOf(unknown.body)).toEqual(shapeOf(fx('errors.cases.503_model_not_found.body')))
    expect(unknown.body).toMatchObject({ error: { code: 'model_not_found' } })
    expect((await create({ model: 'sora-3', prompt: 'upcoming is not callable' })).status).toBe(503)
    const grok = await create({ model: 'grok-imagine-video', prompt: 'p' })
    expect(grok.status).toBe(400)
    expect(String((grok.body.error as Record<string, unknown>).message)).toMatch(/^unsupported relay mode/)
    const asJson = await api(fake, '/v1/videos', { json: { model: 'sora-2', prompt: 'p' } })
    expect(asJson.status).toBe(400)
    expect(fake.log.filter((e) => e.kind === 'create' && e.status !== 200).every((e) => !e.created)).toBe(true)
  })

  it('unknown ids answer the documented task_not_exist body', async () => {
    const res = await api(fake, '/v1/videos/task_doesnotexist')
    expect(res.status).toBe(400)
    expect(res.body).toEqual(fx('seedance_v1_videos.errors.unknown_task.body'))
    expect((await api(fake, '/v1/videos/task_doesnotexist/content')).status).toBe(400)
  })
})
