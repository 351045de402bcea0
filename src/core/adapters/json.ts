// Small readers for untyped response bodies, shared by every adapter. Provider bodies drift
// between doc generations, so each reader returns null instead of throwing on a surprise.
import type { FieldError } from '../../shared/modelTypes'
import type { PollResult, RemoteError, RemoteState } from './types'

export type JsonRecord = Record<string, unknown>

export function asRecord(v: unknown): JsonRecord | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonRecord) : null
}

export function asArray(v: unknown): unknown[] | null {
  return Array.isArray(v) ? v : null
}

/** A non-empty string, or null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

/** An id that some gateways send as a number (Kling task ids are long digit strings). */
export function idStr(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return str(v)
}

/** A finite number, also from a numeric string ("40"). */
export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v)
    return Number.isFinite(n) ? n : null
  }
  return null
}

/** Progress on a 0–100 scale from a number or a "40%" string, as an integer, clamped. */
export function percent(v: unknown): number | null {
  if (typeof v === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(v)
    return m ? clampProgress(Number(m[1])) : null
  }
  return clampProgress(num(v))
}

export function clampProgress(n: number | null): number | null {
  if (n === null || !Number.isFinite(n)) return null
  return Math.min(100, Math.max(0, Math.round(n)))
}

/** Epoch ms from a unix time that may be seconds (most routes) or already ms (Kling). */
export function epochMs(v: unknown): number | null {
  const n = num(v)
  if (n === null || n <= 0) return null
  // 1e11 s is the year 5138; 1e11 ms is 1973: anything above is already milliseconds.
  return n > 1e11 ? Math.round(n) : Math.round(n * 1000)
}

/** Epoch ms from an ISO-8601 string (Runway `createdAt`) or a unix number. */
export function timeMs(v: unknown): number | null {
  if (typeof v === 'string' && !/^\s*\d+(\.\d+)?\s*$/.test(v)) {
    const t = Date.parse(v)
    return Number.isFinite(t) ? t : null
  }
  return epochMs(v)
}

/** Status word → normalized state, compared case-insensitively. Unknown words stay `unknown`. */
export function statusMapper(table: Record<Exclude<RemoteState, 'unknown'>, readonly string[]>): (word: string | null) => RemoteState {
  const map = new Map<string, RemoteState>()
  for (const [state, words] of Object.entries(table) as [RemoteState, readonly string[]][]) {
    for (const w of words) map.set(w.toLowerCase(), state)
  }
  return (word) => (word === null ? 'unknown' : (map.get(word.trim().toLowerCase()) ?? 'unknown'))
}

export function emptyPoll(state: RemoteState, rawStatus: string | null): PollResult {
  return { state, progress: null, resultUrls: [], expiresAt: null, completedAt: null, error: null, rawStatus, problem: null }
}

/** The poll route does not know the task right now (`task_not_exist`): not an end, the poller bounds the wait. */
export function missingPoll(): PollResult {
  return { ...emptyPoll('unknown', 'task_not_exist'), problem: { kind: 'missing', message: 'task_not_exist' } }
}

/** An error object without a terminal status: the task goes on (polling is the source of truth). */
export function withOddError(result: PollResult, err: { code: string | null; message: string | null }): PollResult {
  const text = [err.code, err.message].filter(Boolean).join(': ') || 'an error without a reason'
  return { ...result, problem: { kind: 'odd', message: text.slice(0, 200) } }
}

/** Strings found at the given keys of a record: a single URL, or a list of URLs. */
export function urlsAt(rec: JsonRecord | null, keys: readonly string[]): string[] {
  if (!rec) return []
  const out: string[] = []
  for (const k of keys) {
    const v = rec[k]
    const s = str(v)
    if (s) out.push(s)
    for (const item of asArray(v) ?? []) {
      const u = str(item) ?? str(asRecord(item)?.url)
      if (u) out.push(u)
    }
  }
  return [...new Set(out)]
}

/**
 * The error object of a CometAPI/OpenAI envelope (`{error:{code,message}}`), or a bare string
 * error. Null when the body carries no error (`error: null` counts as none).
 */
export function readError(body: JsonRecord | null): { code: string | null; message: string | null } | null {
  if (!body) return null
  const e = body.error
  const text = str(e)
  if (text) return { code: null, message: text }
  const rec = asRecord(e)
  if (!rec) return null
  const code = idStr(rec.code) ?? str(rec.type)
  const message = str(rec.message)
  if (code === null && message === null) return null
  return { code, message }
}

/** Words that mean the model id is not callable, in any of the families' error texts. */
export function looksLikeUnknownModel(code: string | null, message: string | null): boolean {
  const text = `${code ?? ''} ${message ?? ''}`
  return /model_not_found|invalid model|model (name )?(is )?not (found|exist|supported)|no available channel|unsupported model/i.test(text)
}

/** A provider-reported failure; the kind is guessed from the words unless the caller knows it. */
export function remoteError(code: string | null, message: string | null, fallback: string, kind?: RemoteError['kind']): RemoteError {
  return {
    code,
    message: message ?? fallback,
    kind: kind ?? (looksLikeUnknownModel(code, message) ? 'model_unavailable' : 'provider_failed')
  }
}

/** `task_not_exist`: a freshly created id can briefly be unknown; the docs say wait and poll again. */
export function isTransientNotFound(err: { code: string | null; message: string | null } | null): boolean {
  return err !== null && /task_not_exist/i.test(`${err.code ?? ''} ${err.message ?? ''}`)
}

type JobSpecParams = Record<string, string | number | boolean>

/** Extra wire fields from `--param`, except the ones the adapter sets itself. */
export function extraParams(params: JobSpecParams | undefined, reserved: readonly string[]): [string, string | number | boolean][] {
  if (!params) return []
  return Object.entries(params).filter(([k]) => !reserved.includes(k))
}

/** Our own ids go into URL paths: never let one smuggle a `/` or `?` in. */
export function pathId(id: string): string {
  return encodeURIComponent(id)
}

/** Validation errors for `--param` keys that would clash with a field the adapter fills from the spec. */
export function reservedParamErrors(params: JobSpecParams | undefined, reserved: readonly string[]): FieldError[] {
  if (!params) return []
  return Object.keys(params)
    .filter((k) => reserved.includes(k))
    .map((k) => ({
      field: `params.${k}`,
      code: 'params.reserved',
      message: `"${k}" is set by the app from the job's own fields; remove it from the extra parameters.`,
      params: { key: k, reserved: reserved.join(', ') }
    }))
}

/** Raw base64 of an image, for JSON bodies (Kling wants it bare, others as a data URI). */
export function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

export function dataUri(mime: string, bytes: Uint8Array): string {
  return `data:${mime};base64,${base64Of(bytes)}`
}
