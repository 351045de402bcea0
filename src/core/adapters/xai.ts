// xAI Grok Imagine video through CometAPI's `/grok/...` routes (it is refused on `/v1/videos`).
// While a job waits the poll body can be just `{request_id}` with no status; the older docs wrap
// everything as `{code:"success", data:{status:"SUCCESS", fail_reason:<the URL!>, data:{...}}}`.
import type { JobSpec } from '../../shared/jobs'
import type { FieldError, ImageInfo, ModelRules } from '../../shared/modelTypes'
import { validateSpec } from '../../shared/validation'
import {
  asRecord,
  dataUri,
  emptyPoll,
  epochMs,
  extraParams,
  idStr,
  isTransientNotFound,
  looksLikeUnknownModel,
  pathId,
  percent,
  readError,
  remoteError,
  reservedParamErrors,
  statusMapper,
  str,
  missingPoll,
  withOddError,
  type JsonRecord
} from './json'
import { AdapterError, type CreateContext, type CreateResult, type PollResult, type RequestSpec, type VideoAdapter } from './types'

const RESERVED = ['prompt', 'model', 'duration', 'resolution', 'aspect_ratio', 'image', 'size'] as const

const mapStatus = statusMapper({
  pending: ['queued', 'pending', 'submitted', 'not_start'],
  running: ['processing', 'in_progress', 'running'],
  succeeded: ['done', 'success', 'succeeded', 'completed'],
  failed: ['failed', 'failure', 'error', 'expired', 'cancelled', 'canceled']
})

export const xaiAdapter: VideoAdapter = {
  family: 'xai',

  validate(spec: JobSpec, rules: ModelRules, images: ImageInfo[]): FieldError[] {
    return [...validateSpec(spec, rules, images), ...reservedParamErrors(spec.params, RESERVED)]
  },

  buildCreate(spec: JobSpec, ctx: CreateContext): RequestSpec {
    const json: Record<string, unknown> = { prompt: spec.prompt, model: spec.model }
    if (spec.seconds !== undefined) json.duration = Math.round(spec.seconds)
    if (spec.resolution) json.resolution = spec.resolution
    if (spec.aspectRatio) json.aspect_ratio = spec.aspectRatio
    const image = ctx.images[0]
    if (image) json.image = { url: dataUri(image.mime, image.bytes) }
    for (const [k, v] of extraParams(spec.params, RESERVED)) json[k] = v
    return { method: 'POST', path: '/grok/v1/videos/generations', json }
  },

  parseCreate(body: unknown): CreateResult {
    const rec = asRecord(body)
    if (!rec) throw new AdapterError('xAI answered the create request with something other than a JSON object.')
    const err = readError(rec)
    if (err) {
      const kind = looksLikeUnknownModel(err.code, err.message) ? 'model_unavailable' : 'validation'
      throw new AdapterError(err.message ?? 'xAI refused the job without giving a reason.', err.code, kind)
    }
    const data = isWrapped(rec) ? envelopeData(rec) : null
    const id = idStr(rec.request_id) ?? idStr(data?.request_id) ?? idStr(data?.task_id) ?? idStr(rec.id)
    if (!id) throw new AdapterError('xAI accepted the job but its answer has no request id.')
    return { remoteId: id, poll: null }
  },

  buildPoll(remoteId: string): RequestSpec {
    return { method: 'GET', path: `/grok/v1/videos/${pathId(remoteId)}` }
  },

  parsePoll(body: unknown): PollResult {
    const rec = asRecord(body)
    if (!rec) throw new AdapterError('xAI answered a status request with something other than a JSON object.')
    if (isWrapped(rec)) {
      if (isTransientNotFound({ code: idStr(rec.code), message: str(rec.message) })) return missingPoll()
      return parseWrapped(envelopeData(rec))
    }
    return parseFlat(rec)
  }
}

function isWrapped(rec: JsonRecord): boolean {
  return rec.code !== undefined && rec.status === undefined && rec.request_id === undefined
}

function envelopeData(rec: JsonRecord): JsonRecord {
  const code = rec.code
  const ok = (typeof code === 'string' && code.toLowerCase() === 'success') || code === 200 || code === 0
  if (!ok) {
    const message = str(rec.message) ?? str(rec.msg) ?? `xAI's gateway answered with code "${String(code)}".`
    throw new AdapterError(message, String(code), looksLikeUnknownModel(String(code), message) ? 'model_unavailable' : 'provider_failed')
  }
  const data = asRecord(rec.data)
  if (!data) throw new AdapterError('xAI\'s gateway answered "success" without a task.', String(code))
  return data
}

function parseFlat(rec: JsonRecord): PollResult {
  const raw = str(rec.status)
  const err = readError(rec)
  if (raw === null) {
    if (err) {
      if (isTransientNotFound(err)) return missingPoll()
      // An error with no status is not an end: the request goes on until xAI says failed or expired.
      return withOddError(emptyPoll('unknown', null), err)
    }
    // The documented "not ready yet" answer: only the request id, no status.
    if (rec.request_id !== undefined) return emptyPoll('pending', null)
    return emptyPoll('unknown', null)
  }
  const state = mapStatus(raw)
  if (state === 'failed') return failed(raw, err?.code ?? null, err?.message ?? null)
  const result = emptyPoll(state, raw)
  result.progress = percent(rec.progress)
  const url = str(asRecord(rec.video)?.url)
  if (url) result.resultUrls = [url]
  if (state === 'succeeded' && result.progress === null) result.progress = 100
  return result
}

function parseWrapped(outer: JsonRecord): PollResult {
  const inner = asRecord(outer.data)
  const outerRaw = str(outer.status)
  const innerRaw = str(inner?.status)
  // Outer is CometAPI's verdict (SUCCESS/FAILURE/IN_PROGRESS); inner is xAI's (done/expired...).
  let raw = outerRaw
  let state = mapStatus(outerRaw)
  if ((state === 'unknown' && innerRaw) || (state === 'failed' && innerRaw?.toLowerCase() === 'expired')) {
    raw = innerRaw
    state = mapStatus(innerRaw)
  }
  if (state === 'failed') {
    const err = readError(inner)
    return failed(raw, err?.code ?? null, err?.message ?? str(outer.fail_reason), epochMs(outer.finish_time))
  }
  const result = emptyPoll(state, raw)
  result.progress = percent(outer.progress) ?? percent(inner?.progress)
  // On success `fail_reason` holds the video URL in the documented example; the URL is read from `video` only.
  const url = str(asRecord(inner?.video)?.url) ?? str(asRecord(outer.video)?.url)
  if (url) result.resultUrls = [url]
  if (state === 'succeeded') {
    result.completedAt = epochMs(outer.finish_time)
    if (result.progress === null) result.progress = 100
  }
  return result
}

function failed(raw: string | null, code: string | null, message: string | null, completedAt: number | null = null): PollResult {
  const result = emptyPoll('failed', raw)
  result.completedAt = completedAt
  const expired = raw?.toLowerCase() === 'expired'
  result.error = remoteError(
    code,
    message,
    expired
      ? 'xAI says the request expired before the video was made. Run the job again.'
      : `xAI reported the request as "${raw ?? 'failed'}" without giving a reason.`,
    expired ? 'expired' : undefined
  )
  return result
}
