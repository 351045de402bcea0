// xAI Grok Imagine (`/grok/v1/videos/...`, API.md §5): flat provider bodies or the legacy wrapper.
import { decodeDataUri, isHttpsUrl, readImageHeader } from '../images'
import { uuid } from '../ids'
import { badRequest, json, modelNotFound, type Reply, taskNotExist } from '../reply'
import { type Ctx, type Route, str } from '../router'
import type { FakeState } from '../state'
import { EXPIRED_MESSAGE, FAIL_MESSAGE, type InternalTask } from '../tasks'
import { wrap } from './runway'

const FAMILY = 'xai'
const MODELS = new Set(['grok-imagine-video', 'grok-imagine-video-1.5'])
const RESOLUTIONS = ['480p', '720p', '1080p']
const ASPECTS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3']
/** The docs disagree (schema 1, table 8); 8 s is what billing assumes when omitted. */
const DEFAULT_DURATION = 8

function checkUrlObject(value: unknown, param: string, kind: 'image' | 'video'): Reply | null {
  const url = value && typeof value === 'object' ? str((value as Record<string, unknown>).url) : null
  if (!url) return badRequest(`${param}.url is required`, param, 'invalid_value')
  if (url.startsWith('data:')) {
    const bytes = kind === 'image' ? decodeDataUri(url) : null
    return bytes && readImageHeader(bytes) ? null : badRequest(`${param}.url is not a valid data:image URI`, param, 'invalid_value')
  }
  return isHttpsUrl(url) ? null : badRequest(`${param}.url must be an HTTPS URL or a data URI`, param, 'invalid_value')
}

function validate(body: Record<string, unknown>, edit: boolean): Reply | null {
  if (!str(body.prompt)?.trim()) return badRequest('prompt is required', 'prompt', 'invalid_request')
  const model = body.model ?? 'grok-imagine-video'
  if (typeof model !== 'string' || !MODELS.has(model)) return modelNotFound(String(model))
  if (edit) return checkUrlObject(body.video, 'video', 'video')
  const d = body.duration
  if (d !== undefined && (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 15)) {
    return badRequest('duration must be an integer between 1 and 15', 'duration', 'invalid_value')
  }
  if (body.resolution !== undefined && !RESOLUTIONS.includes(String(body.resolution))) {
    return badRequest(`resolution must be one of ${RESOLUTIONS.join(', ')}`, 'resolution', 'invalid_value')
  }
  if (body.aspect_ratio !== undefined && !ASPECTS.includes(String(body.aspect_ratio))) {
    return badRequest(`aspect_ratio must be one of ${ASPECTS.join(', ')}`, 'aspect_ratio', 'invalid_value')
  }
  return body.image === undefined ? null : checkUrlObject(body.image, 'image', 'image')
}

const create = (edit: boolean) => (ctx: Ctx): Reply => {
  const body = ctx.json()
  if (!body) return badRequest('request body must be a JSON object', '', 'invalid_request')
  const problem = validate(body, edit)
  if (problem) return problem
  const { image: _i, video: _v, ...params } = body
  const task = ctx.state.createTask({
    id: uuid(),
    family: FAMILY,
    model: str(body.model) ?? 'grok-imagine-video',
    prompt: String(body.prompt),
    apiKey: ctx.apiKey ?? '',
    action: edit ? 'edit' : 'generation',
    params,
    images: body.image ? 1 : 0
  })
  ctx.created = task
  return json(200, { request_id: task.id })
}

function flat(state: FakeState, task: InternalTask): { body: Record<string, unknown>; url: string | null; failure: string | null } {
  const v = state.view(task)
  const model = task.model
  switch (v.phase) {
    case 'queued':
      return {
        body: state.opts.xaiRequestIdOnlyWhilePending ? { request_id: task.id } : { status: 'queued', progress: 0, model },
        url: null,
        failure: null
      }
    case 'running':
      return { body: { status: 'processing', progress: v.progress, model }, url: null, failure: null }
    case 'succeeded': {
      const url = state.resultUrl(task).url
      const duration = typeof task.params.duration === 'number' ? task.params.duration : DEFAULT_DURATION
      return {
        body: {
          status: 'done',
          progress: 100,
          model,
          usage: { cost_in_usd_ticks: duration * 50_000_000 },
          video: { url, duration, respect_moderation: true }
        },
        url,
        failure: null
      }
    }
    case 'failed':
      return { body: { status: 'failed', model, error: { code: 'content_moderation', message: FAIL_MESSAGE } }, url: null, failure: FAIL_MESSAGE }
    case 'expired':
      return { body: { status: 'expired', model, error: { code: 'expired', message: EXPIRED_MESSAGE } }, url: null, failure: EXPIRED_MESSAGE }
  }
}

function poll(ctx: Ctx): Reply {
  const task = ctx.state.tasks.get(ctx.params[0])
  if (!task || task.family !== FAMILY) return taskNotExist()
  const { body, url, failure } = flat(ctx.state, task)
  if (ctx.state.opts.xaiDialect === 'flat') return json(200, body)
  // Legacy wrapper: `fail_reason` carries the video URL on success (fixtures.json xai.poll_responses_wrapped_legacy).
  const { progress: _p, status, ...rest } = body
  // The inner provider body of the documented example ends with `status` and has no `progress`.
  const inner = status === undefined ? rest : { ...rest, status }
  return json(200, wrap('VIDEO_GENERATION', task, ctx.state.view(task), url ?? failure ?? '', inner))
}

const describeCreate = (ctx: Ctx) => ({ model: str(ctx.json()?.model) ?? 'grok-imagine-video', prompt: str(ctx.json()?.prompt) })

export const xaiRoutes: Route[] = [
  { methods: ['POST'], pattern: /^\/grok\/v1\/videos\/generations$/, family: FAMILY, auth: true, kind: 'create', describe: describeCreate, handle: create(false) },
  { methods: ['POST'], pattern: /^\/grok\/v1\/videos\/edits$/, family: FAMILY, auth: true, kind: 'create', describe: describeCreate, handle: create(true) },
  {
    methods: ['GET'],
    pattern: /^\/grok\/v1\/videos\/([^/]+)$/,
    family: FAMILY,
    auth: true,
    kind: 'poll',
    describe: (ctx) => ({ taskId: ctx.params[0], model: ctx.state.tasks.get(ctx.params[0])?.model ?? null }),
    handle: poll
  }
]
