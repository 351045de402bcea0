// Runway official (`/runwayml/v1`, API.md §2.1–2.2) and the compatibility routes (§2.3).
import { decodeDataUri, isHttpsUrl, readImageHeader } from '../images'
import { uuid } from '../ids'
import { badRequest, json, modelNotFound, pick, type Reply, taskNotExist } from '../reply'
import { type Ctx, type Route, str } from '../router'
import type { FakeState } from '../state'
import { EXPIRED_MESSAGE, FAIL_MESSAGE, type InternalTask, type Phase, seconds, type TaskView } from '../tasks'

const MODELS = new Set(['gen3a_turbo', 'gen4_turbo', 'gen4', 'gen4.5'])
const RATIOS = ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672', '1280:768', '768:1280']

const FLAT_KEYS: Record<Phase, readonly string[]> = {
  queued: ['id', 'status', 'createdAt'],
  running: ['id', 'status', 'createdAt', 'progress'],
  succeeded: ['id', 'status', 'createdAt', 'output'],
  failed: ['id', 'status', 'createdAt', 'failure', 'failureCode'],
  expired: ['id', 'status', 'createdAt', 'failure', 'failureCode']
}
const FLAT_STATUS: Record<Phase, string> = { queued: 'PENDING', running: 'RUNNING', succeeded: 'SUCCEEDED', failed: 'FAILED', expired: 'FAILED' }
// Terminal wrapper words are undocumented; SUCCESS/FAILURE by analogy with the xAI wrapped example.
const WRAPPED_STATUS: Record<Phase, string> = { queued: 'QUEUED', running: 'IN_PROGRESS', succeeded: 'SUCCESS', failed: 'FAILURE', expired: 'FAILURE' }

function failureOf(phase: Phase): { failure: string; failureCode: string } | null {
  if (phase === 'failed') return { failure: FAIL_MESSAGE, failureCode: 'SAFETY.INPUT.TEXT' }
  if (phase === 'expired') return { failure: EXPIRED_MESSAGE, failureCode: 'INTERNAL' }
  return null
}

function flat(task: InternalTask, v: TaskView, url: string | null): Record<string, unknown> {
  const fail = failureOf(v.phase)
  return pick(
    {
      id: task.id,
      status: FLAT_STATUS[v.phase],
      createdAt: new Date(task.createdAt).toISOString(),
      progress: Math.round(v.progress) / 100,
      output: url ? [url] : [],
      failure: fail?.failure ?? null,
      failureCode: fail?.failureCode ?? null
    },
    FLAT_KEYS[v.phase]
  )
}

/** The legacy CometAPI task wrapper (`{code:"success",data:{…,data:<provider body>}}`). */
export function wrap(action: string, task: InternalTask, v: TaskView, failReason: string, inner: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: 'success',
    message: '',
    data: {
      task_id: task.id,
      action,
      status: WRAPPED_STATUS[v.phase],
      fail_reason: failReason,
      submit_time: seconds(task.createdAt),
      start_time: v.startedAt !== null ? seconds(v.startedAt) : 0,
      finish_time: v.finishedAt !== null ? seconds(v.finishedAt) : 0,
      // The compat example shows 100% on failure too: the wrapper reports 100% once terminal.
      progress: `${v.finishedAt !== null ? 100 : v.progress}%`,
      ...extra,
      data: inner
    }
  }
}

function checkImage(value: unknown, param: string): Reply | null {
  const s = str(value)
  if (!s) return badRequest(`${param} is required`, param, 'invalid_request')
  if (s.startsWith('data:')) {
    const bytes = decodeDataUri(s)
    if (!bytes || !readImageHeader(bytes)) return badRequest(`${param} must be a data:image/...;base64 URI of a JPEG, PNG or WebP image`, param, 'invalid_value')
    return null
  }
  return isHttpsUrl(s) ? null : badRequest(`${param} must be an HTTPS URL or a data URI`, param, 'invalid_value')
}

function validate(body: Record<string, unknown>): Reply | null {
  const model = str(body.model)
  if (!model) return badRequest('model is required', 'model', 'invalid_request')
  if (!MODELS.has(model)) return modelNotFound(model)
  const imageProblem = checkImage(body.promptImage, 'promptImage')
  if (imageProblem) return imageProblem
  if (body.promptText !== undefined && (typeof body.promptText !== 'string' || body.promptText.length > 512)) {
    return badRequest('promptText must be a string of at most 512 characters', 'promptText', 'invalid_value')
  }
  if (body.duration !== undefined && body.duration !== 5 && body.duration !== 10) return badRequest('duration must be 5 or 10', 'duration', 'invalid_value')
  if (body.ratio !== undefined && !RATIOS.includes(String(body.ratio))) {
    return badRequest(`ratio must be one of ${RATIOS.join(', ')}`, 'ratio', 'invalid_value')
  }
  const seed = body.seed
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 999_999_999)) {
    return badRequest('seed must be an integer between 0 and 999999999', 'seed', 'invalid_value')
  }
  if (body.watermark !== undefined && typeof body.watermark !== 'boolean') return badRequest('watermark must be a boolean', 'watermark', 'invalid_value')
  return null
}

function create(ctx: Ctx): Reply {
  if (!ctx.req.headers['x-runway-version']) return badRequest('X-Runway-Version header is required', 'X-Runway-Version', 'invalid_request')
  const body = ctx.json()
  if (!body) return badRequest('request body must be a JSON object', '', 'invalid_request')
  const problem = validate(body)
  if (problem) return problem
  const { promptImage: _image, ...params } = body
  const task = ctx.state.createTask({
    id: uuid(),
    family: 'runway',
    model: String(body.model),
    prompt: str(body.promptText) ?? '',
    apiKey: ctx.apiKey ?? '',
    params,
    images: 1,
    transientCapable: true
  })
  ctx.created = task
  return json(200, { id: task.id })
}

function findTask(state: FakeState, id: string, family: string): InternalTask | undefined {
  const t = state.tasks.get(id)
  return t && t.family === family ? t : undefined
}

function poll(ctx: Ctx): Reply {
  const task = findTask(ctx.state, ctx.params[0], 'runway')
  if (!task) return taskNotExist()
  if (task.transientPending) {
    task.transientPending = false
    return taskNotExist()
  }
  const v = ctx.state.view(task)
  const url = v.phase === 'succeeded' ? ctx.state.resultUrl(task).url : null
  const body = flat(task, v, url)
  if (ctx.state.opts.runwayDialect === 'flat') return json(200, body)
  return json(200, wrap('IMAGE_TO_VIDEO', task, v, failureOf(v.phase)?.failure ?? '', body))
}

// --- compatibility ("reverse") format: /runway/pro/generate + POST /runway/feed -------------

function compatCreate(ctx: Ctx): Reply {
  const body = ctx.json()
  if (!body) return badRequest('request body must be a JSON object', '', 'invalid_request')
  const image = str(body.image)
  if (!image || !/^https?:\/\//.test(image)) return badRequest('image must be an image URL', 'image', 'invalid_value')
  const prompt = str(body.prompt)
  if (!prompt) return badRequest('prompt is required', 'prompt', 'invalid_request')
  const options = body.options && typeof body.options === 'object' ? (body.options as Record<string, unknown>) : {}
  if (options.seconds !== undefined && options.seconds !== 5 && options.seconds !== 10) return badRequest('options.seconds must be 5 or 10', 'options.seconds', 'invalid_value')
  const { image: _image, ...params } = body
  const task = ctx.state.createTask({
    id: uuid(),
    family: 'runway-compat',
    model: str(body.model) ?? 'gen4',
    prompt,
    apiKey: ctx.apiKey ?? '',
    params,
    images: 1
  })
  ctx.created = task
  return json(200, { code: 200, message: '', msg: 'success', data: { task_id: task.id } })
}

function compatFeed(ctx: Ctx): Reply {
  const id = str(ctx.json()?.task_id)
  const task = id ? findTask(ctx.state, id, 'runway-compat') : undefined
  if (!task) return taskNotExist()
  const v = ctx.state.view(task)
  const url = v.phase === 'succeeded' ? ctx.state.resultUrl(task).url : null
  return json(200, wrap('GENERATE', task, v, failureOf(v.phase)?.failure ?? '', {}, url ? { result_url: url } : {}))
}

const describePoll = (family: string) => (ctx: Ctx) => ({
  taskId: ctx.params[0],
  model: findTask(ctx.state, ctx.params[0], family)?.model ?? null
})

export const runwayRoutes: Route[] = [
  {
    methods: ['POST'],
    pattern: /^\/runwayml\/v1\/image_to_video$/,
    family: 'runway',
    auth: true,
    kind: 'create',
    describe: (ctx) => ({ model: str(ctx.json()?.model), prompt: str(ctx.json()?.promptText) }),
    handle: create
  },
  { methods: ['GET'], pattern: /^\/runwayml\/v1\/tasks\/([^/]+)$/, family: 'runway', auth: true, kind: 'poll', describe: describePoll('runway'), handle: poll },
  {
    methods: ['POST'],
    pattern: /^\/runway\/pro\/generate$/,
    family: 'runway-compat',
    auth: true,
    kind: 'create',
    describe: (ctx) => ({ model: str(ctx.json()?.model), prompt: str(ctx.json()?.prompt) }),
    handle: compatCreate
  },
  {
    methods: ['POST'],
    pattern: /^\/runway\/feed$/,
    family: 'runway-compat',
    auth: true,
    kind: 'poll',
    describe: (ctx) => {
      const id = str(ctx.json()?.task_id)
      return { taskId: id, model: id ? (findTask(ctx.state, id, 'runway-compat')?.model ?? null) : null }
    },
    handle: compatFeed
  }
]
