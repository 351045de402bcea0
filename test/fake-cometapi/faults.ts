// Chooses which fault (if any) a request gets: scripted one-shot rules first, then the
// seeded probabilities, so a failing run can be replayed with the same seed.
import { klingNotFound } from './families/kling'
import { storageError } from './filesRoute'
import type { CreateThenFault, Family, FaultConfig, FaultName, InjectRule, RequestKind } from './types'
import { cometError, cometErrorOld, html, json, type JsonReply, type Reply, taskNotExist, withRequestId } from './reply'

/** mulberry32: tiny, fast, good enough for fault dice. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Faults that replace the answer before the handler runs (nothing is created). */
export type PreFault = Exclude<FaultName, CreateThenFault | 'truncate' | 'unknown-status' | 'huge-file'>

/** What `rateCreateThenFail` picks from unless `createThenFaults` says otherwise. */
export const DEFAULT_CREATE_THEN_FAULTS: readonly CreateThenFault[] = [
  'create-then-500',
  'create-then-502',
  'create-then-504',
  'create-then-524',
  'create-then-html',
  'create-then-no-id',
  'create-then-timeout',
  'create-then-reset'
]

export interface ChosenFault {
  name: FaultName
  /** For probabilistic 5xx: the status to send. */
  status?: number
  retryAfter?: number | null
}

const DEFAULT_KINDS: RequestKind[] = ['create', 'poll', 'lookup', 'remix', 'content', 'file', 'other']

export class FaultPlan {
  private rules: { rule: InjectRule; left: number }[] = []
  private config: FaultConfig | null
  private rand: () => number

  constructor(config: FaultConfig | null, seed: number) {
    this.config = config
    this.rand = prng(seed)
  }

  set(config: FaultConfig | null): void {
    this.config = config
  }

  inject(rule: InjectRule): void {
    this.rules.push({ rule, left: rule.count ?? 1 })
  }

  choose(kind: RequestKind, family: string | null): ChosenFault | null {
    const i = this.rules.findIndex(({ rule }) => rule.kind === kind && (rule.family === undefined || rule.family === family))
    if (i >= 0) {
      const r = this.rules[i]
      if (--r.left <= 0) this.rules.splice(i, 1)
      return { name: r.rule.fault }
    }
    const top = this.config
    const own = top?.byKind?.[kind]
    const c = own ?? top
    if (!c || (!own && !(top?.kinds ?? DEFAULT_KINDS).includes(kind))) return null
    const hit = (p: number | undefined): boolean => p !== undefined && p > 0 && this.rand() < p
    if (hit(c.rate429)) return { name: '429', retryAfter: c.retryAfterSeconds ?? null }
    if (hit(c.rate5xx)) {
      const statuses = c.statuses5xx?.length ? c.statuses5xx : [500, 503, 524]
      return { name: '500', status: statuses[Math.floor(this.rand() * statuses.length)] }
    }
    if (hit(c.rateTimeout)) return { name: 'timeout' }
    if (hit(c.rateReset)) return { name: 'reset' }
    if ((kind === 'file' || kind === 'content') && hit(c.rateTruncate)) return { name: 'truncate' }
    if (kind === 'poll' && hit(c.rateError200)) return { name: 'error200' }
    if ((kind === 'create' || kind === 'remix') && hit(c.rateCreateThenFail)) {
      const list = c.createThenFaults?.length ? c.createThenFaults : DEFAULT_CREATE_THEN_FAULTS
      return { name: list[Math.floor(this.rand() * list.length)] }
    }
    return null
  }
}

export interface FaultTarget {
  kind: RequestKind
  family: Family | null
  model: string | null
}

/** The answer of a fault that replaces the handler, in the documented envelopes (fixtures.json errors.cases). */
export function faultReply(f: ChosenFault, { kind, family, model }: FaultTarget): Reply | null {
  switch (f.name) {
    case '429':
    case '429-retry-after': {
      const reply = cometErrorOld(429, 'Too many requests, please slow down')
      const after = f.name === '429-retry-after' ? (f.retryAfter ?? 1) : f.retryAfter
      if (after !== null && after !== undefined) reply.headers = { 'Retry-After': String(after) }
      return reply
    }
    case '500':
      return statusReply(f.status ?? 500)
    case '503':
      return statusReply(503)
    case '524':
      return statusReply(524)
    case '500-invalid-request':
      return cometError(500, 'Invalid request: the upstream could not parse the request body', { code: 'invalid_request' })
    case '503-model-not-found':
      return json(503, {
        error: { code: 'model_not_found', message: `No available channel for model ${model ?? ''} under group default`, type: 'comet_api_error' }
      })
    case 'error200':
      // No status and no task: the gateway was busy, the task itself keeps running.
      return json(200, { error: { message: withRequestId('upstream error'), type: 'upstream_error' } })
    case 'not-exist':
      return notExistReply(kind, family)
    case 'file-refused':
      return refusedReply(kind)
    default:
      return null
  }
}

/** Exactly what the fake answers for an id it has never seen, so a client cannot tell the difference. */
export function notExistReply(kind: RequestKind, family: Family | null): Reply {
  if (kind === 'file') return storageError(404, 'NoSuchKey', 'The specified key does not exist.')
  return family === 'kling' ? klingNotFound() : taskNotExist()
}

/** A CDN/object store refusing a download: S3's bare AccessDenied; `/content` goes through CometAPI's gateway. */
function refusedReply(kind: RequestKind): Reply {
  if (kind === 'file') return storageError(403, 'AccessDenied', 'Access Denied')
  return cometErrorOld(403, 'access denied, please try again later')
}

const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

/**
 * The answer of a create-then-* fault once the handler has run (the task exists), or null when
 * the handler's own answer goes out (create-then-no-id on an error answer; every other fault).
 */
export function afterReply(f: ChosenFault, reply: Reply, family: Family | null): Reply | null {
  switch (f.name) {
    case 'create-then-500':
      return statusReply(500)
    case 'create-then-502':
      return statusReply(502)
    case 'create-then-504':
      return statusReply(504)
    case 'create-then-524':
      return statusReply(524)
    case 'create-then-html':
      return html(502, BAD_GATEWAY_PAGE)
    case 'create-then-no-id':
      return reply.type === 'json' && reply.status >= 200 && reply.status < 300 ? json(reply.status, withoutTaskId(reply.body, family)) : null
    default:
      return null
  }
}

/** A plausible success body of the family with every field that names the task removed. */
function withoutTaskId(body: unknown, family: Family | null): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {}
  const rec = body as Record<string, unknown>
  switch (family) {
    case 'kling':
    case 'runway-compat':
      // Envelope kept (`code` 0 / 200, request_id), task gone: `data: {}`.
      return { ...rec, data: {} }
    case 'openai-videos': {
      // The create body minus `id`/`task_id`: `{object:"video", model, status:"queued", progress:0, …}`.
      const { id: _id, task_id: _t, ...rest } = rec
      return rest
    }
    default:
      // Runway `{id}`, xAI `{request_id}`, Volc `{id}`: nothing else was in the body.
      return {}
  }
}

function statusReply(status: number): JsonReply {
  if (status === 524) return cometErrorOld(524, 'timeout')
  if (status === 503) return cometErrorOld(503, 'The upstream service is temporarily unavailable, please try again later')
  return cometErrorOld(status, 'Upstream request failed, please try again later')
}

export const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>CometAPI</title></head><body><h1>CometAPI</h1><p>One API for 500+ AI models.</p></body></html>'
