import { describe, expect, it } from 'vitest'
import { klingAdapter as a, klingAction } from '../../src/core/adapters/kling'
import { AdapterError } from '../../src/core/adapters/types'
import type { JobSpec } from '../../src/shared/jobs'
import { rulesForModel } from '../../src/shared/modelRules'
import { STATE_OF_KEY, bodies, copy, fx, fxRecord, loaded } from './fixtures'

const t2v: JobSpec = {
  model: 'kling-v2-master',
  prompt: 'A happy scene of a vacation on the beach.',
  negativePrompt: 'blurry',
  aspectRatio: '16:9',
  seconds: 5,
  params: { mode: 'std', cfg_scale: 0.5 }
}

describe('buildCreate', () => {
  it('text2video: same fields and types as the documented example', () => {
    const req = a.buildCreate(t2v, { externalId: 'my-job-001', images: [] })
    expect(req.method).toBe('POST')
    expect(req.path).toBe('/kling/v1/videos/text2video')
    const { callback_url: _ignored, ...example } = fxRecord('kling_text2video.create_request')
    expect(req.json).toEqual(example)
    const json = req.json as Record<string, unknown>
    expect(json.duration).toBe('5')
    expect(json).not.toHaveProperty('model')
  })

  it('image2video: bare base64 image and image_tail, no aspect ratio', async () => {
    const first = await loaded('solid-300x300.jpg')
    const last = await loaded('solid-100x100.png')
    const spec: JobSpec = { model: 'kling-v2-master', prompt: 'The subject turns and smiles', seconds: 10, images: ['/a.jpg', '/b.png'] }
    const req = a.buildCreate(spec, { externalId: 'job-42', images: [first, last] })
    expect(req.path).toBe(fx('kling_image2video.create.path'))
    const json = req.json as Record<string, unknown>
    expect(json.model_name).toBe('kling-v2-master')
    expect(json.duration).toBe('10')
    expect(json.image).toBe(Buffer.from(first.bytes).toString('base64'))
    expect(json.image_tail).toBe(Buffer.from(last.bytes).toString('base64'))
    expect(String(json.image).startsWith('data:')).toBe(false)
    expect(json.external_task_id).toBe('job-42')
    expect(json).not.toHaveProperty('aspect_ratio')
  })

  it('sends external_task_id on every create, and a param cannot replace it', () => {
    for (const spec of [t2v, { ...t2v, params: { external_task_id: 'other' } }]) {
      expect((a.buildCreate(spec, { externalId: 'ours', images: [] }).json as Record<string, unknown>).external_task_id).toBe('ours')
    }
  })

  it('omits a blank prompt and an unset duration', () => {
    expect(a.buildCreate({ model: 'kling-v3', prompt: ' ' }, { externalId: 'e', images: [] }).json).toEqual({ model_name: 'kling-v3', external_task_id: 'e' })
  })

  it('refuses to build image2video without loaded images', () => {
    expect(() => a.buildCreate({ ...t2v, images: ['/a.png'] }, { externalId: 'e', images: [] })).toThrowError(AdapterError)
  })
})

describe('parseCreate', () => {
  it.each(['kling_text2video', 'kling_image2video'])('%s create response', (key) => {
    const body = fxRecord(`${key}.create_response`)
    const res = a.parseCreate(body)
    expect(res.remoteId).toBe((body.data as { task_id: string }).task_id)
    expect(res.poll).toMatchObject({ state: 'pending', rawStatus: 'submitted' })
  })

  it('code ≠ 0 is an AdapterError; "invalid model name" means the model is unavailable', () => {
    expect(() => a.parseCreate({ code: 1201, message: 'invalid model name', data: null })).toThrowError(
      expect.objectContaining({ kind: 'model_unavailable', code: '1201' })
    )
    expect(() => a.parseCreate({ code: 1203, message: 'duration must be 5 or 10' })).toThrowError(
      expect.objectContaining({ kind: 'validation', message: 'duration must be 5 or 10' })
    )
  })

  it('a CometAPI error envelope on 200 is an AdapterError', () => {
    expect(() => a.parseCreate(fx('errors.cases.200_with_error_object.body'))).toThrowError(AdapterError)
  })

  it('accepts a numeric task id', () => {
    expect(a.parseCreate({ code: 0, data: { task_id: 12345, task_status: 'submitted' } }).remoteId).toBe('12345')
  })
})

describe('buildPoll / buildLookup', () => {
  it('polls on the route the job was created on', () => {
    expect(a.buildPoll('878106242831892487', t2v)).toEqual({ method: 'GET', path: '/kling/v1/videos/text2video/878106242831892487' })
    expect(a.buildPoll('1', { ...t2v, images: ['/a.png'] }).path).toBe('/kling/v1/videos/image2video/1')
    expect(klingAction({ model: 'k', prompt: '', images: [] })).toBe('text2video')
  })

  it('looks a task up by our external id', () => {
    expect(a.buildLookup!('job-7', t2v)).toEqual({ method: 'GET', path: '/kling/v1/videos/text2video/job-7' })
  })
})

describe('parsePoll', () => {
  it.each(bodies('kling_text2video.poll_responses'))('%s', (key, body) => {
    const r = a.parsePoll(body)
    expect(r.state).toBe(STATE_OF_KEY[key])
  })

  it('succeed → succeeded with task_result.videos[].url and the ms timestamp', () => {
    expect(a.parsePoll(fx('kling_text2video.poll_responses.succeeded'))).toEqual({
      state: 'succeeded',
      progress: 100,
      resultUrls: ['http://127.0.0.1:PORT/files/878106242831892487.mp4'],
      expiresAt: null,
      completedAt: 1777385420000,
      error: null,
      rawStatus: 'succeed',
      problem: null
    })
  })

  it('failed carries task_status_msg', () => {
    expect(a.parsePoll(fx('kling_text2video.poll_responses.failed'))).toMatchObject({
      state: 'failed',
      completedAt: 1777385400000,
      error: { message: 'placeholder failure reason', kind: 'provider_failed' }
    })
  })

  it('reads the task given directly (callback shape)', () => {
    expect(a.parsePoll(fx('kling_text2video.callback_payload_example'))).toMatchObject({ state: 'succeeded', resultUrls: [expect.stringContaining('.mp4')] })
  })

  it('reads the task inside data.data', () => {
    const inner = copy(fxRecord('kling_text2video.poll_responses.succeeded')).data
    expect(a.parsePoll({ code: 0, message: 'SUCCEED', data: { data: inner } }).state).toBe('succeeded')
  })

  it('reads a CometAPI-wrapped task (status and progress outside, result in data.data)', () => {
    const body = {
      code: 'success',
      message: '',
      data: { task_id: 't1', status: 'IN_PROGRESS', progress: '30%', data: { task_id: 't1', task_result: {} } }
    }
    expect(a.parsePoll(body)).toMatchObject({ state: 'running', progress: 30 })
    const done = { code: 'success', data: { task_id: 't1', status: 'SUCCESS', progress: '100%', data: { task_result: { videos: [{ url: 'https://k/v.mp4' }] } } } }
    expect(a.parsePoll(done)).toMatchObject({ state: 'succeeded', resultUrls: ['https://k/v.mp4'] })
  })

  it('compares words case-insensitively; unknown words stay unknown', () => {
    const body = copy(fxRecord('kling_text2video.poll_responses.succeeded'))
    ;(body.data as Record<string, unknown>).task_status = 'SUCCEED'
    expect(a.parsePoll(body).state).toBe('succeeded')
    ;(body.data as Record<string, unknown>).task_status = 'Processing'
    expect(a.parsePoll(body).state).toBe('running')
    ;(body.data as Record<string, unknown>).task_status = 'paused'
    expect(a.parsePoll(body)).toMatchObject({ state: 'unknown', rawStatus: 'paused' })
  })

  it('a poll answered with code ≠ 0 is an AdapterError', () => {
    expect(() => a.parsePoll({ code: 1002, message: 'server busy' })).toThrowError(expect.objectContaining({ code: '1002' }))
    expect(() => a.parsePoll({ code: 0, message: 'ok' })).toThrowError(AdapterError)
  })
})

describe('parseLookup', () => {
  it('finds the task', () => {
    expect(a.parseLookup!(fx('kling_text2video.poll_responses.running'))).toMatchObject({
      remoteId: '878106242831892487',
      poll: { state: 'running' }
    })
  })

  it('returns null for a not-found envelope', () => {
    expect(a.parseLookup!({ code: 1201, message: 'task not found', data: null })).toBeNull()
    expect(a.parseLookup!(fx('seedance_v1_videos.errors.unknown_task.body'))).toBeNull()
  })

  it('throws on other failures, and on a success without a task: only a definite "not found" may lead to a re-send', () => {
    expect(() => a.parseLookup!({ code: 1002, message: 'unauthorized' })).toThrowError(AdapterError)
    expect(() => a.parseLookup!({ code: 0, message: 'SUCCEED', data: null })).toThrowError(AdapterError)
  })

  it('a failed lookup counts as "never arrived" only when it is Kling\'s own "task not found" (HTTP 404, code 1203)', () => {
    expect(a.lookupSaysAbsent!({ status: 404, code: '1203', message: 'task not found' })).toBe(true)
    expect(a.lookupSaysAbsent!({ status: 404, code: null, message: 'Nothing found at /kling/v1/videos/text2video/x (404)' })).toBe(false)
    expect(a.lookupSaysAbsent!({ status: 400, code: '1201', message: 'invalid parameter' })).toBe(false)
    expect(a.lookupSaysAbsent!({ status: 500, code: null, message: 'task not found' })).toBe(false)
  })

  it('a create refused because its external_task_id is taken is recognized (the first create arrived)', () => {
    expect(a.isDuplicateCreate!({ status: 400, code: '1201', message: 'external_task_id cvs-j123 already exists' })).toBe(true)
    expect(a.isDuplicateCreate!({ status: 400, code: '1201', message: 'prompt is required' })).toBe(false)
  })
})

describe('validate', () => {
  const rules = rulesForModel('kling-v2-6', 'kling')
  const png = { path: '/a.png', type: 'png' as const, bytes: 1000, width: 600, height: 400 }

  it('text-to-video needs a prompt, image-to-video does not', () => {
    expect(a.validate({ model: 'kling-v2-6', prompt: '' }, rules, []).map((e) => e.code)).toEqual(['prompt.empty'])
    expect(a.validate({ model: 'kling-v2-6', prompt: '', images: ['/a.png'] }, rules, [png])).toEqual([])
  })

  it('image-to-video has no aspect ratio', () => {
    expect(a.validate({ model: 'kling-v2-6', prompt: 'x', aspectRatio: '16:9', images: ['/a.png'] }, rules, [png]).map((e) => e.code)).toEqual([
      'aspectRatio.notWithImages'
    ])
  })

  it('checks mode and cfg_scale params and reserved keys', () => {
    const errors = a.validate({ model: 'kling-v2-6', prompt: 'x', params: { mode: 'ultra', cfg_scale: 2, model_name: 'x' } }, rules, [])
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['params.model_name', 'params.reserved'],
      ['params.mode', 'params.notAllowed'],
      ['params.cfg_scale', 'params.outOfRange']
    ])
    expect(a.validate({ model: 'kling-v2-6', prompt: 'x', params: { mode: 'pro', cfg_scale: '0.3' } }, rules, [])).toEqual([])
  })

  it('duration is 5 or 10 and images are JPG/PNG of at least 300 px', () => {
    const codes = a.validate({ model: 'kling-v2-6', prompt: 'x', seconds: 7, images: ['/a.webp'] }, rules, [{ ...png, type: 'webp', width: 200 }]).map((e) => e.code)
    expect(codes).toEqual(['seconds.notAllowed', 'image.typeNotAllowed', 'image.tooSmall'])
  })
})
