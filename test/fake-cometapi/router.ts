// The contract between server.ts and the family modules: a route declares its kind and
// family up front so faults and the log can be decided before the handler runs.
import type { IncomingMessage } from 'node:http'
import { boundaryOf, type FormData, parseMultipart } from './multipart'
import type { Reply } from './reply'
import type { FakeState } from './state'
import type { InternalTask } from './tasks'
import type { Family, RequestKind } from './types'

export interface Ctx {
  state: FakeState
  req: IncomingMessage
  url: URL
  /** Regex captures of the route pattern. */
  params: string[]
  body: Buffer
  /** The bearer key when it is valid, else null. */
  apiKey: string | null
  /** The parsed JSON body when it is an object, else null. */
  json(): Record<string, unknown> | null
  /** The parsed multipart body, else null. */
  form(): FormData | null
  /** Set by a handler that created a task (the log's `created`). */
  created: InternalTask | null
}

export interface Described {
  model?: string | null
  prompt?: string | null
  taskId?: string | null
  externalId?: string | null
}

export interface Route {
  methods: readonly string[]
  pattern: RegExp
  family: Family | null
  auth: boolean
  kind: RequestKind | ((ctx: Ctx) => RequestKind)
  /** Log fields, read before faults and auth so even refused requests are attributable. */
  describe?(ctx: Ctx): Described
  /** Family of the request when it depends on the target (files). */
  familyOf?(ctx: Ctx): Family | null
  handle(ctx: Ctx): Reply | Promise<Reply>
}

export function makeCtx(state: FakeState, req: IncomingMessage, url: URL, params: string[], body: Buffer, apiKey: string | null): Ctx {
  let jsonCache: Record<string, unknown> | null | undefined
  let formCache: FormData | null | undefined
  return {
    state,
    req,
    url,
    params,
    body,
    apiKey,
    created: null,
    json() {
      if (jsonCache === undefined) {
        try {
          const v: unknown = JSON.parse(body.toString('utf8'))
          jsonCache = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
        } catch {
          jsonCache = null
        }
      }
      return jsonCache
    },
    form() {
      if (formCache === undefined) {
        const boundary = boundaryOf(req.headers['content-type'])
        formCache = boundary ? parseMultipart(body, boundary) : null
      }
      return formCache
    }
  }
}

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
