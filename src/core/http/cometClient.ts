// The one CometAPI client: base URL, auth header, timeouts, budget, classification, redaction.
// It does not retry by itself: whether a failure may be retried depends on what was asked
// (a poll may always be repeated, a create only when it surely never reached the server).
import { randomBytes } from 'node:crypto'
import type { RequestSpec } from '../adapters/types'
import type { Clock, Logger } from '../ports'
import { sleep } from '../ports'
import { msg } from '../../shared/messages'
import { baseUrlProblem } from './baseUrl'
import { type ActionCode, ApiError, classifyHttpFailure, classifyMalformed, classifyTransportError, redact, type ClassifyContext } from './apiError'
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff'
import type { BudgetClass, BudgetGrant, RequestBudget } from './requestBudget'
import type { Reachability } from './reachability'
import { TransportError, type HttpTransport } from './transport'

export const DEFAULT_BASE_URL = 'https://api.cometapi.com'

export interface KeySource {
  /** The API key of the named key `keyId` (the default key when absent), or null when none is set. */
  getKey(keyId?: string): Promise<string | null>
  /** The name of a named key other than the default one, to say which key is missing. */
  nameOf?(keyId: string): string | null
}

export interface CometClientOptions {
  baseUrl: () => string
  keys: KeySource
  transport: HttpTransport
  clock: Clock
  budget: RequestBudget
  logger: Logger
  connectTimeoutMs?: number
  readTimeoutMs?: number
  /** Told whether CometAPI answered each request (see reachability.ts). */
  reachability?: Pick<Reachability, 'answered' | 'failed'>
}

export interface CallOptions {
  /** Budget class: creates and polls take turns; lookups and catalog go first. */
  cls: BudgetClass
  /** What the request is for, in error messages ("creating the video"). */
  action: ActionCode
  model?: string
  auth?: boolean
  signal?: AbortSignal
  freshConnection?: boolean
  /** The caller already took this request's place in the budget (the poll scheduler does). */
  grant?: BudgetGrant
  /** The named key to send (a job's own); the default key when absent. */
  keyId?: string
}

export interface CallResult {
  status: number
  body: unknown
  headers: Record<string, string>
}

/** Normalizes a base URL typed by a person: trims, drops trailing slashes and a trailing `/v1`. */
export function normalizeBaseUrl(raw: string): string {
  let url = raw.trim()
  if (!url) return DEFAULT_BASE_URL
  if (!/^https?:\/\//i.test(url)) url = `https://${url}`
  url = url.replace(/\/+$/, '').replace(/\/v1$/i, '')
  return url
}

function encodeMultipart(m: NonNullable<RequestSpec['multipart']>): { body: Uint8Array; contentType: string } {
  const boundary = `----CometVideoStudio${randomBytes(12).toString('hex')}`
  const parts: Buffer[] = []
  const esc = (s: string): string => s.replace(/["\r\n]/g, '_')
  for (const [name, value] of m.fields) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${esc(name)}"\r\n\r\n${value}\r\n`, 'utf8'))
  }
  for (const f of m.files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${esc(f.field)}"; filename="${esc(f.fileName)}"\r\nContent-Type: ${f.contentType}\r\n\r\n`,
        'utf8'
      )
    )
    parts.push(Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength))
    parts.push(Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` }
}

export class CometClient {
  constructor(private readonly o: CometClientOptions) {}

  get baseUrl(): string {
    return normalizeBaseUrl(this.o.baseUrl())
  }

  /** A base-URL route to stream from (a video's content route), with the key: it goes to that origin only. */
  async authorizedSource(path: string, keyId?: string): Promise<{ url: string; headers?: Record<string, string> }> {
    const problem = baseUrlProblem(this.baseUrl)
    if (problem) throw new ApiError({ kind: 'bad_base_url', retryable: false, message: problem })
    const key = await this.o.keys.getKey(keyId)
    return { url: this.baseUrl + path, headers: key ? { authorization: `Bearer ${key}` } : undefined }
  }

  /** Takes a request's place in the budget ahead of call() (pass it as `grant`). */
  reserve(cls: BudgetClass, signal?: AbortSignal): Promise<BudgetGrant> {
    return this.o.budget.acquire(cls, signal)
  }

  /** Sends one request; resolves with a 2xx JSON body, throws ApiError otherwise. */
  async call(spec: RequestSpec, opts: CallOptions): Promise<CallResult> {
    const baseUrl = this.baseUrl
    // However the base URL got there (an old setting, an override), the key never goes over plain http to another machine.
    const problem = baseUrlProblem(baseUrl)
    if (problem) throw new ApiError({ kind: 'bad_base_url', retryable: false, message: problem })
    const ctx: ClassifyContext = { baseUrl, path: spec.path.split('?')[0], action: opts.action, model: opts.model }
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'CometVideoStudio/0.1', ...spec.headers }
    let key: string | null = null
    if (opts.auth !== false) {
      key = await this.o.keys.getKey(opts.keyId)
      if (!key) {
        const name = opts.keyId ? this.o.keys.nameOf?.(opts.keyId) : null
        throw new ApiError({
          kind: 'auth',
          retryable: false,
          noKey: true,
          message: name ? msg('keyProfile.noSecret', { key: name }) : msg('api.noKey')
        })
      }
      headers.authorization = `Bearer ${key}`
    }
    let body: Uint8Array | undefined
    if (spec.multipart) {
      const enc = encodeMultipart(spec.multipart)
      body = enc.body
      headers['content-type'] = enc.contentType
    } else if (spec.json !== undefined) {
      body = Buffer.from(JSON.stringify(spec.json), 'utf8')
      headers['content-type'] = 'application/json'
    }
    const secrets = key ? [key] : []

    const grant = opts.grant ?? (await this.o.budget.acquire(opts.cls, opts.signal))
    const started = this.o.clock.now()
    let res
    try {
      res = await this.o.transport({
        method: spec.method,
        url: baseUrl + spec.path,
        headers,
        body,
        signal: opts.signal,
        connectTimeoutMs: this.o.connectTimeoutMs ?? 15_000,
        readTimeoutMs: this.o.readTimeoutMs ?? 60_000,
        maxBodyBytes: 16 * 1024 * 1024,
        freshConnection: opts.freshConnection,
        onSend: () => grant.sent()
      })
    } catch (err) {
      if (err instanceof TransportError) {
        const apiErr = classifyTransportError(err, ctx)
        // Canceled by us (the job was canceled, the app quits) says nothing about CometAPI.
        if (!opts.signal?.aborted) this.o.reachability?.failed(apiErr.toMessage())
        this.o.logger.log('warn', `${spec.method} ${ctx.path} failed: ${apiErr.kind}`, { code: err.code, sent: err.sent })
        throw apiErr
      }
      throw err
    }
    const text = res.body.toString('utf8')
    let json: unknown = undefined
    try {
      json = text.length ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    this.o.logger.log('debug', `${spec.method} ${ctx.path} → ${res.status}`, { ms: this.o.clock.now() - started })
    // A gateway standing in for CometAPI (its 502/503/504/524 pages) is not CometAPI answering.
    const gateway = [502, 503, 504, 520, 521, 522, 523, 524].includes(res.status) && json === undefined
    if (res.status >= 200 && res.status < 300) {
      this.o.reachability?.answered()
      if (json === undefined) throw classifyMalformed(ctx, res.headers['content-type'] ?? '', text)
      return { status: res.status, body: json, headers: res.headers }
    }
    let apiErr = classifyHttpFailure({ status: res.status, headers: res.headers, text: redact(text, secrets), body: json }, ctx, secrets, this.o.clock.now())
    // A named key that was refused is named: with several keys, "the API key" does not say which.
    const keyName = apiErr.kind === 'auth' && opts.keyId ? this.o.keys.nameOf?.(opts.keyId) : null
    if (keyName) apiErr = apiErr.withMessage(msg('api.authKey', { ...apiErr.params, key: keyName }))
    if (gateway) this.o.reachability?.failed(apiErr.toMessage())
    else this.o.reachability?.answered()
    this.o.logger.log(apiErr.retryable ? 'warn' : 'error', `${spec.method} ${ctx.path} → ${res.status} ${apiErr.kind}`, { requestId: apiErr.requestId })
    throw apiErr
  }

  /**
   * Repeats `fn` while it fails with a retryable ApiError, with exponential backoff and full
   * jitter (Retry-After wins). Use only for requests that are safe to repeat.
   */
  async withRetry<T>(
    fn: () => Promise<T>,
    opts: { attempts: number; signal?: AbortSignal; policy?: BackoffPolicy; onRetry?: (err: ApiError, delayMs: number) => void }
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn()
      } catch (err) {
        if (!(err instanceof ApiError) || !err.retryable || attempt + 1 >= opts.attempts) throw err
        const delay = Math.max(100, backoffDelay(attempt, opts.policy ?? DEFAULT_BACKOFF, err.retryAfterMs))
        opts.onRetry?.(err, delay)
        await sleep(this.o.clock, delay, opts.signal)
      }
    }
  }
}
