// Turns every way a CometAPI request can fail into one error with a kind, a retry decision and a
// sentence that names the fix (API.md §8, "Errors and retry guidance").
import type { ErrorKind, JobError } from '../../shared/jobs'
import { english, msg, type Message, type MessageCode, type MessageParams } from '../../shared/messages'
import { TransportError } from './transport'

export const KEYS_PAGE_URL = 'https://www.cometapi.com/console/token'

export class ApiError extends Error {
  readonly kind: ErrorKind
  readonly retryable: boolean
  readonly status?: number
  readonly requestId?: string
  readonly field?: string
  /** Server-requested wait (Retry-After), in ms. */
  readonly retryAfterMs?: number
  /** True when the request may have reached the server and been acted on (a create may exist). */
  readonly outcomeUnknown: boolean
  /** The server's own message (redacted), kept for logs and details. */
  readonly serverMessage?: string
  readonly serverCode?: string
  /** Nothing was sent: there is no key to send. */
  readonly noKey: boolean
  /** A proxy failure that repeats identically until its setting changes (an unusable address, a 407 no setting here can answer): pause new work rather than retry. */
  readonly proxyPause: boolean
  /** The sentence as a code and parameters, for people who do not read English. */
  readonly code: MessageCode
  readonly params: MessageParams

  constructor(init: {
    kind: ErrorKind
    message: Message
    retryable: boolean
    status?: number
    requestId?: string
    field?: string
    retryAfterMs?: number
    outcomeUnknown?: boolean
    serverMessage?: string
    serverCode?: string
    noKey?: boolean
    proxyPause?: boolean
  }) {
    super(init.message.text)
    this.name = 'ApiError'
    this.code = init.message.code
    this.params = init.message.params
    this.kind = init.kind
    this.retryable = init.retryable
    this.status = init.status
    this.requestId = init.requestId
    this.field = init.field
    this.retryAfterMs = init.retryAfterMs
    this.outcomeUnknown = init.outcomeUnknown ?? false
    this.serverMessage = init.serverMessage
    this.serverCode = init.serverCode
    this.noKey = init.noKey ?? false
    this.proxyPause = init.proxyPause ?? false
  }

  /** The sentence as a Message (code, parameters, English text). */
  toMessage(): Message {
    return { code: this.code, params: this.params, text: this.message }
  }

  /** The same failure told in another sentence (e.g. naming which key was refused). */
  withMessage(message: Message): ApiError {
    return new ApiError({
      kind: this.kind,
      message,
      retryable: this.retryable,
      status: this.status,
      requestId: this.requestId,
      field: this.field,
      retryAfterMs: this.retryAfterMs,
      outcomeUnknown: this.outcomeUnknown,
      serverMessage: this.serverMessage,
      serverCode: this.serverCode,
      noKey: this.noKey,
      proxyPause: this.proxyPause
    })
  }

  toJobError(): JobError {
    const e: JobError = { kind: this.kind, message: this.message, retryable: this.retryable, code: this.code, params: this.params }
    if (this.requestId) e.requestId = this.requestId
    if (this.status) e.status = this.status
    if (this.field) e.field = this.field
    return e
  }
}

/** What we were doing when a request failed, for the sentence ("creating the video"). */
export type ActionCode = 'create' | 'poll' | 'lookup' | 'catalog' | 'keyCheck' | 'other'

export interface ClassifyContext {
  baseUrl: string
  path: string
  action: ActionCode
  model?: string
}

/** Parameters every API message may use: where, what for, which model. */
function base(ctx: ClassifyContext): MessageParams {
  return { baseUrl: ctx.baseUrl, path: ctx.path, action: english(`action.${ctx.action}`), actionCode: ctx.action, model: ctx.model ?? 'this model' }
}

/** Replaces every secret in a text by a fixed marker. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('[redacted]')
  }
  // Bearer tokens that are not ours (a proxy echoing headers) are hidden too.
  return out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]{8,}/g, 'Bearer [redacted]').replace(/\bsk-[A-Za-z0-9]{12,}\b/g, 'sk-[redacted]')
}

const REQUEST_ID = /request id:\s*([A-Za-z0-9_-]+)/i

interface ErrorBody {
  message: string | null
  code: string | null
  type: string | null
  param: string | null
}

/** Reads the `{error:{message,code,type,param}}` envelope in both doc generations, or Kling's `{code,message}`. */
export function readErrorBody(body: unknown): ErrorBody {
  const none: ErrorBody = { message: null, code: null, type: null, param: null }
  if (!body || typeof body !== 'object') return none
  const rec = body as Record<string, unknown>
  const err = rec.error
  if (err && typeof err === 'object') {
    const e = err as Record<string, unknown>
    return {
      message: typeof e.message === 'string' ? e.message : null,
      code: typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : null,
      type: typeof e.type === 'string' ? e.type : null,
      param: typeof e.param === 'string' && e.param ? e.param : null
    }
  }
  if (typeof err === 'string') return { ...none, message: err }
  if (typeof rec.message === 'string' || typeof rec.msg === 'string') {
    const code = rec.code
    return {
      message: (typeof rec.message === 'string' && rec.message) || (typeof rec.msg === 'string' ? rec.msg : null),
      code: typeof code === 'string' || typeof code === 'number' ? String(code) : null,
      type: null,
      param: null
    }
  }
  return none
}

const FIELD_WORDS: [RegExp, string][] = [
  [/\bseconds?\b|\bduration\b/i, 'seconds'],
  [/\bsize\b/i, 'size'],
  [/\bresolution\b/i, 'resolution'],
  [/aspect|ratio/i, 'aspectRatio'],
  [/input_reference|reference|image/i, 'images'],
  [/negative/i, 'negativePrompt'],
  [/prompt/i, 'prompt'],
  [/model/i, 'model'],
  [/seed/i, 'seed']
]

function guessField(param: string | null, message: string): string | undefined {
  const text = param ?? message
  for (const [re, field] of FIELD_WORDS) if (re.test(text)) return field
  return undefined
}

function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined
  const secs = Number(value)
  if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, 10 * 60_000)
  const date = Date.parse(value)
  if (Number.isFinite(date)) return Math.max(0, Math.min(date - now, 10 * 60_000))
  return undefined
}

function looksLikeHtml(contentType: string, text: string): boolean {
  if (/text\/html/i.test(contentType)) return true
  const head = text.slice(0, 200).trimStart().toLowerCase()
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body')
}


/**
 * Whether a 5xx answer leaves open that the request reached the origin and was acted on (a create
 * may exist and be billed). 500, 502, 504, 524…: yes. 503 (service unavailable) and Cloudflare's
 * 521–523 (origin down, unreachable, connection timed out) say the origin never got it.
 */
function mayHaveReachedOrigin(status: number): boolean {
  return status !== 503 && !(status >= 521 && status <= 523)
}

/**
 * Classifies an HTTP answer that is not a usable JSON success.
 * `body` is the parsed JSON when there was any; `text` the raw text.
 */
export function classifyHttpFailure(
  res: { status: number; headers: Record<string, string>; text: string; body: unknown },
  ctx: ClassifyContext,
  secrets: readonly string[],
  now: number
): ApiError {
  const { status } = res
  const contentType = res.headers['content-type'] ?? ''
  const eb = readErrorBody(res.body)
  const serverMessage = eb.message ? redact(eb.message, secrets) : undefined
  const requestId = (serverMessage && REQUEST_ID.exec(serverMessage)?.[1]) || res.headers['x-request-id'] || undefined
  const detail = serverMessage ? serverMessage.replace(REQUEST_ID, '').replace(/\(\s*\)\s*$/, '').trim() : ''
  const code = eb.code ?? undefined
  const common = { status, requestId, serverMessage, serverCode: code }
  const p: MessageParams = { ...base(ctx), status, detail, requestId: requestId ?? '' }
  const m = (c: MessageCode, extra: MessageParams = {}): Message => msg(c, { ...p, ...extra })

  if (status >= 300 && status < 400) {
    return new ApiError({ ...common, kind: 'bad_base_url', retryable: false, message: m('api.redirect', { location: res.headers.location ?? 'another page' }) })
  }
  if (res.body === undefined && looksLikeHtml(contentType, res.text)) {
    // A 5xx page is the gateway's own error (the request may have reached the origin); any other page is the wrong address.
    if (status >= 500) {
      return new ApiError({ ...common, kind: 'server', retryable: true, outcomeUnknown: mayHaveReachedOrigin(status), message: m('api.gatewayPage') })
    }
    return new ApiError({ ...common, kind: status === 404 ? 'not_found' : 'bad_base_url', retryable: false, message: m('api.html') })
  }
  if (code === 'model_not_found' || /model_not_found|no available channel|invalid model name|unsupported relay mode/i.test(serverMessage ?? '')) {
    return new ApiError({ ...common, kind: 'model_unavailable', retryable: false, field: 'model', message: m('api.modelUnavailable') })
  }
  if (status === 401) return new ApiError({ ...common, kind: 'auth', retryable: false, message: m('api.auth') })
  if (status === 403) return new ApiError({ ...common, kind: 'forbidden', retryable: false, message: m('api.forbidden') })
  if (status === 404) return new ApiError({ ...common, kind: 'not_found', retryable: false, message: m('api.notFound') })
  if (status === 413) return new ApiError({ ...common, kind: 'too_large', retryable: false, field: 'images', message: m('api.tooLarge') })
  if (status === 429) {
    return new ApiError({ ...common, kind: 'rate_limited', retryable: true, retryAfterMs: parseRetryAfter(res.headers['retry-after'], now), message: m('api.rateLimited') })
  }
  if (status === 500 && code === 'invalid_request') {
    return new ApiError({ ...common, kind: 'invalid_request', retryable: false, field: guessField(eb.param, serverMessage ?? ''), message: m('api.invalidRequest') })
  }
  if (status >= 500 || status === 0) {
    return new ApiError({
      ...common,
      kind: 'server',
      retryable: true,
      outcomeUnknown: mayHaveReachedOrigin(status),
      retryAfterMs: parseRetryAfter(res.headers['retry-after'], now),
      message: m('api.server')
    })
  }
  if (status >= 400) {
    const field = guessField(eb.param, serverMessage ?? '')
    return new ApiError({ ...common, kind: 'validation', retryable: false, field, message: m('api.validation', { field: field ?? '', noField: field ? '' : '1' }) })
  }
  return new ApiError({ ...common, kind: 'unknown', retryable: false, message: m('api.unknown') })
}

/** A 2xx whose body is not the JSON we expect. */
export function classifyMalformed(ctx: ClassifyContext, contentType: string, text: string): ApiError {
  if (looksLikeHtml(contentType, text)) {
    return new ApiError({ kind: 'bad_base_url', retryable: false, message: msg('api.html', base(ctx)) })
  }
  // A 2xx means the server acted on the request even if we cannot read what it said.
  return new ApiError({ kind: 'server', retryable: true, outcomeUnknown: true, message: msg('api.malformed', base(ctx)) })
}

const PROXY_MESSAGES: Partial<Record<TransportError['code'], MessageCode>> = {
  proxy_refused: 'proxy.refused',
  proxy_timeout: 'proxy.timeout',
  proxy_not_found: 'proxy.notFound',
  proxy_unreachable: 'proxy.unreachable',
  proxy_auth: 'proxy.auth',
  proxy_target: 'proxy.target',
  proxy_failed: 'proxy.failed',
  proxy_invalid: 'proxy.invalid'
}

/** The sentence for a failure at a proxy: it names the proxy's host:port (never its credentials). */
export function proxyMessage(err: TransportError): Message | null {
  const code = PROXY_MESSAGES[err.code]
  if (!code || !err.proxy) return null
  const { proxy, target, status, detail } = err.proxy
  // No proxy named yet: deciding which one to use took too long.
  if (err.code === 'proxy_timeout' && !proxy) return msg('proxy.decideTimeout', { target, source: err.proxy.source })
  return msg(code, { proxy, target, status: status ?? '', detail: detail ?? '', source: err.proxy.source })
}

export function classifyTransportError(err: TransportError, ctx: ClassifyContext): ApiError {
  const p = base(ctx)
  const atProxy = proxyMessage(err)
  if (atProxy) {
    // Nothing reached CometAPI: it may be sent again once the proxy works. An unusable address, or
    // a 407 from a proxy of the environment or the system (no setting here answers it), would fail
    // the same way every time: new work pauses until the proxy setting changes. A request that may
    // have been sent is never retryable.
    const pause = !err.sent && (err.code === 'proxy_invalid' || (err.code === 'proxy_auth' && err.proxy?.source !== 'manual'))
    const said = pause && err.code === 'proxy_auth' ? msg('proxy.authPaused', atProxy.params) : atProxy
    const message = { ...said, params: { ...p, ...said.params } }
    return new ApiError({ kind: 'network', retryable: !err.sent && !pause, outcomeUnknown: err.sent, proxyPause: pause, message })
  }
  switch (err.code) {
    case 'canceled':
      return new ApiError({ kind: 'canceled', retryable: false, outcomeUnknown: err.sent, message: msg('api.canceled') })
    case 'connect_timeout':
    case 'refused':
      return new ApiError({
        kind: 'network',
        retryable: true,
        message: msg('api.unreachable', { ...p, reason: err.code === 'refused' ? 'connection refused' : 'connection timed out' })
      })
    case 'dns':
      return new ApiError({ kind: 'network', retryable: true, message: msg('api.dns', p) })
    case 'read_timeout':
      return new ApiError({ kind: 'timeout', retryable: true, outcomeUnknown: err.sent, message: msg('api.timeout', p) })
    case 'too_large':
      return new ApiError({ kind: 'server', retryable: true, message: msg('api.tooBig', p) })
    default:
      return new ApiError({ kind: 'network', retryable: true, outcomeUnknown: err.sent, message: msg('api.broken', { ...p, detail: err.message }) })
  }
}
