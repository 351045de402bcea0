// Cross-cutting behaviour: auth, catalog, files (Range, signatures), unknown paths, request log.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from './server'
import { api, at, Clock, fx, keysOf, shapeOf } from './testHelpers'

const clock = new Clock()
let fake: FakeCometApi
const SAMPLE = readFileSync(new URL('../fixtures/videos/sample.mp4', import.meta.url))
const WEBM = readFileSync(new URL('../fixtures/videos/sample.webm', import.meta.url))

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 1000, 'sora-2-pro': 4000 }, now: clock.now })
})
afterAll(() => fake.close())
beforeEach(() => fake.setOptions({ resultUrlTtlMs: 10 * 60 * 1000, expiredStatus: 403, unknownPath: 'redirect' }))

/** Creates a Sora task, lets it finish, returns its signed result URL. */
async function finishedVideo(prompt = `video ${Math.random()}`): Promise<{ id: string; url: string }> {
  const c = await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt } })
  clock.advance(1000)
  const p = await api(fake, `/v1/videos/${String(c.body.id)}`)
  return { id: String(c.body.id), url: String(p.body.video_url) }
}

describe('auth', () => {
  it('401s without a valid bearer key, in the documented envelope', async () => {
    for (const key of [null, 'sk-wrong']) {
      const res = await api(fake, '/v1/videos/video_x', { key })
      expect(res.status).toBe(401)
      expect(shapeOf(res.body)).toEqual(shapeOf(fx('errors.cases.401_bad_key.body')))
      expect(String(at(res.body, 'error.message'))).toMatch(/^invalid token \(request id: [0-9a-f]{32}\)$/)
    }
    const raw = await fetch(`${fake.url}/kling/v1/videos/text2video`, { method: 'POST', headers: { Authorization: 'sk-test-good' }, body: '{}' })
    expect(raw.status).toBe(401)
    expect(fake.log.at(-1)).toMatchObject({ status: 401, authorization: 'sk-test-good', created: false })
    expect((await api(fake, '/api/models', { key: null })).status).toBe(200)
  })
})

describe('catalog', () => {
  it('lists every family with every endpoints encoding', async () => {
    const res = await api(fake, '/api/models', { key: null })
    expect(keysOf(res.body)).toEqual(keysOf(fx('catalog.response')))
    expect(res.body).toMatchObject({ success: true, page: 0, page_size: 0 })
    const rows = res.body.data as Record<string, unknown>[]
    expect(res.body.total).toBe(rows.length)
    const byId = new Map(rows.map((r) => [String(r.id), r]))
    for (const id of ['sora-2', 'sora-2-pro', 'doubao-seedance-2-0', 'doubao-seedance-2-0-fast', 'doubao-seedance-1-5-pro', 'veo3.1-fast', 'wan2.6', 'viduq3-turbo', 'happyhorse-1.0', 'omni-fast', 'gen4_turbo', 'kling-v2-6', 'kling-v3', 'grok-imagine-video']) {
      expect(byId.get(id)?.model_type, id).toBe('video')
    }
    expect(keysOf(byId.get('sora-2'))).toEqual(keysOf(at(fx('catalog.response'), 'data.1')))
    expect(rows.some((r) => r.model_type === 'text')).toBe(true)
    expect(rows.filter((r) => r.upcoming === true).length).toBe(1)
    expect(byId.get('veo3.1-fast')).not.toHaveProperty('endpoints')
    const decoded = rows.filter((r) => typeof r.endpoints === 'string').map((r) => JSON.parse(String(r.endpoints)) as unknown)
    const kinds = new Set(
      decoded.map((d) => {
        if (Array.isArray(d)) return typeof d[0] === 'string' ? 'paths' : 'list'
        const first = Object.values(d as Record<string, unknown>)[0]
        return typeof first === 'string' ? 'nested-strings' : 'named'
      })
    )
    expect([...kinds].sort()).toEqual(['list', 'named', 'nested-strings', 'paths'])
    const klingV3 = JSON.parse(String(byId.get('kling-v3')?.endpoints)) as Record<string, string>
    expect(JSON.parse(klingV3.text2video)).toEqual({ path: '/kling/v1/videos/text2video', method: 'POST' })
    expect(JSON.parse(String(byId.get('gen4_turbo')?.endpoints))).toMatchObject({ image_to_video: { path: '/runwayml/v1/image_to_video' } })
    const pricing = rows.filter((r) => r.model_type === 'video').map((r) => r.pricing as Record<string, unknown>)
    expect(pricing.some((p) => typeof p.per_second === 'number') && pricing.some((p) => typeof p.per_request === 'number')).toBe(true)
    expect(fake.log.at(-1)).toMatchObject({ kind: 'catalog', family: null, status: 200 })
  })

  it('can be replaced through the catalog option', async () => {
    fake.setOptions({ catalog: [{ id: 'only-one', model_type: 'video' }] })
    const res = await api(fake, '/api/models')
    expect(res.body).toMatchObject({ total: 1, data: [{ id: 'only-one' }] })
    fake.setOptions({ catalog: undefined })
  })
})

describe('result files', () => {
  it('serves the video with validators and honours Range / If-Range', async () => {
    const { url } = await finishedVideo()
    const full = await fetch(url)
    expect(full.status).toBe(200)
    expect(full.headers.get('content-type')).toBe('video/mp4')
    expect(full.headers.get('content-length')).toBe(String(SAMPLE.length))
    expect(full.headers.get('accept-ranges')).toBe('bytes')
    const etag = String(full.headers.get('etag'))
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
    expect(full.headers.get('last-modified')).toBeTruthy()
    expect(Buffer.from(await full.arrayBuffer()).equals(SAMPLE)).toBe(true)

    const from = await fetch(url, { headers: { Range: 'bytes=1000-' } })
    expect(from.status).toBe(206)
    expect(from.headers.get('content-range')).toBe(`bytes 1000-${SAMPLE.length - 1}/${SAMPLE.length}`)
    expect(Buffer.from(await from.arrayBuffer()).equals(SAMPLE.subarray(1000))).toBe(true)
    const mid = await fetch(url, { headers: { Range: 'bytes=10-19' } })
    expect(mid.status).toBe(206)
    expect(Buffer.from(await mid.arrayBuffer()).equals(SAMPLE.subarray(10, 20))).toBe(true)
    const suffix = await fetch(url, { headers: { Range: 'bytes=-8' } })
    expect(Buffer.from(await suffix.arrayBuffer()).equals(SAMPLE.subarray(-8))).toBe(true)
    const beyond = await fetch(url, { headers: { Range: `bytes=${SAMPLE.length}-` } })
    expect(beyond.status).toBe(416)
    expect(beyond.headers.get('content-range')).toBe(`bytes */${SAMPLE.length}`)
    await beyond.arrayBuffer()
    const stale = await fetch(url, { headers: { Range: 'bytes=1000-', 'If-Range': '"other-etag"' } })
    expect(stale.status).toBe(200)
    expect((await stale.arrayBuffer()).byteLength).toBe(SAMPLE.length)
    const fresh = await fetch(url, { headers: { Range: 'bytes=1000-', 'If-Range': etag } })
    expect(fresh.status).toBe(206)
    await fresh.arrayBuffer()
    const head = await fetch(url, { method: 'HEAD' })
    expect(head.headers.get('content-length')).toBe(String(SAMPLE.length))
    const entry = fake.log.find((e) => e.kind === 'file' && e.range === 'bytes=10-19')
    expect(entry).toMatchObject({ status: 206, bytesSent: 10, family: 'openai-videos', authorization: null })
  })

  it('expired and forged signatures answer expiredStatus; path tricks never escape', async () => {
    fake.setOptions({ resultUrlTtlMs: 5000 })
    const { url } = await finishedVideo()
    clock.advance(5001)
    const expired = await fetch(url)
    expect(expired.status).toBe(403)
    expect(await expired.text()).toMatch(/<Code>AccessDenied<\/Code>/)
    fake.setOptions({ expiredStatus: 410 })
    expect((await fetch(url)).status).toBe(410)
    const forged = new URL(url)
    forged.searchParams.set('exp', String(clock.t + 60_000))
    expect((await fetch(forged)).status).toBe(410)
    for (const path of ['/files/..%2F..%2Fpackage.json', '/files/..%2Fcometapi%2Ffixtures.json', '/files/%2e%2e', '/files/../../package.json', '/files/sample.mp4%00.txt']) {
      const res = await fetch(fake.url + path, { redirect: 'manual' })
      expect(res.status, path).not.toBe(200)
      expect(await res.text(), path).not.toMatch(/comet-video-studio|"sora"/)
    }
    const trick = await fetch(fake.fileUrl('../videos/sample.mp4'))
    expect(trick.status).toBe(404)
  })

  it('serves the WebM fixture as video/webm', async () => {
    const res = await fetch(fake.fileUrl('sample.webm'))
    expect(res.headers.get('content-type')).toBe('video/webm')
    expect(Buffer.from(await res.arrayBuffer()).equals(WEBM)).toBe(true)
    const { id } = await finishedVideo('webm please [webm]')
    const polled = await api(fake, `/v1/videos/${id}`)
    expect(String(polled.body.video_url)).toContain('.webm?')
    expect((await fetch(String(polled.body.video_url))).headers.get('content-type')).toBe('video/webm')
  })
})

describe('unknown paths', () => {
  it('301 to the marketing site with an HTML body, or a 200 HTML page', async () => {
    const r = await api(fake, '/v2/videos')
    expect(r.status).toBe(301)
    expect(r.headers.get('location')).toBe('https://www.cometapi.com/')
    expect(r.headers.get('content-type')).toMatch(/text\/html/)
    expect(r.text).toMatch(/<html>/)
    fake.setOptions({ unknownPath: 'html' })
    const h = await api(fake, '/v1/video')
    expect(h.status).toBe(200)
    expect(h.headers.get('content-type')).toMatch(/text\/html/)
    expect(h.body).toBeNull()
    expect(fake.log.at(-1)).toMatchObject({ kind: 'other', family: null, status: 200 })
  })
})

describe('timing, magic words and control', () => {
  it('[slow] takes 5x, [progress-stall] stays at 50 % until finishTask', async () => {
    const slow = await api(fake, '/v1/videos', { form: { model: 'wan2.6', prompt: 'slow [slow]' } })
    const stall = await api(fake, '/v1/videos', { form: { model: 'wan2.6', prompt: 'stall [progress-stall]' } })
    clock.advance(1000)
    expect((await api(fake, `/v1/videos/${String(slow.body.id)}`)).body).toMatchObject({ status: 'in_progress', progress: 20 })
    clock.advance(60_000)
    expect((await api(fake, `/v1/videos/${String(slow.body.id)}`)).body.status).toBe('completed')
    expect((await api(fake, `/v1/videos/${String(stall.body.id)}`)).body).toMatchObject({ status: 'in_progress', progress: 50 })
    fake.finishTask(String(stall.body.id), 'failed')
    expect((await api(fake, `/v1/videos/${String(stall.body.id)}`)).body.status).toBe('failed')
    expect(fake.tasks.get(String(stall.body.id))).toMatchObject({ family: 'openai-videos', model: 'wan2.6', prompt: 'stall [progress-stall]', outcome: 'failed', images: 0 })
  })

  it('durations by exact model id override the * default', async () => {
    const c = await api(fake, '/v1/videos', { form: { model: 'sora-2-pro', prompt: 'pro timing' } })
    expect(fake.tasks.get(String(c.body.id))?.durationMs).toBe(4000)
    clock.advance(2000)
    expect((await api(fake, `/v1/videos/${String(c.body.id)}`)).body.progress).toBe(50)
  })

  it('logs every request with the documented fields', async () => {
    fake.clearLog()
    expect(fake.log).toHaveLength(0)
    const c = await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt: 'logged prompt', seconds: '8' } })
    await api(fake, `/v1/videos/${String(c.body.id)}`)
    const [create, poll] = fake.log
    expect(create).toMatchObject({
      method: 'POST',
      path: '/v1/videos',
      kind: 'create',
      family: 'openai-videos',
      model: 'sora-2',
      prompt: 'logged prompt',
      taskId: c.body.id,
      externalId: null,
      status: 200,
      fault: null,
      created: true,
      range: null,
      authorization: 'Bearer sk-test-good'
    })
    expect(create.bytesSent).toBeGreaterThan(50)
    expect(poll.seq).toBe(create.seq + 1)
    expect(poll).toMatchObject({ method: 'GET', kind: 'poll', taskId: c.body.id, model: 'sora-2', created: false })
    expect(poll.at).toBeGreaterThanOrEqual(create.at)
    expect(Math.abs(create.at - Date.now())).toBeLessThan(10_000)
    expect(fake.creates()).toEqual([create])
    expect(fake.createCountsByPrompt().get('logged prompt')).toBe(1)
    expect(fake.tasks.get(String(c.body.id))?.params).toMatchObject({ seconds: '8' })
  })
})
