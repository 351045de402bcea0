// The world being awkward: creates that happened although the answer says otherwise, busy
// gateways on polls, tasks that look missing, downloads refused for a while, keys revoked
// mid-batch, Kling duplicate external ids. Everything over real HTTP on loopback.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_CREATE_THEN_FAULTS, startFakeCometApi, type CreateThenFault, type FakeCometApi } from './server'
import { api, at, Clock, fx, KEY, keysOf, shapeOf } from './testHelpers'
import { startFakeInWorker } from './worker'

const clock = new Clock()
let fake: FakeCometApi
const SAMPLE = readFileSync(new URL('../fixtures/videos/sample.mp4', import.meta.url))
const RUNWAY = { 'X-Runway-Version': '2024-11-06' }
const REQUEST_ID = /\(request id: [0-9a-f]{32}\)$/

beforeAll(async () => {
  fake = await startFakeCometApi({ durations: { '*': 1000 }, now: clock.now, keys: [KEY, 'sk-other'] })
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.setFaults(null)
  fake.refuseDownloadsFor(0)
  fake.restoreKey(KEY)
  fake.setOptions({ resultUrlTtlMs: 10 * 60 * 1000 })
})

const sora = (prompt: string) => api(fake, '/v1/videos', { form: { model: 'sora-2', prompt } })
const kling = (prompt: string, external?: string, key?: string) =>
  api(fake, '/kling/v1/videos/text2video', { json: { model_name: 'kling-v3', prompt, ...(external ? { external_task_id: external } : {}) }, key })

/** The one task the fake made for this prompt (the id the client may never have heard). */
function onlyTaskId(prompt: string): string {
  expect(fake.createCountsByPrompt().get(prompt)).toBe(1)
  const ids = fake.taskIdsByPrompt(prompt)
  expect(ids).toHaveLength(1)
  return ids[0]
}

/** A finished Sora task and its signed result URL. */
async function finished(prompt = `done ${Math.random()}`): Promise<{ id: string; url: string }> {
  const c = await sora(prompt)
  clock.advance(1000)
  const id = String(c.body.id)
  return { id, url: String((await api(fake, `/v1/videos/${id}`)).body.video_url) }
}

describe('created, then an ambiguous answer', () => {
  it('create-then-500/502/504/524: that status in the documented envelope, and the task exists and completes', async () => {
    for (const status of [500, 502, 504, 524] as const) {
      const prompt = `ambiguous ${status}`
      fake.injectOnce({ kind: 'create', fault: `create-then-${status}` })
      const r = await sora(prompt)
      expect(r.status).toBe(status)
      expect(shapeOf(r.body)).toEqual(shapeOf(fx('errors.cases.500_server.body')))
      expect(String(at(r.body, 'error.message'))).toMatch(REQUEST_ID)
      if (status === 524) expect(String(at(r.body, 'error.message'))).toMatch(/^timeout /)
      const id = onlyTaskId(prompt)
      expect(fake.log.at(-1)).toMatchObject({ kind: 'create', fault: `create-then-${status}`, status, created: true, taskId: id, prompt })
      expect(fake.creates().filter((e) => e.prompt === prompt)).toHaveLength(1)
      expect((await api(fake, `/v1/videos/${id}`)).body.status).toBe('queued')
      clock.advance(1000)
      const done = await api(fake, `/v1/videos/${id}`)
      expect(done.body).toMatchObject({ id, status: 'completed' })
      expect(Buffer.from(await (await fetch(String(done.body.video_url))).arrayBuffer()).equals(SAMPLE)).toBe(true)
    }
  })

  it('create-then-html: a 502 nginx page, and the task exists', async () => {
    fake.injectOnce({ kind: 'create', fault: 'create-then-html' })
    const r = await sora('html gateway')
    expect(r.status).toBe(502)
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(r.body).toBeNull()
    expect(r.text).toMatch(/<title>502 Bad Gateway<\/title>/)
    expect(r.text).toMatch(/nginx/)
    const id = onlyTaskId('html gateway')
    expect(fake.log.at(-1)).toMatchObject({ status: 502, created: true, taskId: id })
    clock.advance(1000)
    expect((await api(fake, `/v1/videos/${id}`)).body.status).toBe('completed')
  })

  it('create-then-no-id: a plausible 200 per family without any task id, and the task exists', async () => {
    const cases: { family: string; send: () => ReturnType<typeof api>; prompt: string; expected: (b: Record<string, unknown>) => void }[] = [
      {
        family: 'openai-videos',
        prompt: 'no id sora',
        send: () => sora('no id sora'),
        expected: (b) => {
          expect(b).not.toHaveProperty('id')
          expect(b).not.toHaveProperty('task_id')
          expect(b).toMatchObject({ object: 'video', model: 'sora-2', status: 'queued', progress: 0 })
        }
      },
      {
        family: 'kling',
        prompt: 'no id kling',
        send: () => kling('no id kling', 'no-id-ext'),
        expected: (b) => {
          expect(b).toMatchObject({ code: 0, message: 'SUCCEED', data: {} })
          expect(keysOf(b)).toEqual(['code', 'data', 'message', 'request_id'])
        }
      },
      {
        family: 'runway',
        prompt: 'no id runway',
        send: () =>
          api(fake, '/runwayml/v1/image_to_video', { json: { model: 'gen4_turbo', promptImage: 'https://example.invalid/a.jpg', promptText: 'no id runway' }, headers: RUNWAY }),
        expected: (b) => expect(b).toEqual({})
      },
      {
        family: 'runway-compat',
        prompt: 'no id compat',
        send: () => api(fake, '/runway/pro/generate', { json: { image: 'https://example.invalid/a.jpg', prompt: 'no id compat' } }),
        expected: (b) => expect(b).toMatchObject({ code: 200, msg: 'success', data: {} })
      },
      { family: 'xai', prompt: 'no id xai', send: () => api(fake, '/grok/v1/videos/generations', { json: { prompt: 'no id xai' } }), expected: (b) => expect(b).toEqual({}) },
      {
        family: 'volc',
        prompt: 'no id volc',
        send: () => api(fake, '/volc/v3/contents/generations/tasks', { json: { model: 'doubao-seedance-1-0-pro', content: [{ type: 'text', text: 'no id volc' }] } }),
        expected: (b) => expect(b).toEqual({})
      }
    ]
    for (const c of cases) {
      fake.injectOnce({ kind: 'create', family: c.family, fault: 'create-then-no-id' })
      const r = await c.send()
      expect(r.status, c.family).toBe(200)
      expect(JSON.stringify(r.body)).not.toContain(onlyTaskId(c.prompt))
      c.expected(r.body)
      expect(fake.log.at(-1)).toMatchObject({ family: c.family, fault: 'create-then-no-id', created: true })
    }
    // Kling: the task is still found by its external_task_id.
    const found = await api(fake, '/kling/v1/videos/text2video/no-id-ext')
    expect(at(found.body, 'data.task_id')).toBe(onlyTaskId('no id kling'))
    // A refusal is not rewritten: nothing was created, the client hears the real reason.
    fake.injectOnce({ kind: 'create', fault: 'create-then-no-id' })
    const refused = await api(fake, '/v1/videos', { form: { model: 'sora-2', prompt: 'bad', seconds: '7' } })
    expect(refused.status).toBe(400)
    expect(fake.log.at(-1)).toMatchObject({ fault: 'create-then-no-id', created: false })
  })

  it('rateCreateThenFail: seeded ambiguous answers on creates only, each create still counted once', async () => {
    expect([...DEFAULT_CREATE_THEN_FAULTS].sort()).toEqual(
      ['create-then-500', 'create-then-502', 'create-then-504', 'create-then-524', 'create-then-html', 'create-then-no-id', 'create-then-reset', 'create-then-timeout'].sort()
    )
    const run = async (): Promise<(string | null)[]> => {
      const s = await startFakeCometApi({ seed: 11, durations: { '*': 0 }, faults: { rateCreateThenFail: 0.7, createThenFaults: ['create-then-502', 'create-then-no-id', 'create-then-reset'] } })
      try {
        for (let i = 0; i < 12; i++) {
          await fetch(`${s.url}/grok/v1/videos/generations`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ prompt: `batch ${i}` })
          }).then((res) => res.text(), () => 'reset')
        }
        const polled = await api(s, `/grok/v1/videos/${s.taskIdsByPrompt('batch 0')[0]}`)
        expect(polled.status).toBe(200)
        expect(s.log.at(-1)?.fault).toBeNull()
        expect(s.tasks.size).toBe(12)
        for (let i = 0; i < 12; i++) expect(s.createCountsByPrompt().get(`batch ${i}`)).toBe(1)
        expect(s.creates()).toHaveLength(12)
        return s.log.filter((e) => e.kind === 'create').map((e) => e.fault)
      } finally {
        await s.close()
      }
    }
    const a = await run()
    expect(await run()).toEqual(a)
    expect(new Set(a)).toEqual(new Set([null, 'create-then-502', 'create-then-no-id', 'create-then-reset']))
  })

  it('rateCreateThenFail covers remixes (they create too) but not polls', async () => {
    const { id } = await finished()
    fake.setFaults({ rateCreateThenFail: 1, createThenFaults: ['create-then-502'] })
    const r = await api(fake, `/v1/videos/${id}/remix`, { json: { prompt: 'remixed, answer lost' } })
    expect(r.status).toBe(502)
    expect(fake.log.at(-1)).toMatchObject({ kind: 'remix', fault: 'create-then-502', created: true })
    const remixId = onlyTaskId('remixed, answer lost')
    const polled = await api(fake, `/v1/videos/${remixId}`)
    expect(polled.status).toBe(200)
    expect(polled.body).toMatchObject({ id: remixId, remixed_from_video_id: id })
  })

  it('rateCreateThenFail with the default list, including answers that never come', async () => {
    const s = await startFakeCometApi({ seed: 3, durations: { '*': 0 }, faults: { byKind: { create: { rateCreateThenFail: 1 } } } })
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 24 }, (_, i) => {
          const fd = new FormData()
          fd.append('model', 'wan2.6')
          fd.append('prompt', `default ${i}`)
          return fetch(`${s.url}/v1/videos`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` }, body: fd, signal: AbortSignal.timeout(400) }).then(
            async (r) => `${r.status} ${await r.text()}`,
            () => 'no answer'
          )
        })
      )
      expect(outcomes.filter((o) => o.startsWith('200'))).not.toHaveLength(24)
      expect(s.tasks.size).toBe(24)
      const faults = new Set(s.log.map((e) => e.fault))
      for (const f of faults) expect(DEFAULT_CREATE_THEN_FAULTS).toContain(f as CreateThenFault)
      expect(faults.size).toBeGreaterThanOrEqual(5)
      expect(s.log.every((e) => e.created)).toBe(true)
      // Polls are not touched by the create rate.
      expect((await api(s, `/v1/videos/${s.taskIdsByPrompt('default 0')[0]}`)).body.status).toBe('completed')
    } finally {
      await s.close()
    }
  })
})

describe('Kling: lost answers, duplicates and lookups', () => {
  it('a 502 after create: found by external_task_id; a re-sent create is refused as a duplicate and creates nothing', async () => {
    fake.injectOnce({ kind: 'create', family: 'kling', fault: 'create-then-502' })
    expect((await kling('kling lost', 'job-dup-1')).status).toBe(502)
    const id = onlyTaskId('kling lost')
    const looked = await api(fake, '/kling/v1/videos/text2video/job-dup-1')
    expect(looked.status).toBe(200)
    expect(looked.body).toMatchObject({ code: 0, data: { task_id: id, task_info: { external_task_id: 'job-dup-1' } } })
    expect(fake.log.at(-1)).toMatchObject({ kind: 'lookup', taskId: id, externalId: 'job-dup-1' })
    const before = fake.tasks.size
    const dup = await kling('kling lost', 'job-dup-1')
    expect(dup.status).toBe(400)
    expect(keysOf(dup.body)).toEqual(['code', 'message', 'request_id'])
    expect(dup.body).toMatchObject({ code: 1201, message: 'external_task_id job-dup-1 already exists' })
    expect(fake.log.at(-1)).toMatchObject({ kind: 'create', status: 400, created: false, externalId: 'job-dup-1' })
    expect(fake.tasks.size).toBe(before)
    expect(fake.createCountsByPrompt().get('kling lost')).toBe(1)
  })

  it('an unknown external_task_id is a definitive 404 {code:1203,"task not found",request_id}', async () => {
    const r = await api(fake, '/kling/v1/videos/text2video/never-sent-42')
    expect(r.status).toBe(404)
    expect(keysOf(r.body)).toEqual(['code', 'message', 'request_id'])
    expect(r.body).toMatchObject({ code: 1203, message: 'task not found' })
    expect(String(r.body.request_id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/)
    expect(fake.log.at(-1)).toMatchObject({ kind: 'lookup', externalId: 'never-sent-42', taskId: null, status: 404 })
  })
})

describe('polls while the gateway is busy or forgetful', () => {
  it('error200: a 200 with an error object and no status; the task keeps running and a later poll shows it done', async () => {
    const c = await sora('busy gateway')
    const id = String(c.body.id)
    clock.advance(500)
    fake.injectOnce({ kind: 'poll', fault: 'error200' })
    const busy = await api(fake, `/v1/videos/${id}`)
    expect(busy.status).toBe(200)
    expect(keysOf(busy.body)).toEqual(['error'])
    expect(busy.body).toMatchObject({ error: { type: 'upstream_error' } })
    expect(String(at(busy.body, 'error.message'))).toMatch(REQUEST_ID)
    expect(fake.log.at(-1)).toMatchObject({ kind: 'poll', fault: 'error200', taskId: id, status: 200 })
    clock.advance(600)
    expect((await api(fake, `/v1/videos/${id}`)).body).toMatchObject({ id, status: 'completed', progress: 100 })
    // Kling too: no `code`, no `data`, just the error; the next poll is the real state.
    const k = await kling('busy kling')
    const kpath = `/kling/v1/videos/text2video/${String(at(k.body, 'data.task_id'))}`
    fake.injectOnce({ kind: 'poll', family: 'kling', fault: 'error200' })
    expect(keysOf((await api(fake, kpath)).body)).toEqual(['error'])
    expect(at((await api(fake, kpath)).body, 'data.task_status')).toBe('submitted')
  })

  it('not-exist ×N: the family\'s unknown-task answer although the task exists and keeps running', async () => {
    const c = await sora('looks missing')
    const id = String(c.body.id)
    fake.injectOnce({ kind: 'poll', family: 'openai-videos', count: 3, fault: 'not-exist' })
    for (let i = 0; i < 3; i++) {
      const r = await api(fake, `/v1/videos/${id}`)
      expect(r.status).toBe(400)
      expect(r.body).toEqual(fx('seedance_v1_videos.errors.unknown_task.body'))
      expect(fake.log.at(-1)).toMatchObject({ fault: 'not-exist', taskId: id })
      clock.advance(400)
    }
    expect((await api(fake, `/v1/videos/${id}`)).body).toMatchObject({ id, status: 'completed' })
    // Kling: the same body as for an id that was never created.
    const k = await kling('kling looks missing', 'missing-ext')
    const kid = String(at(k.body, 'data.task_id'))
    const never = await api(fake, '/kling/v1/videos/text2video/123456789012345678')
    fake.injectOnce({ kind: 'poll', family: 'kling', count: 2, fault: 'not-exist' })
    for (let i = 0; i < 2; i++) {
      const r = await api(fake, `/kling/v1/videos/text2video/${kid}`)
      expect(r.status).toBe(never.status)
      expect(shapeOf(r.body)).toEqual(shapeOf(never.body))
      expect(r.body).toMatchObject({ code: 1203, message: 'task not found' })
    }
    expect(at((await api(fake, `/kling/v1/videos/text2video/${kid}`)).body, 'data.task_id')).toBe(kid)
    // A lookup by external id can be made to miss as well.
    fake.injectOnce({ kind: 'lookup', fault: 'not-exist' })
    expect((await api(fake, '/kling/v1/videos/text2video/missing-ext')).status).toBe(404)
    expect((await api(fake, '/kling/v1/videos/text2video/missing-ext')).status).toBe(200)
  })
})

describe('downloads refused for a while', () => {
  it('file-refused ×N: 403 S3-style XML, then the same link streams', async () => {
    const { url } = await finished()
    fake.injectOnce({ kind: 'file', count: 2, fault: 'file-refused' })
    for (let i = 0; i < 2; i++) {
      const r = await fetch(url)
      expect(r.status).toBe(403)
      expect(r.headers.get('content-type')).toBe('application/xml')
      expect(await r.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message><\/Error>/)
      expect(fake.log.at(-1)).toMatchObject({ kind: 'file', fault: 'file-refused', status: 403 })
    }
    const ok = await fetch(url)
    expect(ok.status).toBe(200)
    expect(Buffer.from(await ok.arrayBuffer()).equals(SAMPLE)).toBe(true)
    // not-exist on a file is the store's own 404.
    fake.injectOnce({ kind: 'file', fault: 'not-exist' })
    const gone = await fetch(url)
    expect(gone.status).toBe(404)
    expect(await gone.text()).toMatch(/<Code>NoSuchKey<\/Code>/)
    expect((await fetch(url)).status).toBe(200)
  })

  it('file-refused on /content: 403 in CometAPI\'s envelope, then the video', async () => {
    const { id } = await finished()
    fake.injectOnce({ kind: 'content', fault: 'file-refused' })
    const r = await api(fake, `/v1/videos/${id}/content`)
    expect(r.status).toBe(403)
    expect(shapeOf(r.body)).toEqual(shapeOf(fx('errors.cases.403_forbidden.body')))
    expect(String(at(r.body, 'error.message'))).toMatch(REQUEST_ID)
    const ok = await fetch(`${fake.url}/v1/videos/${id}/content`, { headers: { Authorization: `Bearer ${KEY}` } })
    expect(ok.headers.get('content-type')).toBe('video/mp4')
    expect(Buffer.from(await ok.arrayBuffer()).equals(SAMPLE)).toBe(true)
  })

  it('refuseDownloadsFor(ms): every file and /content request is refused on the fake clock; polls are not', async () => {
    fake.setOptions({ resultUrlTtlMs: 3000 })
    const { id, url } = await finished()
    fake.injectOnce({ kind: 'file', fault: 'truncate' })
    fake.refuseDownloadsFor(5000)
    expect((await fetch(url)).status).toBe(403)
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(403)
    expect((await api(fake, `/v1/videos/${id}/content`)).status).toBe(403)
    const fresh = await api(fake, `/v1/videos/${id}`)
    expect(fresh.status).toBe(200)
    expect((await fetch(String(fresh.body.video_url))).status).toBe(403)
    clock.advance(4999)
    expect((await fetch(String(fresh.body.video_url))).status).toBe(403)
    clock.advance(1)
    // The window is over. The scripted truncate was not used up by the refusals: the next download gets it.
    const newer = String((await api(fake, `/v1/videos/${id}`)).body.video_url)
    const cut = await fetch(newer)
    await expect(cut.arrayBuffer()).rejects.toThrow()
    expect(fake.log.at(-1)).toMatchObject({ fault: 'truncate' })
    expect(Buffer.from(await (await fetch(newer)).arrayBuffer()).equals(SAMPLE)).toBe(true)
    // The first link outlived its 3 s TTL meanwhile: expired, as always.
    const old = await fetch(url)
    expect(old.status).toBe(403)
    expect(await old.text()).toMatch(/Request has expired/)
    expect((await api(fake, `/v1/videos/${id}/content`)).status).toBe(200)
    // refuseDownloadsFor(0) ends a window early.
    fake.refuseDownloadsFor(60_000)
    expect((await fetch(newer)).status).toBe(403)
    fake.refuseDownloadsFor(0)
    expect((await fetch(newer)).status).toBe(200)
  })
})

describe('a key revoked mid-batch', () => {
  it('401 in the documented envelope for every authenticated request; tasks keep running; restoreKey brings it back', async () => {
    const { url } = await finished()
    const c = await sora('before revocation')
    const id = String(c.body.id)
    fake.revokeKey(KEY)
    for (const r of [await api(fake, `/v1/videos/${id}`), await sora('while revoked'), await kling('while revoked'), await api(fake, '/v1/models')]) {
      expect(r.status).toBe(401)
      expect(shapeOf(r.body)).toEqual(shapeOf(fx('errors.cases.401_bad_key.body')))
      expect(String(at(r.body, 'error.message'))).toMatch(/^invalid token \(request id: [0-9a-f]{32}\)$/)
      expect(fake.log.at(-1)).toMatchObject({ status: 401, fault: 'key-revoked', created: false })
    }
    expect(fake.createCountsByPrompt().get('while revoked')).toBeUndefined()
    // Other keys, the public catalog and already signed result links are unaffected.
    expect((await api(fake, `/v1/videos/${id}`, { key: 'sk-other' })).status).toBe(200)
    expect((await api(fake, '/api/models', { key: null })).status).toBe(200)
    expect((await fetch(url)).status).toBe(200)
    clock.advance(1000)
    fake.restoreKey(KEY)
    expect((await api(fake, `/v1/videos/${id}`)).body).toMatchObject({ id, status: 'completed' })
    expect((await sora('after restore')).status).toBe(200)
  })
})

describe('the worker-thread fake', () => {
  it('exposes the same knobs and counts', async () => {
    const w = await startFakeInWorker({ durations: { '*': 0 } })
    try {
      const post = (prompt: string) =>
        fetch(`${w.url}/grok/v1/videos/generations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ prompt })
        })
      await w.injectOnce({ kind: 'create', fault: 'create-then-504' })
      expect((await post('worker')).status).toBe(504)
      expect((await w.createCountsByPrompt()).get('worker')).toBe(1)
      const [id] = await w.taskIdsByPrompt('worker')
      await w.revokeKey(KEY)
      expect((await fetch(`${w.url}/grok/v1/videos/${id}`, { headers: { Authorization: `Bearer ${KEY}` } })).status).toBe(401)
      await w.restoreKey(KEY)
      const done = (await (await fetch(`${w.url}/grok/v1/videos/${id}`, { headers: { Authorization: `Bearer ${KEY}` } })).json()) as { video: { url: string } }
      await w.refuseDownloadsFor(60_000)
      expect((await fetch(done.video.url)).status).toBe(403)
      await w.refuseDownloadsFor(0)
      await w.setFaults({ rate5xx: 1, statuses5xx: [503] })
      expect((await post('worker 2')).status).toBe(503)
      expect((await fetch(done.video.url)).status).toBe(503)
    } finally {
      await w.close()
    }
  })
})
