import { describe, expect, it } from 'vitest'
import { openaiVideosAdapter as a } from '../../src/core/adapters/openaiVideos'
import { AdapterError } from '../../src/core/adapters/types'
import type { JobSpec } from '../../src/shared/jobs'
import { rulesForModel } from '../../src/shared/modelRules'
import { join } from 'node:path'
import { probeImage } from '../../src/core/images/imageProbe'
import { STATE_OF_KEY, bodies, copy, fx, fxRecord, loaded } from './fixtures'

const ctx = { externalId: 'job-1', images: [] }

function formOf(path: string): JobSpec {
  const f = fxRecord(`${path}.create_request.form_fields`) as Record<string, string>
  return {
    model: f.model,
    prompt: f.prompt,
    seconds: f.seconds === undefined ? undefined : Number(f.seconds),
    size: f.size,
    resolution: f.resolution,
    aspectRatio: f.aspect_ratio
  }
}

describe('buildCreate', () => {
  it.each(['sora', 'v1_videos_generic', 'seedance_v1_videos', 'omni_beta', 'veo'])(
    '%s: multipart fields match the documented example',
    (key) => {
      const req = a.buildCreate(formOf(key), ctx)
      expect(req.method).toBe('POST')
      expect(req.path).toBe(fx(`${key}.create.path`))
      expect(req.json).toBeUndefined()
      expect(Object.fromEntries(req.multipart!.fields)).toEqual(fxRecord(`${key}.create_request.form_fields`))
      expect(req.multipart!.files).toEqual([])
    }
  )

  it('sends seconds as a string and model + prompt first', () => {
    const req = a.buildCreate({ model: 'sora-2', prompt: 'p', seconds: 8, size: '720x1280' }, ctx)
    expect(req.multipart!.fields).toEqual([
      ['model', 'sora-2'],
      ['prompt', 'p'],
      ['seconds', '8'],
      ['size', '720x1280']
    ])
  })

  it('attaches images as input_reference files in the user\'s order (Veo first + last frame)', async () => {
    const first = await loaded('solid-1280x720.png')
    const last = await loaded('solid-720x1280.jpg')
    const req = a.buildCreate({ model: 'veo3.1', prompt: 'kite', size: '16x9' }, { externalId: 'j', images: [first, last] })
    expect(req.multipart!.files).toEqual([
      { field: 'input_reference', fileName: 'solid-1280x720.png', contentType: 'image/png', bytes: first.bytes },
      { field: 'input_reference', fileName: 'solid-720x1280.jpg', contentType: 'image/jpeg', bytes: last.bytes }
    ])
  })

  it('passes extra params through as strings (negative_prompt and seed only this way)', () => {
    const req = a.buildCreate({ model: 'wan2.6', prompt: 'p', params: { negative_prompt: 'blur', seed: 42, watermark: false } }, ctx)
    expect(req.multipart!.fields).toEqual(expect.arrayContaining([['negative_prompt', 'blur'], ['seed', '42'], ['watermark', 'false']]))
  })

  it('never lets a param override a field the spec fills', () => {
    const req = a.buildCreate({ model: 'sora-2', prompt: 'p', params: { model: 'evil', extra: 1 } }, ctx)
    expect(req.multipart!.fields.filter(([k]) => k === 'model')).toEqual([['model', 'sora-2']])
  })

  it('turns a spec with remixOf into the remix request', () => {
    const prompt = fx('sora.remix.request.prompt') as string
    const req = a.buildCreate({ model: 'sora-2', prompt, remixOf: 'video_69b25d5f467c81908733a56bc236b4df' }, ctx)
    expect(req).toEqual({ method: 'POST', path: '/v1/videos/video_69b25d5f467c81908733a56bc236b4df/remix', json: { prompt } })
    expect(a.buildRemix!('video_x', { model: 'sora-2', prompt })).toEqual({ method: 'POST', path: '/v1/videos/video_x/remix', json: { prompt } })
  })
})

describe('poll, content and ids in paths', () => {
  it('polls GET /v1/videos/{id} and downloads from /content', () => {
    const spec = { model: 'sora-2', prompt: 'p' }
    expect(a.buildPoll('video_abc', spec)).toEqual({ method: 'GET', path: '/v1/videos/video_abc' })
    expect(a.contentRequest!('video_abc', spec)).toEqual({ method: 'GET', path: '/v1/videos/video_abc/content' })
  })

  it('escapes an id that would change the path', () => {
    expect(a.buildPoll('../x?y', { model: 'm', prompt: 'p' }).path).toBe('/v1/videos/..%2Fx%3Fy')
  })
})

describe('parseCreate', () => {
  it.each(['sora', 'v1_videos_generic', 'veo', 'seedance_v1_videos', 'omni_beta'])('%s create response', (key) => {
    const body = fxRecord(`${key}.create_response`)
    const res = a.parseCreate(body)
    expect(res.remoteId).toBe(body.id)
    expect(res.poll).toMatchObject({ state: 'pending', progress: 0, rawStatus: body.status })
  })

  it('reads the remix response as a new job', () => {
    expect(a.parseCreate(fx('sora.remix.response')).remoteId).toBe('video_0000000000000000000000000000remix')
  })

  it('throws on a 200 with an error object', () => {
    const err = (() => {
      try {
        a.parseCreate(fx('errors.cases.200_with_error_object.body'))
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(AdapterError)
    expect(err).toMatchObject({ message: 'placeholder upstream error', kind: 'validation' })
  })

  it('marks model_not_found as an unavailable model', () => {
    expect(() => a.parseCreate(fx('errors.cases.503_model_not_found.body'))).toThrowError(
      expect.objectContaining({ kind: 'model_unavailable', code: 'model_not_found' })
    )
  })

  it.each(Object.entries(fxRecord('errors.cases')).filter(([, c]) => (c as { body?: { error?: unknown } }).body?.error))(
    'every documented error envelope is refused: %s',
    (_name, c) => {
      const message = (c as { body: { error: { message: string } } }).body.error.message
      expect(() => a.parseCreate((c as { body: unknown }).body)).toThrowError(expect.objectContaining({ name: 'AdapterError', message }))
    }
  )

  it('throws a malformed error when there is no id or no object', () => {
    expect(() => a.parseCreate({ status: 'queued' })).toThrowError(expect.objectContaining({ kind: 'malformed' }))
    expect(() => a.parseCreate('<html>')).toThrowError(AdapterError)
  })

  it('uses task_id when id is missing', () => {
    expect(a.parseCreate({ task_id: 'task_1' }).remoteId).toBe('task_1')
  })
})

describe('parsePoll: every documented body', () => {
  const families = ['sora', 'v1_videos_generic', 'veo', 'seedance_v1_videos', 'omni_beta', 'seedance_volc_legacy']
  for (const fam of families) {
    describe(fam, () => {
      it.each(bodies(`${fam}.poll_responses`))('%s', (key, body) => {
        const r = a.parsePoll(body)
        expect(r.state).toBe(STATE_OF_KEY[key])
        expect(r.rawStatus).toBe((body as { status: string }).status)
        if (r.progress !== null) expect(Number.isInteger(r.progress) && r.progress >= 0 && r.progress <= 100).toBe(true)
        if (r.state === 'succeeded') {
          expect(r.resultUrls).toHaveLength(1)
          expect(r.resultUrls[0]).toMatch(/^http:\/\/127\.0\.0\.1:PORT\/files\//)
          expect(r.progress).toBe(100)
          expect(r.error).toBeNull()
        } else {
          expect(r.resultUrls).toEqual([])
        }
        if (r.state === 'failed') {
          expect(r.error?.message).toMatch(/placeholder/)
          expect(r.error?.kind).toBe('provider_failed')
        } else {
          expect(r.error).toBeNull()
        }
      })
    })
  }

  it('reads Sora timestamps (seconds) as epoch ms', () => {
    const r = a.parsePoll(fx('sora.poll_responses.succeeded'))
    expect(r.expiresAt).toBe(1773383490_000)
    expect(r.completedAt).toBe(1773297090_000)
    expect(a.parsePoll(fx('sora.poll_responses.queued')).expiresAt).toBeNull()
  })

  it('keeps the error code of a failed Sora job', () => {
    expect(a.parsePoll(fx('sora.poll_responses.failed')).error).toEqual({
      code: 'moderation_blocked',
      message: 'placeholder failure message',
      kind: 'provider_failed'
    })
  })
})

describe('parsePoll: odd bodies', () => {
  it('a 200 with only an error object is not an end: the task goes on (polling is the source of truth), said as an odd answer', () => {
    const r = a.parsePoll(fx('errors.cases.200_with_error_object.body'))
    expect(r.state).toBe('unknown')
    expect(r.error).toBeNull()
    expect(r.problem).toEqual({ kind: 'odd', message: 'upstream_error: placeholder upstream error' })
  })

  it('an error object beside a failure status is the failure\'s reason', () => {
    const body = { ...copy(fxRecord('sora.poll_responses.running')), status: 'failed', error: { code: 'x', message: 'upstream died' } }
    expect(a.parsePoll(body)).toMatchObject({ state: 'failed', error: { message: 'upstream died' } })
  })

  it('task_not_exist right after create keeps polling (unknown), it does not fail', () => {
    const r = a.parsePoll(fx('seedance_v1_videos.errors.unknown_task.body'))
    expect(r).toMatchObject({ state: 'unknown', rawStatus: 'task_not_exist', error: null, problem: { kind: 'missing' } })
  })

  it('an error object beside an in-progress status is not an end: still running, said as odd', () => {
    const body = { ...copy(fxRecord('sora.poll_responses.running')), error: { code: 'x', message: 'upstream died' } }
    expect(a.parsePoll(body)).toMatchObject({ state: 'running', error: null, problem: { kind: 'odd', message: 'x: upstream died' } })
  })

  it('an unknown status word is unknown, with the raw word kept for the log', () => {
    expect(a.parsePoll({ id: 'x', status: 'warming_up', progress: 3 })).toMatchObject({ state: 'unknown', rawStatus: 'warming_up', progress: 3 })
  })

  it('compares status words case-insensitively across all three dialects', () => {
    const cases: [string, string][] = [
      ['QUEUED', 'pending'], ['Submitted', 'pending'], ['pending', 'pending'],
      ['IN_PROGRESS', 'running'], ['Processing', 'running'], ['RUNNING', 'running'],
      ['COMPLETED', 'succeeded'], ['success', 'succeeded'], ['Succeeded', 'succeeded'],
      ['FAILED', 'failed'], ['Error', 'failed'], ['failure', 'failed']
    ]
    for (const [word, state] of cases) expect(a.parsePoll({ id: 'x', status: word }).state, word).toBe(state)
  })

  it('failed without any reason still says something useful', () => {
    expect(a.parsePoll({ id: 'x', status: 'failed' }).error?.message).toContain('without giving a reason')
  })

  it('clamps progress to a 0–100 integer and reads "40%"', () => {
    expect(a.parsePoll({ status: 'in_progress', progress: 150 }).progress).toBe(100)
    expect(a.parsePoll({ status: 'in_progress', progress: -5 }).progress).toBe(0)
    expect(a.parsePoll({ status: 'in_progress', progress: 33.6 }).progress).toBe(34)
    expect(a.parsePoll({ status: 'in_progress', progress: '40%' }).progress).toBe(40)
    expect(a.parsePoll({ status: 'in_progress', progress: 'soon' }).progress).toBeNull()
    expect(a.parsePoll({ status: 'in_progress' }).progress).toBeNull()
  })

  it('finds the result under url, result_url or output[0] too', () => {
    expect(a.parsePoll({ status: 'completed', url: 'https://a/1.mp4' }).resultUrls).toEqual(['https://a/1.mp4'])
    expect(a.parsePoll({ status: 'completed', result_url: 'https://a/2.mp4' }).resultUrls).toEqual(['https://a/2.mp4'])
    expect(a.parsePoll({ status: 'completed', output: ['https://a/3.mp4'] }).resultUrls).toEqual(['https://a/3.mp4'])
    // Completed with no URL: the engine falls back to the /content route.
    expect(a.parsePoll({ status: 'completed' })).toMatchObject({ state: 'succeeded', resultUrls: [] })
  })

  it('expired is a failure of kind expired', () => {
    expect(a.parsePoll({ status: 'expired' }).error?.kind).toBe('expired')
  })

  it('refuses a body that is not an object', () => {
    expect(() => a.parsePoll(null)).toThrowError(AdapterError)
    expect(() => a.parsePoll([1])).toThrowError(AdapterError)
  })
})

describe('validate', () => {
  const sora = rulesForModel('sora-2', 'openai-videos')
  it('runs the shared checks', () => {
    expect(a.validate({ model: 'sora-2', prompt: '' }, sora, []).map((e) => e.code)).toEqual(['prompt.empty'])
  })

  it('Sora: a probed reference image must match the size', async () => {
    const dir = join(__dirname, '../fixtures/images')
    const tall = await probeImage(join(dir, 'solid-720x1280.jpg'))
    const wide = await probeImage(join(dir, 'solid-1280x720.png'))
    const pdf = await probeImage(join(dir, 'pdf-renamed.png'))
    const base = { model: 'sora-2', prompt: 'p', size: '1280x720', images: ['x'] }
    expect(a.validate(base, sora, [wide])).toEqual([])
    expect(a.validate(base, sora, [tall]).map((e) => e.code)).toEqual(['image.sizeMismatch'])
    expect(a.validate({ ...base, size: '720x1280' }, sora, [tall])).toEqual([])
    expect(a.validate(base, sora, [pdf]).map((e) => e.code)).toEqual(['image.notImage'])
  })

  it('refuses params that would override a form field', () => {
    const errors = a.validate({ model: 'sora-2', prompt: 'p', params: { size: '1x1', input_reference: 'x', foo: 'ok' } }, sora, [])
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['params.size', 'params.reserved'],
      ['params.input_reference', 'params.reserved']
    ])
  })
})
