// Kling (`/kling/v1/videos/...`, API.md §3). Errors use Kling's own envelope: HTTP 400 with
// `code` ≠ 0 for validation; an unknown task id answers HTTP 404 `{code:1203,"task not found"}`
// (Kling's documented "resource does not exist" pairing; CometAPI does not document it).
import { createHash } from 'node:crypto'
import { readImageHeader } from '../images'
import { klingId, uuid } from '../ids'
import { json, pick, type Reply } from '../reply'
import { type Ctx, type Route, str } from '../router'
import type { FakeState } from '../state'
import { EXPIRED_MESSAGE, FAIL_MESSAGE, type InternalTask, type Phase } from '../tasks'
import type { RequestKind } from '../types'

const FAMILY = 'kling'
const MODELS = new Set(['kling-v1', 'kling-v1-6', 'kling-v2-master', 'kling-v2-1', 'kling-v2-1-master', 'kling-v2-5-turbo', 'kling-v2-6', 'kling-v3'])
const ASPECTS = ['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3']
const MAX_IMAGE_BYTES = 10 * 1024 * 1024

const klingError = (status: number, code: number, message: string): Reply => json(status, { code, message, request_id: uuid() })
const invalid = (message: string): Reply => klingError(400, 1201, message)
/** HTTP 404 `{code:1203,message:"task not found",request_id}`: unknown task_id and unknown external_task_id alike. */
export const klingNotFound = (): Reply => klingError(404, 1203, 'task not found')

const STATUS: Record<Phase, string> = { queued: 'submitted', running: 'processing', succeeded: 'succeed', failed: 'failed', expired: 'failed' }

// Key orders follow fixtures.json kling_text2video.poll_responses.
const DATA_KEYS: Record<Phase, readonly string[]> = {
  queued: ['task_id', 'task_status', 'task_info', 'task_result', 'created_at', 'updated_at'],
  running: ['task_id', 'task_info', 'created_at', 'updated_at', 'task_result', 'task_status'],
  succeeded: ['task_id', 'task_status', 'task_status_msg', 'task_info', 'created_at', 'updated_at', 'task_result'],
  failed: ['task_id', 'task_status', 'task_status_msg', 'task_info', 'created_at', 'updated_at', 'task_result'],
  expired: ['task_id', 'task_status', 'task_status_msg', 'task_info', 'created_at', 'updated_at', 'task_result']
}

function checkImage(value: unknown, param: string, required: boolean): Reply | null {
  if (value === undefined || value === null || value === '') return required ? invalid(`${param} is required`) : null
  if (typeof value !== 'string') return invalid(`${param} must be a string`)
  if (/^https?:\/\//i.test(value)) return null
  // Kling wants raw base64: a data: prefix is a documented client mistake.
  if (value.startsWith('data:')) return invalid(`${param} must be a URL or raw base64 without the data: prefix`)
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return invalid(`${param} is not valid base64`)
  const bytes = Buffer.from(value, 'base64')
  if (bytes.length > MAX_IMAGE_BYTES) return invalid(`${param} must be at most 10MB`)
  const head = readImageHeader(bytes)
  if (!head || (head.type !== 'png' && head.type !== 'jpeg')) return invalid(`${param} must be a JPG or PNG image`)
  if (head.width < 300 || head.height < 300) return invalid(`${param} must be at least 300x300 pixels, got ${head.width}x${head.height}`)
  return null
}

function validate(action: string, body: Record<string, unknown>): Reply | null {
  const model = body.model_name ?? 'kling-v1'
  if (typeof model !== 'string' || !MODELS.has(model)) return invalid('invalid model name')
  const prompt = body.prompt
  if (prompt !== undefined && typeof prompt !== 'string') return invalid('prompt must be a string')
  if (action === 'text2video' && !prompt) return invalid('prompt is required')
  if (typeof prompt === 'string' && prompt.length > 500) return invalid('prompt must be at most 500 characters')
  const neg = body.negative_prompt
  if (neg !== undefined && (typeof neg !== 'string' || neg.length > 200)) return invalid('negative_prompt must be at most 200 characters')
  if (body.duration !== undefined && body.duration !== '5' && body.duration !== '10') return invalid('duration must be the string "5" or "10"')
  if (body.aspect_ratio !== undefined && !ASPECTS.includes(String(body.aspect_ratio))) return invalid(`aspect_ratio must be one of ${ASPECTS.join(', ')}`)
  if (body.mode !== undefined && body.mode !== 'std' && body.mode !== 'pro') return invalid('mode must be std or pro')
  const cfg = body.cfg_scale
  if (cfg !== undefined && (typeof cfg !== 'number' || cfg < 0 || cfg > 1)) return invalid('cfg_scale must be a number between 0 and 1')
  if (body.external_task_id !== undefined && typeof body.external_task_id !== 'string') return invalid('external_task_id must be a string')
  if (action === 'image2video') return checkImage(body.image, 'image', true) ?? checkImage(body.image_tail, 'image_tail', false)
  return null
}

function taskInfo(task: InternalTask): Record<string, string> {
  return task.externalId ? { external_task_id: task.externalId } : {}
}

function create(ctx: Ctx): Reply {
  const action = ctx.params[0]
  const body = ctx.json()
  if (!body) return klingError(400, 1200, 'invalid request body')
  const problem = validate(action, body)
  if (problem) return problem
  const externalId = str(body.external_task_id)
  // external_task_id is unique per user (API.md §3.1). Kling documents no code for a duplicate:
  // the fake answers like any invalid parameter (HTTP 400, code 1201) and creates nothing.
  if (externalId && ctx.state.findByExternalId(ctx.apiKey ?? '', externalId, FAMILY)) {
    return invalid(`external_task_id ${externalId} already exists`)
  }
  const { image: _i, image_tail: _t, ...params } = body
  const task = ctx.state.createTask({
    id: klingId(),
    family: FAMILY,
    model: str(body.model_name) ?? 'kling-v1',
    prompt: str(body.prompt) ?? '',
    apiKey: ctx.apiKey ?? '',
    externalId,
    action,
    params,
    images: (body.image ? 1 : 0) + (body.image_tail ? 1 : 0),
    imageSha256: [body.image, body.image_tail].filter((v): v is string => typeof v === 'string' && !/^https?:\/\//i.test(v)).map((v) => createHash('sha256').update(Buffer.from(v, 'base64')).digest('hex'))
  })
  ctx.created = task
  return json(200, {
    code: 0,
    message: 'SUCCEED',
    request_id: uuid(),
    data: { task_id: task.id, task_status: 'submitted', task_info: taskInfo(task), created_at: task.createdAt, updated_at: task.createdAt }
  })
}

/** By task_id first, then by external_task_id (how a client finds an interrupted create). */
function resolve(ctx: Ctx): { task: InternalTask | undefined; byExternal: boolean } {
  const [action, id] = ctx.params
  const direct = ctx.state.tasks.get(id)
  if (direct && direct.family === FAMILY) return { task: direct.action === action ? direct : undefined, byExternal: false }
  const ext = ctx.apiKey ? ctx.state.findByExternalId(ctx.apiKey, id, FAMILY) : undefined
  if (ext) return { task: ext.action === action ? ext : undefined, byExternal: true }
  return { task: undefined, byExternal: !/^\d{18,19}$/.test(id) }
}

function pollData(state: FakeState, task: InternalTask): Record<string, unknown> {
  const v = state.view(task)
  const failMsg = v.phase === 'failed' ? FAIL_MESSAGE : v.phase === 'expired' ? EXPIRED_MESSAGE : ''
  const result =
    v.phase === 'succeeded' ? { videos: [{ id: `kv_${task.id}`, url: state.resultUrl(task).url, duration: str(task.params.duration) ?? '5' }] } : {}
  return pick(
    {
      task_id: task.id,
      task_status: STATUS[v.phase],
      task_status_msg: failMsg,
      task_info: taskInfo(task),
      task_result: result,
      created_at: task.createdAt,
      updated_at: v.updatedAt
    },
    DATA_KEYS[v.phase]
  )
}

function poll(ctx: Ctx): Reply {
  const { task } = resolve(ctx)
  if (!task) return klingNotFound()
  return json(200, { code: 0, message: 'SUCCEED', request_id: uuid(), data: pollData(ctx.state, task) })
}

function pollKind(ctx: Ctx): RequestKind {
  return resolve(ctx).byExternal ? 'lookup' : 'poll'
}

export const klingRoutes: Route[] = [
  {
    methods: ['POST'],
    pattern: /^\/kling\/v1\/videos\/(text2video|image2video)$/,
    family: FAMILY,
    auth: true,
    kind: 'create',
    describe: (ctx) => {
      const b = ctx.json()
      return { model: str(b?.model_name), prompt: str(b?.prompt), externalId: str(b?.external_task_id) }
    },
    handle: create
  },
  {
    methods: ['GET'],
    pattern: /^\/kling\/v1\/videos\/(text2video|image2video)\/([^/]+)$/,
    family: FAMILY,
    auth: true,
    kind: pollKind,
    describe: (ctx) => {
      const { task, byExternal } = resolve(ctx)
      return {
        taskId: task?.id ?? (byExternal ? null : ctx.params[1]),
        externalId: byExternal ? ctx.params[1] : (task?.externalId ?? null),
        model: task?.model ?? null
      }
    },
    handle: poll
  }
]
