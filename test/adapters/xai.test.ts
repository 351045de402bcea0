import { describe, expect, it } from 'vitest'
import { AdapterError } from '../../src/core/adapters/types'
import { xaiAdapter as a } from '../../src/core/adapters/xai'
import { rulesForModel } from '../../src/shared/modelRules'
import { STATE_OF_KEY, bodies, copy, fx, fxRecord, loaded } from './fixtures'

const spec = { model: 'grok-imagine-video', prompt: 'A candle flickers on a wooden table.', seconds: 1, resolution: '480p', aspectRatio: '1:1' }

describe('buildCreate', () => {
  it('posts the documented JSON fields, the image as {url: data URI}', async () => {
    const image = await loaded('lossy-64x48.webp')
    const req = a.buildCreate({ ...spec, images: ['/x.webp'] }, { externalId: 'j', images: [image] })
    expect(req.method).toBe('POST')
    expect(req.path).toBe(fx('xai.create.path'))
    const example = fxRecord('xai.create_request')
    const json = req.json as Record<string, unknown>
    expect({ ...json, image: example.image }).toEqual(example)
    expect(json.image).toEqual({ url: `data:image/webp;base64,${Buffer.from(image.bytes).toString('base64')}` })
    expect(json.duration).toBe(1)
  })

  it('leaves out what is not set', () => {
    expect(a.buildCreate({ model: 'grok-imagine-video', prompt: 'p' }, { externalId: 'j', images: [] }).json).toEqual({ prompt: 'p', model: 'grok-imagine-video' })
  })
})

describe('parseCreate', () => {
  it('reads request_id, also for edits and wrapped answers', () => {
    expect(a.parseCreate(fx('xai.create_response'))).toEqual({ remoteId: '4b2cd27e-0b0d-3dec-c31c-7572daf74bb3', poll: null })
    expect(a.parseCreate(fx('xai.edit.response')).remoteId).toBe('e55813f7-911f-cfa8-208c-9c8e693b4d38')
    expect(a.parseCreate({ code: 'success', message: '', data: { task_id: 'w1' } }).remoteId).toBe('w1')
  })

  it('throws on an error body, a failed wrapper or no id', () => {
    expect(() => a.parseCreate(fx('errors.cases.200_with_error_object.body'))).toThrowError(AdapterError)
    expect(() => a.parseCreate(fx('errors.cases.503_model_not_found.body'))).toThrowError(expect.objectContaining({ kind: 'model_unavailable' }))
    expect(() => a.parseCreate({ code: 'error', message: 'bad' })).toThrowError('bad')
    expect(() => a.parseCreate({ ok: true })).toThrowError(expect.objectContaining({ kind: 'malformed' }))
  })
})

describe('buildPoll', () => {
  it('GETs /grok/v1/videos/{request_id}', () => {
    expect(a.buildPoll('4b2cd27e', spec)).toEqual({ method: 'GET', path: '/grok/v1/videos/4b2cd27e' })
  })
})

describe('parsePoll: flat (newer docs)', () => {
  it.each(bodies('xai.poll_responses'))('%s', (key, body) => {
    expect(a.parsePoll(body).state).toBe(STATE_OF_KEY[key])
  })

  it('a body with only request_id is pending, not unknown', () => {
    expect(a.parsePoll(fx('xai.poll_responses.queued'))).toMatchObject({ state: 'pending', rawStatus: null, progress: null })
  })

  it('processing carries progress; done carries video.url', () => {
    expect(a.parsePoll(fx('xai.poll_responses.running'))).toMatchObject({ state: 'running', progress: 40, rawStatus: 'processing' })
    expect(a.parsePoll(fx('xai.poll_responses.succeeded'))).toMatchObject({
      state: 'succeeded',
      progress: 100,
      resultUrls: ['http://127.0.0.1:PORT/files/xai-video-4b2cd27e.mp4'],
      error: null
    })
  })

  it('failed carries the error; expired is a failure of kind expired', () => {
    expect(a.parsePoll(fx('xai.poll_responses.failed')).error).toEqual({ code: 'placeholder', message: 'placeholder failure reason', kind: 'provider_failed' })
    const r = a.parsePoll({ status: 'expired', model: 'grok-imagine-video' })
    expect(r).toMatchObject({ state: 'failed', rawStatus: 'expired', error: { kind: 'expired' } })
    expect(r.error?.message).toContain('expired')
  })

  it('queued is pending; words are compared case-insensitively', () => {
    expect(a.parsePoll({ status: 'queued' }).state).toBe('pending')
    expect(a.parsePoll({ status: 'DONE', video: { url: 'u' } }).state).toBe('succeeded')
    expect(a.parsePoll({ status: 'Processing' }).state).toBe('running')
    expect(a.parsePoll({ status: 'moderating' })).toMatchObject({ state: 'unknown', rawStatus: 'moderating' })
  })

  it('a 200 with only an error is not an end (said as odd); task_not_exist keeps polling (said as missing)', () => {
    expect(a.parsePoll(fx('errors.cases.200_with_error_object.body'))).toMatchObject({ state: 'unknown', problem: { kind: 'odd' } })
    expect(a.parsePoll(fx('runway_official.transient_not_found.body'))).toMatchObject({ state: 'unknown', problem: { kind: 'missing' } })
  })
})

describe('parsePoll: wrapped (older docs)', () => {
  it('outer SUCCESS + inner done: the URL comes from data.data.video.url', () => {
    expect(a.parsePoll(fx('xai.poll_responses_wrapped_legacy.succeeded'))).toEqual({
      state: 'succeeded',
      progress: 100,
      resultUrls: ['https://vidgen.x.ai/xai-vidgen-bucket/xai-video-72924fdc-e6d7-4885-b318-8a367aaa9a02.mp4'],
      expiresAt: null,
      completedAt: 1773297014_000,
      error: null,
      rawStatus: 'SUCCESS',
      problem: null
    })
  })

  it('ignores fail_reason on success even when it holds some other URL', () => {
    const body = copy(fxRecord('xai.poll_responses_wrapped_legacy.succeeded'))
    ;(body.data as Record<string, unknown>).fail_reason = 'https://elsewhere/other.mp4'
    const r = a.parsePoll(body)
    expect(r.resultUrls).toEqual(['https://vidgen.x.ai/xai-vidgen-bucket/xai-video-72924fdc-e6d7-4885-b318-8a367aaa9a02.mp4'])
    expect(r.error).toBeNull()
  })

  it('in progress, failure with fail_reason, and expired inside a failure', () => {
    expect(a.parsePoll({ code: 'success', data: { status: 'IN_PROGRESS', progress: '60%', data: {} } })).toMatchObject({ state: 'running', progress: 60 })
    expect(a.parsePoll({ code: 'success', data: { status: 'FAILURE', fail_reason: 'content moderated', data: { status: 'failed' } } })).toMatchObject({
      state: 'failed',
      error: { message: 'content moderated', kind: 'provider_failed' }
    })
    expect(a.parsePoll({ code: 'success', data: { status: 'FAILURE', fail_reason: '', data: { status: 'expired' } } }).error?.kind).toBe('expired')
  })

  it('an unknown outer word defers to the inner xAI status', () => {
    expect(a.parsePoll({ code: 'success', data: { status: 'NOT_A_WORD', data: { status: 'processing' } } })).toMatchObject({ state: 'running', rawStatus: 'processing' })
  })

  it('a wrapped code other than "success" is an AdapterError', () => {
    expect(() => a.parsePoll({ code: 'fail', message: 'quota exceeded' })).toThrowError(expect.objectContaining({ name: 'AdapterError', message: 'quota exceeded' }))
  })
})

describe('validate', () => {
  it('1–15 whole seconds, one image, known resolutions', () => {
    const rules = rulesForModel('grok-imagine-video', 'xai')
    expect(a.validate({ ...spec, seconds: 16, resolution: '4k' }, rules, []).map((e) => e.code)).toEqual(['seconds.outOfRange', 'resolution.notAllowed'])
    expect(a.validate({ ...spec, params: { image: 'x' } }, rules, []).map((e) => e.code)).toEqual(['params.reserved'])
    expect(a.validate(spec, rules, [])).toEqual([])
  })
})
