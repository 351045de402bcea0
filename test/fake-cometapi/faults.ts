// Chooses which fault (if any) a request gets: scripted one-shot rules first, then the
// seeded probabilities, so a failing run can be replayed with the same seed.
import type { FaultConfig, FaultName, InjectRule, RequestKind } from './types'
import { cometError, cometErrorOld, json, type JsonReply, withRequestId } from './reply'

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
export type PreFault = Exclude<FaultName, 'create-then-timeout' | 'create-then-reset' | 'truncate' | 'error200' | 'malformed-json' | 'unknown-status' | 'huge-file'>

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
    return null
  }
}

/** The JSON answer of a status fault, in the documented envelopes (fixtures.json errors.cases). */
export function faultReply(f: ChosenFault, model: string | null): JsonReply | null {
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
      return json(200, { error: { message: withRequestId('upstream error'), type: 'upstream_error' } })
    default:
      return null
  }
}

function statusReply(status: number): JsonReply {
  if (status === 524) return cometErrorOld(524, 'timeout')
  if (status === 503) return cometErrorOld(503, 'The upstream service is temporarily unavailable, please try again later')
  return cometErrorOld(status, 'Upstream request failed, please try again later')
}

export const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>CometAPI</title></head><body><h1>CometAPI</h1><p>One API for 500+ AI models.</p></body></html>'
