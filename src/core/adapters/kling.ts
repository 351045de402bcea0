// Kling through CometAPI: `text2video` or `image2video` depending on whether the job has images,
// the `{code, message, data}` envelope (code 0 = ok), ms timestamps, and the word `succeed`.
// Every create carries our job id as `external_task_id`, so an interrupted create can be found again.
import type { JobSpec } from '../../shared/jobs'
import type { FieldError, ImageInfo, ModelRules } from '../../shared/modelTypes'
import { validateSpec } from '../../shared/validation'
import {
  asRecord,
  base64Of,
  emptyPoll,
  epochMs,
  extraParams,
  idStr,
  isTransientNotFound,
  looksLikeUnknownModel,
  num,
  pathId,
  percent,
  readError,
  remoteError,
  reservedParamErrors,
  statusMapper,
  str,
  urlsAt,
  type JsonRecord
} from './json'
import { AdapterError, type CreateContext, type CreateResult, type ErrorAnswer, type PollResult, type RequestSpec, type VideoAdapter } from './types'

export type KlingAction = 'text2video' | 'image2video'

const RESERVED = [
  'model_name', 'model', 'prompt', 'negative_prompt', 'duration', 'aspect_ratio', 'image', 'image_tail', 'external_task_id'
] as const

const MODES = ['std', 'pro'] as const

const mapStatus = statusMapper({
  pending: ['submitted', 'queued', 'pending'],
  running: ['processing', 'in_progress', 'running'],
  // Kling says `succeed`; the others are defensive.
  succeeded: ['succeed', 'succeeded', 'success', 'completed'],
  failed: ['failed', 'failure', 'error']
})

/** The route follows the spec, so create, poll and lookup always agree on it. */
export function klingAction(spec: JobSpec): KlingAction {
  return spec.images && spec.images.length > 0 ? 'image2video' : 'text2video'
}

export const klingAdapter: VideoAdapter = {
  family: 'kling',

  validate(spec: JobSpec, rules: ModelRules, images: ImageInfo[]): FieldError[] {
    const errors = [...validateSpec(spec, rules, images), ...reservedParamErrors(spec.params, RESERVED)]
    // An empty text-to-video prompt is refused by validateSpec (rules.prompt.requiredWithoutImages).
    const withImages = klingAction(spec) === 'image2video' || images.length > 0
    if (withImages && spec.aspectRatio) {
      errors.push({
        field: 'aspectRatio',
        code: 'aspectRatio.notWithImages',
        message: 'Kling image-to-video takes its shape from the image and has no aspect ratio setting; clear the aspect ratio or remove the images.'
      })
    }
    errors.push(...checkParams(spec))
    return errors
  },

  buildCreate(spec: JobSpec, ctx: CreateContext): RequestSpec {
    const action = klingAction(spec)
    if (action === 'image2video' && ctx.images.length === 0) {
      throw new AdapterError('The job lists images but none were loaded.', null, 'validation')
    }
    // `model_name`, never `model`; `duration` is a string ("5"); images are bare base64, no data: prefix.
    const json: Record<string, unknown> = { model_name: spec.model }
    if (spec.prompt.trim() !== '') json.prompt = spec.prompt
    if (spec.negativePrompt && spec.negativePrompt.trim() !== '') json.negative_prompt = spec.negativePrompt
    if (spec.seconds !== undefined) json.duration = String(spec.seconds)
    if (spec.aspectRatio && action === 'text2video') json.aspect_ratio = spec.aspectRatio
    if (action === 'image2video') {
      json.image = base64Of(ctx.images[0].bytes)
      if (ctx.images[1]) json.image_tail = base64Of(ctx.images[1].bytes)
    }
    for (const [k, v] of extraParams(spec.params, RESERVED)) json[k] = v
    json.external_task_id = ctx.externalId
    return { method: 'POST', path: `/kling/v1/videos/${action}`, json }
  },

  parseCreate(body: unknown): CreateResult {
    const rec = asRecord(body)
    if (!rec) throw new AdapterError('Kling answered the create request with something other than a JSON object.')
    checkEnvelope(rec, 'create')
    const task = taskOf(rec)
    const id = taskId(task)
    if (!task || !id) throw new AdapterError('Kling accepted the job but its answer has no task id.')
    return { remoteId: id, poll: task.task.task_status !== undefined ? parseTask(task) : null }
  },

  buildPoll(remoteId: string, spec: JobSpec): RequestSpec {
    return { method: 'GET', path: `/kling/v1/videos/${klingAction(spec)}/${pathId(remoteId)}` }
  },

  parsePoll(body: unknown): PollResult {
    const rec = asRecord(body)
    if (!rec) throw new AdapterError('Kling answered a status request with something other than a JSON object.')
    checkEnvelope(rec, 'poll')
    const task = taskOf(rec)
    if (!task) throw new AdapterError('Kling answered a status request without a task.')
    return parseTask(task)
  },

  buildLookup(externalId: string, spec: JobSpec): RequestSpec {
    return { method: 'GET', path: `/kling/v1/videos/${klingAction(spec)}/${pathId(externalId)}` }
  },

  parseLookup(body: unknown): CreateResult | null {
    const rec = asRecord(body)
    if (!rec) throw new AdapterError('Kling answered a lookup with something other than a JSON object.')
    if (isNotFound(rec)) return null
    checkEnvelope(rec, 'lookup')
    const task = taskOf(rec)
    const id = taskId(task)
    // Not a "no such task": an answer we cannot read says nothing, so nothing may be re-sent on it.
    if (!task || !id) throw new AdapterError('Kling answered a lookup without a task id.')
    return { remoteId: id, poll: parseTask(task) }
  },

  // Kling's "task not found" (HTTP 404, code 1203) is the only answer that proves a create never arrived.
  lookupSaysAbsent(failure: ErrorAnswer): boolean {
    return failure.status === 404 && (failure.code === '1203' || /task not found|no such task|does not exist/i.test(failure.message ?? ''))
  },

  // external_task_id is unique per user: a refusal naming it as taken means our earlier create arrived.
  isDuplicateCreate(failure: ErrorAnswer): boolean {
    return /external[_ ]task[_ ]id\b.*\b(already|exist|duplicate)|duplicate.*external[_ ]task[_ ]id/i.test(failure.message ?? '')
  }
}

/** `mode` and `cfg_scale` travel as extra params; check the documented ones before sending. */
function checkParams(spec: JobSpec): FieldError[] {
  const errors: FieldError[] = []
  const mode = spec.params?.mode
  if (mode !== undefined && !MODES.includes(String(mode) as (typeof MODES)[number])) {
    errors.push({
      field: 'params.mode',
      code: 'params.notAllowed',
      message: `Kling's mode is "std" or "pro", not "${String(mode)}".`,
      allowed: MODES,
      params: { key: 'mode', actual: String(mode) }
    })
  }
  const cfg = spec.params?.cfg_scale
  if (cfg !== undefined) {
    const n = num(cfg)
    if (n === null || n < 0 || n > 1) {
      errors.push({
        field: 'params.cfg_scale',
        code: 'params.outOfRange',
        message: `Kling's cfg_scale is a number from 0 to 1, not "${String(cfg)}".`,
        params: { key: 'cfg_scale', actual: String(cfg), min: 0, max: 1 }
      })
    }
  }
  return errors
}

/** `code` ≠ 0 is a refusal; a CometAPI `{error}` on a 200 is one too. */
function checkEnvelope(rec: JsonRecord, what: 'create' | 'poll' | 'lookup'): void {
  const err = readError(rec)
  if (err && rec.data === undefined) {
    throw new AdapterError(err.message ?? `Kling refused the ${what} request.`, err.code, kindFor(err.code, err.message))
  }
  if (rec.code === undefined || rec.code === null) return
  // Kling's own envelope says 0; CometAPI's task wrapper (Kling Omni) says "success".
  if (num(rec.code) === 0 || (typeof rec.code === 'string' && rec.code.toLowerCase() === 'success')) return
  const message = str(rec.message) ?? `Kling answered the ${what} request with code ${String(rec.code)}.`
  throw new AdapterError(message, String(rec.code), kindFor(String(rec.code), message))
}

function kindFor(code: string | null, message: string | null): 'model_unavailable' | 'validation' {
  return looksLikeUnknownModel(code, message) ? 'model_unavailable' : 'validation'
}

interface KlingTask {
  task: JsonRecord
  /** CometAPI's wrapper around the task (`data` when the task sits in `data.data`). */
  wrapper: JsonRecord | null
}

/** The task, whether the body is the envelope, the task itself (callback shape), or `data.data` (Omni-style). */
function taskOf(rec: JsonRecord): KlingTask | null {
  const data = asRecord(rec.data)
  if (data) {
    const inner = asRecord(data.data)
    if (inner && (inner.task_id !== undefined || inner.task_status !== undefined || inner.task_result !== undefined)) {
      return { task: inner, wrapper: data }
    }
    return { task: data, wrapper: null }
  }
  if (rec.task_id !== undefined || rec.task_status !== undefined) return { task: rec, wrapper: null }
  return null
}

function taskId(t: KlingTask | null): string | null {
  return idStr(t?.task.task_id) ?? idStr(t?.wrapper?.task_id)
}

// Kling's "task not found" codes (1201–1203 family) and CometAPI's own `task_not_exist`.
function isNotFound(rec: JsonRecord): boolean {
  const err = readError(rec)
  if (err && (isTransientNotFound(err) || /not[ _-]?(found|exist)/i.test(err.message ?? ''))) return true
  const code = num(rec.code)
  if (code === 0 || (code === null && typeof rec.code !== 'string')) return false
  return /not[ _-]?(found|exist)|no such task|does not exist/i.test(str(rec.message) ?? '')
}

function parseTask({ task, wrapper }: KlingTask): PollResult {
  // Kling's own `task_status` first; CometAPI's wrapper status (SUCCESS, IN_PROGRESS...) when it is all there is.
  const raw = str(task.task_status) ?? str(task.status) ?? str(wrapper?.status)
  const result = emptyPoll(mapStatus(raw), raw)
  result.progress = percent(task.progress) ?? percent(wrapper?.progress)
  result.resultUrls = urlsAt(asRecord(task.task_result), ['videos'])
  if (result.state === 'succeeded' || result.state === 'failed') {
    result.completedAt = epochMs(task.updated_at) ?? epochMs(wrapper?.finish_time)
  }
  if (result.state === 'failed') {
    const reason = str(task.task_status_msg) ?? str(wrapper?.fail_reason)
    result.error = remoteError(null, reason, 'Kling reported the task failed without giving a reason.')
  }
  if (result.state === 'succeeded' && result.progress === null) result.progress = 100
  return result
}
