// What a route handler returns; server.ts turns it into bytes (and applies faults on the way).
import { requestId } from './ids'

export interface JsonReply {
  type: 'json'
  status: number
  body: unknown
  headers?: Record<string, string>
}

export interface TextReply {
  type: 'text'
  status: number
  body: string
  contentType: string
  headers?: Record<string, string>
}

/** A file on disk to stream; Range and faults are handled by files.ts. */
export interface FileReply {
  type: 'file'
  path: string
  contentType: string
}

export type Reply = JsonReply | TextReply | FileReply

export const json = (status: number, body: unknown, headers?: Record<string, string>): JsonReply => ({
  type: 'json',
  status,
  body,
  ...(headers ? { headers } : {})
})

export const withRequestId = (message: string): string => `${message} (request id: ${requestId()})`

/** Older envelope `{code, message, type}` with the request id inside the message (401, 5xx). */
export function cometErrorOld(status: number, message: string, code = ''): JsonReply {
  return json(status, { error: { code, message: withRequestId(message), type: 'comet_api_error' } })
}

/** Current envelope `{message, type, param, code}`; used for validation answers. */
export function cometError(
  status: number,
  message: string,
  opts: { code?: string; param?: string; requestId?: boolean; type?: string } = {}
): JsonReply {
  return json(status, {
    error: {
      message: opts.requestId === false ? message : withRequestId(message),
      type: opts.type ?? 'comet_api_error',
      param: opts.param ?? '',
      code: opts.code ?? ''
    }
  })
}

export const badRequest = (message: string, param = '', code = ''): JsonReply =>
  cometError(400, message, { param, code })

/** Exactly the documented body (fixtures.json seedance_v1_videos.errors.unknown_task): no request id. */
export const taskNotExist = (): JsonReply => cometError(400, 'task_not_exist', { requestId: false })

export const modelNotFound = (model: string): JsonReply =>
  json(503, {
    error: {
      code: 'model_not_found',
      message: withRequestId(`No available channel for model ${model} under group default`),
      type: 'comet_api_error'
    }
  })

export const invalidToken = (): JsonReply => cometErrorOld(401, 'invalid token')

export function html(status: number, body: string, headers?: Record<string, string>): TextReply {
  return { type: 'text', status, body, contentType: 'text/html; charset=utf-8', ...(headers ? { headers } : {}) }
}

/** Picks `keys` from a full record in the given order; keeps shapes byte-for-byte like fixtures. */
export function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of keys) out[k] = record[k] ?? null
  return out
}
