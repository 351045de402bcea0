// `/v1/videos`: Sora and every model CometAPI serves in the OpenAI Videos shape (Seedance, Veo,
// Wan, Vidu, HappyHorse, Omni, ...). One route, three status dialects (Sora, generic, Seedance),
// all accepted for every model because the docs disagree on which model speaks which.
import type { JobSpec } from '../../shared/jobs'
import type { FieldError, ImageInfo, ModelRules } from '../../shared/modelTypes'
import { validateSpec } from '../../shared/validation'
import {
  asRecord,
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
  urlsAt,
  missingPoll,
  withOddError,
  type JsonRecord
} from './json'
import { AdapterError, type CreateContext, type CreateResult, type PollResult, type RequestSpec, type VideoAdapter } from './types'

/** Form fields the adapter fills from the spec; `--param` may not override them. */
const RESERVED = ['model', 'prompt', 'seconds', 'size', 'resolution', 'aspect_ratio', 'input_reference'] as const

const mapStatus = statusMapper({
  pending: ['queued', 'submitted', 'pending'],
  running: ['in_progress', 'processing', 'running'],
  succeeded: ['completed', 'success', 'succeeded'],
  // Not in the /v1/videos docs, but terminal wherever they appear: never poll them forever.
  failed: ['failed', 'error', 'failure', 'cancelled', 'canceled', 'expired']
})

// `video_url` is the documented field; the others are defensive for adapters behind the same route.
const URL_KEYS = ['video_url', 'url', 'result_url', 'output'] as const

export const openaiVideosAdapter: VideoAdapter = {
  family: 'openai-videos',

  validate(spec: JobSpec, rules: ModelRules, images: ImageInfo[]): FieldError[] {
    return [...validateSpec(spec, rules, images), ...reservedParamErrors(spec.params, RESERVED)]
  },

  buildCreate(spec: JobSpec, ctx: CreateContext): RequestSpec {
    if (spec.remixOf !== undefined) return buildRemix(spec.remixOf, spec)
    const fields: [string, string][] = [
      ['model', spec.model],
      ['prompt', spec.prompt]
    ]
    // Multipart has no numbers: seconds travels as its decimal string ("4").
    if (spec.seconds !== undefined) fields.push(['seconds', String(spec.seconds)])
    if (spec.size) fields.push(['size', spec.size])
    if (spec.resolution) fields.push(['resolution', spec.resolution])
    if (spec.aspectRatio) fields.push(['aspect_ratio', spec.aspectRatio])
    for (const [k, v] of extraParams(spec.params, RESERVED)) fields.push([k, String(v)])
    // Veo reads two references as first and last frame, so their order is the user's order.
    const files = ctx.images.map((img) => ({
      field: 'input_reference',
      fileName: img.fileName,
      contentType: img.mime,
      bytes: img.bytes
    }))
    return { method: 'POST', path: '/v1/videos', multipart: { fields, files } }
  },

  parseCreate(body: unknown): CreateResult {
    const rec = asRecord(body)
    if (!rec) throw new AdapterError('The video service answered the create request with something other than a JSON object.')
    const task = unwrap(rec)
    const id = idStr(task.id) ?? idStr(task.task_id)
    const err = readError(rec) ?? readError(task)
    if (!id) {
      if (err) {
        const kind = looksLikeUnknownModel(err.code, err.message) ? 'model_unavailable' : 'validation'
        throw new AdapterError(err.message ?? 'The video service refused the job without giving a reason.', err.code, kind)
      }
      throw new AdapterError('The video service accepted the job but its answer has no job id.')
    }
    return { remoteId: id, poll: str(task.status) ? parseTask(rec, task) : null }
  },

  buildPoll(remoteId: string): RequestSpec {
    return { method: 'GET', path: `/v1/videos/${pathId(remoteId)}` }
  },

  parsePoll(body: unknown): PollResult {
    const rec = asRecord(body)
    if (!rec) throw new AdapterError('The video service answered a status request with something other than a JSON object.')
    return parseTask(rec, unwrap(rec))
  },

  contentRequest(remoteId: string): RequestSpec {
    return { method: 'GET', path: `/v1/videos/${pathId(remoteId)}/content` }
  },

  buildRemix
}

function buildRemix(remoteId: string, spec: JobSpec): RequestSpec {
  return { method: 'POST', path: `/v1/videos/${pathId(remoteId)}/remix`, json: { prompt: spec.prompt } }
}

/** The task itself, also when a gateway wraps it as `{code, data:{...}}` (not documented here, seen elsewhere). */
function unwrap(rec: JsonRecord): JsonRecord {
  const data = asRecord(rec.data)
  if (rec.status === undefined && rec.id === undefined && data && (data.status !== undefined || data.id !== undefined)) return data
  return rec
}

function parseTask(outer: JsonRecord, task: JsonRecord): PollResult {
  const raw = str(task.status)
  const result = emptyPoll(mapStatus(raw), raw)
  result.progress = percent(task.progress)
  result.resultUrls = [...new Set([...urlsAt(task, URL_KEYS), ...urlsAt(asRecord(task.content), ['video_url'])])]
  result.expiresAt = epochMs(task.expires_at)
  result.completedAt = epochMs(task.completed_at)

  // Some upstreams answer 200 with an `error` object. With a failure status it is the reason; with
  // no terminal status it is not an end (API.md §8): keep polling, say it answered oddly.
  const err = readError(task) ?? readError(outer)
  if (err && result.state !== 'succeeded' && result.state !== 'failed') {
    // A just-created id can be unknown for a moment; keep polling (the engine bounds the wait).
    if (raw === null && isTransientNotFound(err)) return missingPoll()
    return withOddError(result, err)
  }
  if (result.state === 'failed') {
    const reason = err?.message ?? str(task.fail_reason) ?? str(task.failure)
    result.error = remoteError(
      err?.code ?? null,
      reason,
      `The video service reported the job as "${raw ?? 'failed'}" without giving a reason.`,
      raw?.toLowerCase() === 'expired' ? 'expired' : undefined
    )
  }
  if (result.state === 'succeeded' && result.progress === null) result.progress = 100
  return result
}
