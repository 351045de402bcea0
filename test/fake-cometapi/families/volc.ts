// Legacy Seedance via the Volcengine-shaped route (API.md §4.3); deprecated but still listed.
import { volcId } from '../ids'
import { badRequest, json, modelNotFound, pick, type Reply, taskNotExist } from '../reply'
import { type Ctx, type Route, str } from '../router'
import { EXPIRED_MESSAGE, FAIL_MESSAGE, type Phase, seconds } from '../tasks'

const FAMILY = 'volc'

const STATUS: Record<Phase, string> = { queued: 'queued', running: 'running', succeeded: 'succeeded', failed: 'failed', expired: 'failed' }
const KEYS: Record<Phase, readonly string[]> = {
  queued: ['id', 'model', 'status', 'created_at', 'updated_at'],
  running: ['id', 'model', 'status', 'created_at', 'updated_at'],
  succeeded: ['id', 'model', 'status', 'content', 'created_at', 'updated_at', 'resolution', 'duration', 'ratio', 'framespersecond'],
  failed: ['id', 'model', 'status', 'error', 'created_at', 'updated_at'],
  expired: ['id', 'model', 'status', 'error', 'created_at', 'updated_at']
}

interface Parsed {
  text: string
  images: number
}

function parseContent(body: Record<string, unknown>): Parsed | null {
  if (!Array.isArray(body.content)) return null
  let text = ''
  let images = 0
  for (const item of body.content as unknown[]) {
    if (!item || typeof item !== 'object') return null
    const it = item as Record<string, unknown>
    if (it.type === 'text' && typeof it.text === 'string') text += it.text
    else if (it.type === 'image_url') images++
    else return null
  }
  return text ? { text, images } : null
}

/** `--duration 5 --ratio 16:9` flags inside the prompt text. */
function flag(text: string, name: string): string | null {
  const m = new RegExp(`--${name}\\s+(\\S+)`).exec(text)
  return m ? m[1] : null
}

function create(ctx: Ctx): Reply {
  const body = ctx.json()
  if (!body) return badRequest('request body must be a JSON object', '', 'invalid_request')
  const model = str(body.model)
  if (!model) return badRequest('model is required', 'model', 'invalid_request')
  if (!model.startsWith('doubao-seedance')) return modelNotFound(model)
  const content = parseContent(body)
  if (!content) return badRequest('content must be an array with a text item', 'content', 'invalid_request')
  const task = ctx.state.createTask({
    id: volcId(),
    family: FAMILY,
    model,
    prompt: content.text,
    apiKey: ctx.apiKey ?? '',
    params: { duration: flag(content.text, 'duration'), ratio: flag(content.text, 'ratio'), resolution: flag(content.text, 'resolution') },
    images: content.images
  })
  ctx.created = task
  return json(200, { id: task.id })
}

function poll(ctx: Ctx): Reply {
  const task = ctx.state.tasks.get(ctx.params[0])
  if (!task || task.family !== FAMILY) return taskNotExist()
  const v = ctx.state.view(task)
  const failed = v.phase === 'failed' || v.phase === 'expired'
  return json(
    200,
    pick(
      {
        id: task.id,
        model: task.model,
        status: STATUS[v.phase],
        content: v.phase === 'succeeded' ? { video_url: ctx.state.resultUrl(task).url } : null,
        error: failed ? { code: v.phase === 'expired' ? 'Expired' : 'InputTextSensitiveContentDetected', message: v.phase === 'expired' ? EXPIRED_MESSAGE : FAIL_MESSAGE } : null,
        created_at: seconds(task.createdAt),
        updated_at: seconds(v.updatedAt),
        resolution: str(task.params.resolution) ?? '720p',
        duration: Number(task.params.duration ?? 5),
        ratio: str(task.params.ratio) ?? '16:9',
        framespersecond: 24
      },
      KEYS[v.phase]
    )
  )
}

export const volcRoutes: Route[] = [
  {
    methods: ['POST'],
    pattern: /^\/volc\/v3\/contents\/generations\/tasks$/,
    family: FAMILY,
    auth: true,
    kind: 'create',
    describe: (ctx) => {
      const b = ctx.json()
      return { model: str(b?.model), prompt: b ? (parseContent(b)?.text ?? null) : null }
    },
    handle: create
  },
  {
    methods: ['GET'],
    pattern: /^\/volc\/v3\/contents\/generations\/tasks\/([^/]+)$/,
    family: FAMILY,
    auth: true,
    kind: 'poll',
    describe: (ctx) => ({ taskId: ctx.params[0], model: ctx.state.tasks.get(ctx.params[0])?.model ?? null }),
    handle: poll
  }
]
