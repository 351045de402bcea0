// `/v1/videos`: Sora, Seedance, Veo, Wan, Vidu, HappyHorse, Omni (API.md §1, §4, §6).
import type { FormFile } from '../multipart'
import { readImageHeader } from '../images'
import { soraId, taskId } from '../ids'
import { badRequest, cometError, cometErrorOld, json, modelNotFound, pick, type Reply, taskNotExist } from '../reply'
import { type Ctx, type Route, str } from '../router'
import type { FakeState } from '../state'
import { EXPIRED_MESSAGE, FAIL_MESSAGE, type InternalTask, seconds } from '../tasks'
import { SHAPES, statusWord, type V1Model, V1_MODELS, type V1Status } from './v1Models'

const FAMILY = 'openai-videos'

function findTask(state: FakeState, id: string): InternalTask | undefined {
  const t = state.tasks.get(id)
  return t && t.family === FAMILY ? t : undefined
}

function rulesOf(task: InternalTask): V1Model {
  return V1_MODELS[task.model]
}

function v1Status(state: FakeState, task: InternalTask): V1Status {
  const phase = state.view(task).phase
  return phase === 'expired' ? 'error' : phase
}

/** Every field any dialect can show; SHAPES picks the documented subset. */
function record(state: FakeState, task: InternalTask, status: V1Status): Record<string, unknown> {
  const rules = rulesOf(task)
  const sora = rules.dialect === 'sora'
  const v = state.view(task)
  const done = status === 'succeeded'
  const failed = status === 'failed' || status === 'error'
  const result = done ? state.resultUrl(task) : null
  const error = !failed
    ? null
    : status === 'failed'
      ? { code: sora ? 'moderation_blocked' : '', message: FAIL_MESSAGE }
      : { code: sora ? 'expired' : '', message: EXPIRED_MESSAGE }
  return {
    id: task.id,
    task_id: task.id,
    object: 'video',
    model: task.responseModel,
    status: statusWord(rules.dialect, status, state.opts.seedanceCase),
    progress: failed ? 0 : v.progress,
    prompt: task.prompt,
    seconds: str(task.params.seconds) ?? rules.defaultSeconds ?? '',
    size: str(task.params.size) ?? rules.defaultSize ?? '',
    created_at: seconds(task.createdAt),
    completed_at: v.finishedAt !== null && (done || !sora) ? seconds(v.finishedAt) : null,
    expires_at: result && sora ? seconds(result.exp) : null,
    error,
    remixed_from_video_id: task.remixedFrom,
    video_url: result?.url ?? null
  }
}

function shapeKey(status: V1Status): 'queued' | 'running' | 'succeeded' | 'failed' {
  return status === 'error' ? 'failed' : status
}

// Seedance answers validation problems with code InvalidParameter (API.md §4.1).
const invalidParam = (message: string, param: string): Reply => badRequest(message, param, 'InvalidParameter')

function checkSeconds(model: string, rules: V1Model, raw: string | undefined): Reply | null {
  if (raw === undefined || !rules.seconds) return null
  const { min, max, allowed } = rules.seconds
  const n = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN
  const ok = Number.isInteger(n) && n >= min && n <= max && (!allowed || allowed.includes(n))
  if (ok) return null
  const want = allowed ? allowed.map((a) => `'${a}'`).join(', ') : `${min} to ${max}`
  if (rules.dialect === 'seedance') {
    return invalidParam(`the parameter duration specified in the request is not valid for model ${model}: expected ${want} seconds, got '${raw}'`, 'seconds')
  }
  return badRequest(`Invalid value: '${raw}'. Supported values for seconds are: ${want}.`, 'seconds', 'invalid_value')
}

function checkChoice(model: string, rules: V1Model, param: string, raw: string | undefined, allowed: readonly string[] | undefined): Reply | null {
  if (raw === undefined || !allowed || allowed.includes(raw)) return null
  const list = allowed.map((a) => `'${a}'`).join(', ')
  if (rules.dialect === 'seedance') return invalidParam(`the parameter ${param} specified in the request is not valid for model ${model}: expected one of ${list}`, param)
  return badRequest(`Invalid value: '${raw}'. Supported values for ${param} are: ${list}.`, param, 'invalid_value')
}

function checkImages(model: string, rules: V1Model, fields: Map<string, string>, images: FormFile[]): Reply | null {
  if (images.length > rules.maxImages) {
    if (rules.dialect === 'seedance') {
      // Verbatim documented message (fixtures.json seedance_v1_videos.errors.ref_on_1x_model): no request id.
      return cometError(400, `the specified task_type r2v does not support model ${model.replace(/^doubao-/, '')}`, { requestId: false })
    }
    if (rules.maxImages === 0) return badRequest(`input_reference is not supported for model ${model}`, 'input_reference')
    return badRequest(`input_reference accepts at most ${rules.maxImages} image(s) for model ${model}`, 'input_reference')
  }
  for (const img of images) {
    const head = readImageHeader(img.data)
    if (!head || head.type === 'gif') return badRequest('input_reference must be a JPEG, PNG or WebP image', 'input_reference', 'invalid_value')
    const size = fields.get('size') ?? rules.defaultSize
    if (rules.dialect === 'sora' && `${head.width}x${head.height}` !== size) {
      return badRequest('Inpaint image must match the requested width and height', 'input_reference', 'invalid_value')
    }
  }
  return null
}

function validate(model: string, rules: V1Model, fields: Map<string, string>, images: FormFile[]): Reply | null {
  return (
    checkSeconds(model, rules, fields.get('seconds')) ??
    checkChoice(model, rules, 'size', fields.get('size'), rules.sizes) ??
    checkChoice(model, rules, 'aspect_ratio', fields.get('aspect_ratio'), rules.aspectRatios) ??
    checkChoice(model, rules, 'resolution', fields.get('resolution'), rules.resolutions) ??
    checkImages(model, rules, fields, images)
  )
}

function create(ctx: Ctx): Reply {
  const form = ctx.form()
  if (!form) return badRequest('request body must be multipart/form-data', '', 'invalid_request')
  const model = form.fields.get('model')?.trim()
  if (!model) return cometErrorOld(400, 'model name is required')
  // [3P] xAI models are not relayed on this route.
  if (model.startsWith('grok-imagine')) return cometErrorOld(400, 'unsupported relay mode')
  const rules = V1_MODELS[model]
  if (!rules) return modelNotFound(model)
  const prompt = form.fields.get('prompt')
  if (!prompt?.trim()) return badRequest('prompt is required', 'prompt', 'invalid_request')
  const images = form.files.filter((f) => f.field === 'input_reference')
  const problem = validate(model, rules, form.fields, images)
  if (problem) return problem
  const params: Record<string, unknown> = {}
  for (const [k, v] of form.fields) if (k !== 'prompt' && k !== 'model') params[k] = v
  const task = ctx.state.createTask({
    id: rules.dialect === 'sora' ? soraId() : taskId(),
    family: FAMILY,
    model,
    responseModel: rules.backendId ?? model,
    prompt,
    apiKey: ctx.apiKey ?? '',
    params,
    images: images.length,
    transientCapable: rules.dialect === 'seedance'
  })
  ctx.created = task
  return json(200, pick(record(ctx.state, task, 'queued'), SHAPES[rules.dialect].create))
}

function poll(ctx: Ctx): Reply {
  const task = findTask(ctx.state, ctx.params[0])
  if (!task) return taskNotExist()
  if (task.transientPending) {
    task.transientPending = false
    return taskNotExist()
  }
  const status = v1Status(ctx.state, task)
  return json(200, pick(record(ctx.state, task, status), SHAPES[rulesOf(task).dialect][shapeKey(status)]))
}

// OpenAI-style body (fixtures.json sora.content.not_ready); the status code is undocumented, 400 chosen.
const notReady = (message: string): Reply => json(400, { error: { message, type: 'invalid_request_error', param: null, code: null } })

async function content(ctx: Ctx): Promise<Reply> {
  const task = findTask(ctx.state, ctx.params[0])
  if (!task) return taskNotExist()
  const variant = ctx.url.searchParams.get('variant')
  if (variant !== null && variant !== 'video') return notReady(`Variant '${variant}' is not available for this video.`)
  const status = v1Status(ctx.state, task)
  if (status !== 'succeeded') return notReady(`Video is not ready yet (status: ${statusWord(rulesOf(task).dialect, status, ctx.state.opts.seedanceCase)}).`)
  return { type: 'file', path: await ctx.state.videoPath(task), contentType: task.ext === 'webm' ? 'video/webm' : 'video/mp4' }
}

const REMIX_KEYS = ['id', 'object', 'model', 'status', 'progress', 'created_at', 'size', 'seconds', 'remixed_from_video_id']

function remix(ctx: Ctx): Reply {
  const source = findTask(ctx.state, ctx.params[0])
  if (!source) return taskNotExist()
  const body = ctx.json()
  const prompt = str(body?.prompt)
  if (!prompt?.trim()) return badRequest('prompt is required', 'prompt', 'invalid_request')
  if (rulesOf(source).dialect !== 'sora') return badRequest(`remix is not supported for model ${source.model}`, 'video_id', 'invalid_request')
  if (v1Status(ctx.state, source) !== 'succeeded') {
    return cometError(400, `Video ${source.id} is not completed; only completed videos can be remixed`, { type: 'invalid_request_error', code: 'invalid_request' })
  }
  const task = ctx.state.createTask({
    id: soraId(),
    family: FAMILY,
    model: source.model,
    prompt,
    apiKey: ctx.apiKey ?? '',
    params: { seconds: source.params.seconds, size: source.params.size },
    images: 0,
    remixedFrom: source.id
  })
  ctx.created = task
  return json(200, pick(record(ctx.state, task, 'queued'), REMIX_KEYS))
}

const idParam = (ctx: Ctx): string => ctx.params[0]
const describeById = (ctx: Ctx) => ({ taskId: idParam(ctx), model: findTask(ctx.state, idParam(ctx))?.model ?? null })

export const openAiVideosRoutes: Route[] = [
  {
    methods: ['POST'],
    pattern: /^\/v1\/videos\/?$/,
    family: FAMILY,
    auth: true,
    kind: 'create',
    describe: (ctx) => ({ model: ctx.form()?.fields.get('model') ?? null, prompt: ctx.form()?.fields.get('prompt') ?? null }),
    handle: create
  },
  { methods: ['GET'], pattern: /^\/v1\/videos\/([^/]+)\/content$/, family: FAMILY, auth: true, kind: 'content', describe: describeById, handle: content },
  {
    methods: ['POST'],
    pattern: /^\/v1\/videos\/([^/]+)\/remix$/,
    family: FAMILY,
    auth: true,
    kind: 'remix',
    describe: (ctx) => ({ ...describeById(ctx), prompt: str(ctx.json()?.prompt) }),
    handle: remix
  },
  { methods: ['GET'], pattern: /^\/v1\/videos\/([^/]+)$/, family: FAMILY, auth: true, kind: 'poll', describe: describeById, handle: poll }
]
