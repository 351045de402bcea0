// Runway's official format through CometAPI: image-to-video only. Polls come back in two shapes,
// the flat Runway task (newer docs) and CometAPI's `{code, data:{status, progress:"40%", data}}`
// wrapper (older docs, live in 2026-03); both are read.
import type { JobSpec } from '../../shared/jobs'
import type { FieldError, ImageInfo, ModelRules } from '../../shared/modelTypes'
import { validateSpec } from '../../shared/validation'
import {
  asRecord,
  clampProgress,
  dataUri,
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
  missingPoll,
  withOddError,
  type JsonRecord
} from './json'
import { AdapterError, type CreateContext, type CreateResult, type PollResult, type RequestSpec, type VideoAdapter } from './types'

/** Required on create, optional on poll; sent on both so either doc generation is satisfied. */
export const RUNWAY_VERSION = '2024-11-06'
const HEADERS = { 'X-Runway-Version': RUNWAY_VERSION }

const RESERVED = ['promptImage', 'model', 'promptText', 'duration', 'ratio', 'seed'] as const

const mapStatus = statusMapper({
  // THROTTLED: Runway queues the task behind the account's concurrency limit.
  pending: ['pending', 'queued', 'submitted', 'throttled', 'not_start'],
  running: ['running', 'in_progress', 'processing'],
  succeeded: ['succeeded', 'success', 'completed'],
  failed: ['failed', 'failure', 'error', 'cancelled', 'canceled']
})

export const runwayAdapter: VideoAdapter = {
  family: 'runway',

  validate(spec: JobSpec, rules: ModelRules, images: ImageInfo[]): FieldError[] {
    return [...validateSpec(spec, rules, images), ...reservedParamErrors(spec.params, RESERVED)]
  },

  buildCreate(spec: JobSpec, ctx: CreateContext): RequestSpec {
    const image = ctx.images[0]
    if (!image) throw new AdapterError('Runway makes video from an image: add one image to the job.', null, 'validation')
    const json: Record<string, unknown> = {
      model: spec.model,
      // A local file travels inline; Runway accepts a data URI wherever it takes an HTTPS URL.
      promptImage: dataUri(image.mime, image.bytes)
    }
    if (spec.prompt.trim() !== '') json.promptText = spec.prompt
    if (spec.seconds !== undefined) json.duration = Math.round(spec.seconds)
    if (spec.aspectRatio) json.ratio = spec.aspectRatio
    if (spec.seed !== undefined) json.seed = spec.seed
    for (const [k, v] of extraParams(spec.params, RESERVED)) json[k] = v
    return { method: 'POST', path: '/runwayml/v1/image_to_video', headers: { ...HEADERS }, json }
  },

  parseCreate(body: unknown): CreateResult {
    const rec = asRecord(body)
    if (!rec) throw new AdapterError('Runway answered the create request with something other than a JSON object.')
    const err = readError(rec)
    if (err) throw new AdapterError(err.message ?? 'Runway refused the job without giving a reason.', err.code, 'validation')
    const data = isWrapped(rec) ? envelopeData(rec) : null
    const id = idStr(rec.id) ?? idStr(data?.task_id) ?? idStr(data?.id)
    if (!id) throw new AdapterError('Runway accepted the job but its answer has no task id.')
    return { remoteId: id, poll: null }
  },

  buildPoll(remoteId: string): RequestSpec {
    return { method: 'GET', path: `/runwayml/v1/tasks/${pathId(remoteId)}`, headers: { ...HEADERS } }
  },

  parsePoll(body: unknown): PollResult {
    const rec = asRecord(body)
    if (!rec) throw new AdapterError('Runway answered a status request with something other than a JSON object.')
    if (isWrapped(rec)) {
      // A fresh id can be briefly unknown to the gateway: keep polling rather than fail the job.
      if (isTransientNotFound({ code: idStr(rec.code), message: str(rec.message) })) return missingPoll()
      return parseWrapped(envelopeData(rec))
    }
    const err = readError(rec)
    if (err && rec.status === undefined) {
      if (isTransientNotFound(err)) return missingPoll()
      // An error with no status is not an end: the task goes on until Runway says FAILED.
      return withOddError(emptyPoll('unknown', null), err)
    }
    return parseFlat(rec)
  }
}

/** CometAPI's task wrapper: `{code:"success", message, data:{task_id, status, progress:"40%", data:{...}}}`. */
function isWrapped(rec: JsonRecord): boolean {
  return rec.code !== undefined && rec.status === undefined && (rec.data !== undefined || rec.message !== undefined)
}

function envelopeData(rec: JsonRecord): JsonRecord {
  const code = rec.code
  const ok = (typeof code === 'string' && code.toLowerCase() === 'success') || code === 200 || code === 0
  if (!ok) {
    const message = str(rec.message) ?? str(rec.msg) ?? `Runway's gateway answered with code "${String(code)}".`
    const kind = looksLikeUnknownModel(String(code), message) ? 'model_unavailable' : 'provider_failed'
    throw new AdapterError(message, String(code), kind)
  }
  const data = asRecord(rec.data)
  if (!data) throw new AdapterError('Runway\'s gateway answered "success" without a task.', String(code))
  return data
}

/** Runway's native task: `{id, status, progress (0..1), output:[url], failure, failureCode}`. */
function parseFlat(task: JsonRecord): PollResult {
  const raw = str(task.status)
  const result = emptyPoll(mapStatus(raw), raw)
  result.progress = fractionOrPercent(task.progress)
  result.resultUrls = urlsAt(task, ['output', 'video_url', 'url'])
  result.completedAt = epochMs(task.finish_time)
  if (result.state === 'failed') {
    result.error = remoteError(
      str(task.failureCode),
      str(task.failure),
      `Runway reported the task as "${raw}" without giving a reason.`
    )
  }
  if (result.state === 'succeeded' && result.progress === null) result.progress = 100
  return result
}

function parseWrapped(outer: JsonRecord): PollResult {
  const inner = asRecord(outer.data)
  // The outer status is CometAPI's (QUEUED/IN_PROGRESS/SUCCESS/FAILURE); the inner one is Runway's.
  const outerRaw = str(outer.status)
  const innerRaw = str(inner?.status)
  let state = mapStatus(outerRaw)
  let raw = outerRaw
  if (state === 'unknown' && innerRaw) {
    state = mapStatus(innerRaw)
    raw = innerRaw
  }
  const result = emptyPoll(state, raw ?? innerRaw)
  result.progress = percent(outer.progress) ?? fractionOrPercent(inner?.progress)
  result.resultUrls = [...new Set([...urlsAt(inner ?? null, ['output', 'video_url', 'url']), ...urlsAt(outer, ['result_url', 'video_url', 'output'])])]
  result.completedAt = epochMs(outer.finish_time)
  if (state === 'failed') {
    result.error = remoteError(
      str(inner?.failureCode),
      str(outer.fail_reason) ?? str(inner?.failure),
      `Runway reported the task as "${raw}" without giving a reason.`
    )
  }
  if (state === 'succeeded' && result.progress === null) result.progress = 100
  return result
}

/** Runway's own progress is a 0..1 fraction; a value above 1 is already a percentage. */
function fractionOrPercent(v: unknown): number | null {
  if (typeof v === 'string') return percent(v)
  const n = num(v)
  if (n === null) return null
  return clampProgress(n <= 1 ? n * 100 : n)
}
