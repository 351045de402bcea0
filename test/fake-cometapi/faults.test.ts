// Fault injection: every scripted fault, seeded probabilities, in-flight bookkeeping, big files.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from './server'
import { api, at, fx, KEY, shapeOf } from './testHelpers'

let fake: FakeCometApi
const AUTH = { Authorization: `Bearer ${KEY}` }

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 0 } })
})
afterAll(() => fake.close())
beforeEach(() => fake.setFaults(null))

const createForm = (prompt: string) => {
  const fd = new FormData()
  fd.append('model', 'sora-2')
  fd.append('prompt', prompt)
  return fd
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function finishedUrl(): Promise<string> {
  const c = await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt: `file ${Math.random()}` } })
  return String((await api(fake, `/v1/videos/${String(c.body.id)}`)).body.video_url)
}

describe('status faults', () => {
  it('429 with and without Retry-After, before anything is created', async () => {
    fake.injectOnce({ kind: 'create', fault: '429' })
    const plain = await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt: 'rate limited once' } })
    expect(plain.status).toBe(429)
    expect(plain.headers.get('retry-after')).toBeNull()
    expect(shapeOf(plain.body)).toEqual(shapeOf(fx('errors.cases.429_rate_limited.body')))
    expect(fake.log.at(-1)).toMatchObject({ fault: '429', created: false, status: 429, prompt: 'rate limited once' })
    expect(fake.createCountsByPrompt().get('rate limited once')).toBeUndefined()
    fake.injectOnce({ kind: 'create', fault: '429-retry-after' })
    expect((await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt: 'p' } })).headers.get('retry-after')).toBe('1')
    fake.setFaults({ rate429: 1, retryAfterSeconds: 3 })
    expect((await api(fake, '/v1/videos/x')).headers.get('retry-after')).toBe('3')
  })

  it('5xx envelopes carry a request id; invalid_request and model_not_found use their codes', async () => {
    for (const [fault, status] of [['500', 500], ['503', 503], ['524', 524]] as const) {
      fake.injectOnce({ kind: 'poll', fault })
      const r = await api(fake, '/v1/videos/anything')
      expect(r.status).toBe(status)
      expect(shapeOf(r.body)).toEqual(shapeOf(fx('errors.cases.500_server.body')))
      expect(String(at(r.body, 'error.message'))).toMatch(/\(request id: [0-9a-f]{32}\)$/)
    }
    fake.injectOnce({ kind: 'create', fault: '500-invalid-request' })
    const inv = await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt: 'p' } })
    expect(shapeOf(inv.body)).toEqual(shapeOf(fx('errors.cases.500_invalid_request.body')))
    expect(at(inv.body, 'error.code')).toBe('invalid_request')
    fake.injectOnce({ kind: 'create', fault: '503-model-not-found' })
    const mnf = await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt: 'p' } })
    expect(mnf.status).toBe(503)
    expect(shapeOf(mnf.body)).toEqual(shapeOf(fx('errors.cases.503_model_not_found.body')))
    expect(at(mnf.body, 'error.code')).toBe('model_not_found')
  })

  it('error200 on polls and html pages', async () => {
    fake.injectOnce({ kind: 'poll', fault: 'error200' })
    const e = await api(fake, '/v1/videos/whatever')
    expect(e.status).toBe(200)
    expect(shapeOf(e.body)).toEqual(shapeOf(fx('errors.cases.200_with_error_object.body')))
    fake.injectOnce({ kind: 'create', fault: 'html' })
    const h = await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt: 'p' } })
    expect(h.status).toBe(200)
    expect(h.headers.get('content-type')).toMatch(/text\/html/)
    expect(h.body).toBeNull()
  })

  it('rules count down and can target one family', async () => {
    const c = await api(fake, '/kling/v1/videos/text2video', { json: { model_name: 'kling-v3', prompt: 'k' } })
    const kpath = `/kling/v1/videos/text2video/${String(at(c.body, 'data.task_id'))}`
    fake.injectOnce({ kind: 'poll', family: 'kling', count: 2, fault: '503' })
    expect((await api(fake, '/v1/videos/nope')).status).toBe(400)
    expect((await api(fake, kpath)).status).toBe(503)
    expect((await api(fake, kpath)).status).toBe(503)
    expect((await api(fake, kpath)).status).toBe(200)
  })
})

describe('connection faults', () => {
  it('timeout: never answers, creates nothing, and frees the slot when the client gives up', async () => {
    fake.injectOnce({ kind: 'create', fault: 'timeout' })
    await expect(fetch(`${fake.url}/v1/videos`, { method: 'POST', headers: AUTH, body: createForm('hung create'), signal: AbortSignal.timeout(200) })).rejects.toThrow()
    expect(fake.log.at(-1)).toMatchObject({ fault: 'timeout', status: 0, created: false })
    expect(fake.createCountsByPrompt().get('hung create')).toBeUndefined()
    await until(() => fake.inFlight === 0)
  })

  it('reset on a create destroys the socket before anything is created', async () => {
    fake.injectOnce({ kind: 'create', fault: 'reset' })
    await expect(fetch(`${fake.url}/v1/videos`, { method: 'POST', headers: AUTH, body: createForm('reset create') })).rejects.toThrow()
    expect(fake.log.at(-1)).toMatchObject({ fault: 'reset', status: 0, created: false })
    expect(fake.createCountsByPrompt().get('reset create')).toBeUndefined()
  })

  it('create-then-timeout and create-then-reset create exactly one task but never answer', async () => {
    fake.injectOnce({ kind: 'create', fault: 'create-then-timeout' })
    await expect(fetch(`${fake.url}/v1/videos`, { method: 'POST', headers: AUTH, body: createForm('ambiguous 1'), signal: AbortSignal.timeout(200) })).rejects.toThrow()
    expect(fake.log.at(-1)).toMatchObject({ fault: 'create-then-timeout', status: 0, created: true })
    expect(fake.createCountsByPrompt().get('ambiguous 1')).toBe(1)
    fake.injectOnce({ kind: 'create', fault: 'create-then-reset' })
    await expect(fetch(`${fake.url}/v1/videos`, { method: 'POST', headers: AUTH, body: createForm('ambiguous 2') })).rejects.toThrow()
    const entry = fake.log.at(-1)
    expect(entry).toMatchObject({ fault: 'create-then-reset', status: 0, created: true })
    expect(fake.tasks.get(String(entry?.taskId))?.prompt).toBe('ambiguous 2')
    expect(fake.creates().filter((e) => e.prompt?.startsWith('ambiguous'))).toHaveLength(2)
  })

  it('truncate and reset on files send part of the body, then cut the connection', async () => {
    const url = await finishedUrl()
    fake.injectOnce({ kind: 'file', fault: 'truncate' })
    const t = await fetch(url)
    expect(t.status).toBe(200)
    const announced = Number(t.headers.get('content-length'))
    await expect(t.arrayBuffer()).rejects.toThrow()
    const tEntry = fake.log.at(-1)
    expect(tEntry).toMatchObject({ kind: 'file', fault: 'truncate', status: 200 })
    expect(tEntry?.bytesSent).toBeGreaterThan(0)
    expect(tEntry?.bytesSent).toBeLessThan(announced)
    fake.injectOnce({ kind: 'file', fault: 'reset' })
    const r = await fetch(url, { headers: { Range: 'bytes=100-' } })
    expect(r.status).toBe(206)
    await expect(r.arrayBuffer()).rejects.toThrow()
    expect(fake.log.at(-1)).toMatchObject({ fault: 'reset', range: 'bytes=100-' })
    expect((await fetch(url)).status).toBe(200)
  })

  it('tracks concurrent requests; close() ends hanging ones', async () => {
    const other = await startFakeCometApi()
    other.injectOnce({ kind: 'poll', count: 3, fault: 'timeout' })
    const pending = [1, 2, 3].map(() => fetch(`${other.url}/v1/videos/x`, { headers: AUTH }).then(() => 'answered', () => 'failed'))
    await until(() => other.inFlight === 3)
    expect(other.maxInFlight).toBe(3)
    const started = Date.now()
    await other.close()
    expect(await Promise.all(pending)).toEqual(['failed', 'failed', 'failed'])
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('probabilistic faults', () => {
  it('rates apply per kind; catalog is exempt unless listed', async () => {
    fake.setFaults({ rate5xx: 1, statuses5xx: [502] })
    expect((await api(fake, '/v1/videos/x')).status).toBe(502)
    expect((await api(fake, '/api/models')).status).toBe(200)
    fake.setFaults({ rate5xx: 1, kinds: ['catalog'] })
    expect((await api(fake, '/api/models')).status).toBeGreaterThanOrEqual(500)
    expect((await api(fake, '/v1/videos/x')).status).toBe(400)
    fake.setFaults({ rateError200: 1, rateTruncate: 1 })
    const c = await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt: 'only polls get error200' } })
    expect(c.status).toBe(200)
    expect((await api(fake, `/v1/videos/${String(c.body.id)}`)).body).toHaveProperty('error.type', 'upstream_error')
  })

  it('the same seed gives the same fault sequence', async () => {
    const run = async (): Promise<number[]> => {
      const s = await startFakeCometApi({ seed: 7, faults: { rate429: 0.5 } })
      const out: number[] = []
      for (let i = 0; i < 16; i++) out.push((await api(s, '/v1/videos/x')).status)
      await s.close()
      return out
    }
    const a = await run()
    expect(await run()).toEqual(a)
    expect(a).toContain(429)
    expect(a).toContain(400)
  })
})

describe('large generated files', () => {
  it('serves videoBytes-sized MP4s from disk with Range', async () => {
    const size = 3 * 1024 * 1024 + 7
    const big = await startFakeCometApi({ durations: { '*': 0 }, videoBytes: { 'sora-2': size } })
    try {
      const c = await api(big, '/v1/videos', { form: { model: 'sora-2', prompt: 'big' } })
      const url = String((await api(big, `/v1/videos/${String(c.body.id)}`)).body.video_url)
      const res = await fetch(url)
      expect(res.headers.get('content-length')).toBe(String(size))
      const bytes = Buffer.from(await res.arrayBuffer())
      expect(bytes.length).toBe(size)
      expect(bytes.toString('ascii', 4, 8)).toBe('ftyp')
      expect(bytes.toString('ascii', 36, 40)).toBe('mdat')
      const tail = await fetch(url, { headers: { Range: `bytes=${size - 10}-` } })
      expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(size - 10))).toBe(true)
      const other = await api(big, '/v1/videos', { form: { model: 'wan2.6', prompt: 'small' } })
      const small = await fetch(String((await api(big, `/v1/videos/${String(other.body.id)}`)).body.video_url))
      expect(Number(small.headers.get('content-length'))).toBeLessThan(40_000)
      await small.arrayBuffer()
    } finally {
      await big.close()
    }
  })
})
