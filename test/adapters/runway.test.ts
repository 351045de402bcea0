import { describe, expect, it } from 'vitest'
import { RUNWAY_VERSION, runwayAdapter as a } from '../../src/core/adapters/runway'
import { AdapterError } from '../../src/core/adapters/types'
import { rulesForModel } from '../../src/shared/modelRules'
import { STATE_OF_KEY, bodies, copy, fx, fxRecord, loaded } from './fixtures'

const spec = { model: 'gen3a_turbo', prompt: 'The cat yawns slowly', seconds: 5, aspectRatio: '1280:768', seed: 42, images: ['/cat.jpg'] }

describe('buildCreate', () => {
  it('posts JSON with the version header and the image as a data URI', async () => {
    const image = await loaded('solid-300x300.jpg')
    const req = a.buildCreate({ ...spec, params: { watermark: false } }, { externalId: 'j', images: [image] })
    expect(req.method).toBe('POST')
    expect(req.path).toBe(fx('runway_official.create.path'))
    expect(req.headers).toEqual({ 'X-Runway-Version': '2024-11-06' })
    expect(RUNWAY_VERSION).toBe(fx('runway_official.create.headers.X-Runway-Version'))
    const json = req.json as Record<string, unknown>
    // Same keys and types as the documented example; only the image differs (inline instead of a URL).
    const example = fxRecord('runway_official.create_request')
    expect(Object.keys(json).sort()).toEqual(Object.keys(example).sort())
    expect({ ...json, promptImage: example.promptImage }).toEqual(example)
    const uri = json.promptImage as string
    expect(uri.startsWith('data:image/jpeg;base64,')).toBe(true)
    expect(Buffer.from(uri.slice('data:image/jpeg;base64,'.length), 'base64').equals(Buffer.from(image.bytes))).toBe(true)
    expect(typeof json.duration).toBe('number')
  })

  it('leaves promptText out when the prompt is blank', async () => {
    const req = a.buildCreate({ model: 'gen4_turbo', prompt: '  ' }, { externalId: 'j', images: [await loaded('solid-100x100.png')] })
    expect(req.json).toEqual({ model: 'gen4_turbo', promptImage: expect.stringMatching(/^data:image\/png;base64,/) })
  })

  it('refuses to build without an image', () => {
    expect(() => a.buildCreate(spec, { externalId: 'j', images: [] })).toThrowError(expect.objectContaining({ kind: 'validation' }))
  })
})

describe('parseCreate', () => {
  it('reads the id', () => {
    expect(a.parseCreate(fx('runway_official.create_response'))).toEqual({ remoteId: 'd0658ae1-bbdd-4adc-aaba-fd8070e14d79', poll: null })
  })

  it('reads a wrapped answer too (compat route shape)', () => {
    expect(a.parseCreate(fx('runway_compat.create_response')).remoteId).toBe('196642a0-05e1-441a-981e-eb0c1f5d983b')
    expect(a.parseCreate({ code: 'success', data: { task_id: 't1' } }).remoteId).toBe('t1')
  })

  it('throws on an error envelope or a missing id', () => {
    expect(() => a.parseCreate(fx('errors.cases.400_missing_model.body'))).toThrowError(AdapterError)
    expect(() => a.parseCreate({})).toThrowError(expect.objectContaining({ kind: 'malformed' }))
    expect(() => a.parseCreate({ code: 'fail', message: 'no credit', data: null })).toThrowError('no credit')
  })
})

describe('buildPoll', () => {
  it('GETs the task with the version header', () => {
    expect(a.buildPoll('d0658ae1', spec)).toEqual({ method: 'GET', path: '/runwayml/v1/tasks/d0658ae1', headers: { 'X-Runway-Version': '2024-11-06' } })
  })
})

describe('parsePoll: flat Runway tasks', () => {
  it.each(bodies('runway_official.poll_responses'))('%s', (key, body) => {
    const r = a.parsePoll(body)
    expect(r.state).toBe(STATE_OF_KEY[key])
    expect(r.rawStatus).toBe((body as { status: string }).status)
  })

  it('turns the 0..1 progress into a percentage', () => {
    expect(a.parsePoll(fx('runway_official.poll_responses.running')).progress).toBe(40)
    expect(a.parsePoll({ id: 'x', status: 'RUNNING', progress: 1 }).progress).toBe(100)
    expect(a.parsePoll({ id: 'x', status: 'RUNNING', progress: 0.999 }).progress).toBe(100)
    expect(a.parsePoll({ id: 'x', status: 'RUNNING', progress: 55 }).progress).toBe(55)
    expect(a.parsePoll({ id: 'x', status: 'RUNNING', progress: '12%' }).progress).toBe(12)
    expect(a.parsePoll({ id: 'x', status: 'RUNNING', progress: 7 * 100 }).progress).toBe(100)
    expect(a.parsePoll(fx('runway_official.poll_responses.queued')).progress).toBeNull()
  })

  it('reads output[0] on success and failure + failureCode on failure', () => {
    expect(a.parsePoll(fx('runway_official.poll_responses.succeeded'))).toMatchObject({
      resultUrls: ['http://127.0.0.1:PORT/files/d0658ae1.mp4'],
      progress: 100,
      error: null
    })
    expect(a.parsePoll(fx('runway_official.poll_responses.failed')).error).toEqual({
      code: 'PLACEHOLDER_CODE',
      message: 'placeholder failure reason',
      kind: 'provider_failed'
    })
  })

  it('THROTTLED waits, lower-case words count, unknown words stay unknown', () => {
    expect(a.parsePoll({ id: 'x', status: 'THROTTLED' }).state).toBe('pending')
    expect(a.parsePoll({ id: 'x', status: 'succeeded', output: ['u'] }).state).toBe('succeeded')
    expect(a.parsePoll({ id: 'x', status: 'RENDERING' })).toMatchObject({ state: 'unknown', rawStatus: 'RENDERING' })
  })

  it('task_not_exist right after create keeps polling', () => {
    expect(a.parsePoll(fx('runway_official.transient_not_found.body'))).toMatchObject({ state: 'unknown', rawStatus: 'task_not_exist' })
  })

  it('a 200 with only an error object is not an end: the task goes on until Runway says FAILED', () => {
    expect(a.parsePoll(fx('errors.cases.200_with_error_object.body'))).toMatchObject({ state: 'unknown', error: null, problem: { kind: 'odd' } })
  })
})

describe('parsePoll: CometAPI wrapped tasks (older docs)', () => {
  it('queued: outer QUEUED, "0%"', () => {
    expect(a.parsePoll(fx('runway_official.poll_responses_wrapped_legacy.queued'))).toMatchObject({ state: 'pending', progress: 0, rawStatus: 'QUEUED' })
  })

  it('succeeded: outer SUCCESS, URL from data.data.output[0], finish time in ms', () => {
    expect(a.parsePoll(fx('runway_official.poll_responses_wrapped_legacy.succeeded'))).toEqual({
      state: 'succeeded',
      progress: 100,
      resultUrls: ['http://127.0.0.1:PORT/files/3d957031.mp4'],
      expiresAt: null,
      completedAt: 1773366830_000,
      error: null,
      rawStatus: 'SUCCESS',
      problem: null
    })
  })

  it.each(bodies('runway_compat.poll_responses'))('same wrapper, compat bodies: %s', (key, body) => {
    expect(a.parsePoll(body).state).toBe(STATE_OF_KEY[key])
  })

  it('reads "40%", result_url and fail_reason from wrapped bodies', () => {
    expect(a.parsePoll(fx('runway_compat.poll_responses.running')).progress).toBe(40)
    expect(a.parsePoll(fx('runway_compat.poll_responses.succeeded')).resultUrls).toEqual(['http://127.0.0.1:PORT/files/196642a0.mp4'])
    expect(a.parsePoll(fx('runway_compat.poll_responses.failed')).error).toMatchObject({ message: 'placeholder failure reason', kind: 'provider_failed' })
  })

  it('FAILED as the outer word fails too; an unknown outer word defers to the inner status', () => {
    const body = copy(fxRecord('runway_official.poll_responses_wrapped_legacy.queued'))
    ;(body.data as Record<string, unknown>).status = 'FAILED'
    expect(a.parsePoll(body).state).toBe('failed')
    ;(body.data as Record<string, unknown>).status = 'NEW_WORD'
    expect(a.parsePoll(body)).toMatchObject({ state: 'pending', rawStatus: 'PENDING' })
  })

  it('a wrapped code other than "success" is an AdapterError', () => {
    expect(() => a.parsePoll({ code: 'get_channel_failed', message: 'upstream busy', data: null })).toThrowError(
      expect.objectContaining({ name: 'AdapterError', code: 'get_channel_failed', message: 'upstream busy' })
    )
  })
})

describe('validate', () => {
  const rules = rulesForModel('gen3a_turbo', 'runway')
  it('needs exactly one image and refuses params that shadow fields', () => {
    expect(a.validate({ model: 'gen3a_turbo', prompt: 'x' }, rules, []).map((e) => e.code)).toEqual(['images.tooFew'])
    const img = { path: '/a.png', type: 'png' as const, bytes: 10, width: 1280, height: 768 }
    expect(a.validate({ model: 'gen3a_turbo', prompt: 'x', params: { promptImage: 'u' } }, rules, [img]).map((e) => e.field)).toEqual(['params.promptImage'])
    expect(a.validate({ model: 'gen3a_turbo', prompt: 'x'.repeat(513) }, rules, [img]).map((e) => e.code)).toEqual(['prompt.tooLong'])
  })
})
