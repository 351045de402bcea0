// Looks a channel up in the contract, validates the payload with its schema, runs the handler and
// turns any failure into data the renderer can show. Used by Electron's ipcMain and the test host.
import type { z } from 'zod'
import { invokeChannels, sendChannels, type InvokeChannel, type SendChannel, type WireError, type WireResult } from '../shared/ipc/contract'
import { type Message, msg } from '../shared/messages'
import { isDatabaseBusy } from '../core/db/database'
import type { Logger } from '../core/ports'
import { type Handlers, userFacing } from './handlers'

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(invokeChannels, name)
}

/** The request as its handler receives it, or why it is refused (the contract's schema, plus plain-data checks). */
export function checkRequest(channel: InvokeChannel, payload: unknown): { ok: true; data: unknown } | { ok: false; message: string; sentence: Message; field?: string } {
  const odd = shapeProblem(payload ?? {}, 0, '')
  if (odd) {
    const sentence = msg('ipc.invalid', { channel, detail: odd })
    return { ok: false, message: sentence.text, sentence }
  }
  const parsed = invokeChannels[channel].req.safeParse(payload ?? {})
  if (parsed.success) return { ok: true, data: parsed.data }
  const first = parsed.error.issues[0]
  const field = first?.path.join('.') || undefined
  const sentence = msg('ipc.invalid', { channel, field: field ?? '', detail: first?.message ?? 'bad payload' })
  return { ok: false, message: sentence.text, sentence, field }
}

/** A one-way message's payload as its schema reads it, or null when it is refused (nothing answers a send). */
export function checkSend<C extends SendChannel>(channel: C, payload: unknown): z.output<(typeof sendChannels)[C]> | null {
  if (!Object.prototype.hasOwnProperty.call(sendChannels, channel) || shapeProblem(payload ?? {}, 0, '')) return null
  const parsed = sendChannels[channel].safeParse(payload ?? {})
  return parsed.success ? (parsed.data as z.output<(typeof sendChannels)[C]>) : null
}

/** A failure as the renderer receives it: the kind, the English sentence, and its code to translate. */
export function wireError(code: string, sentence: Message, field?: string): WireError {
  return { code, message: sentence.text, messageCode: sentence.code, params: sentence.params, ...(field ? { field } : {}) }
}

export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown, logger: Logger): Promise<WireResult<unknown>> {
  if (!isInvokeChannel(channel)) return { ok: false, error: wireError('unknown_channel', msg('ipc.unknownChannel')) }
  const request = checkRequest(channel, payload)
  if (!request.ok) return { ok: false, error: wireError('invalid_request', request.sentence, request.field) }
  try {
    const handler = handlers[channel] as (req: unknown) => Promise<unknown>
    return { ok: true, value: await handler(request.data) }
  } catch (err) {
    const forPerson = userFacing(err)
    if (forPerson) return { ok: false, error: wireError(forPerson.name, forPerson.sentence) }
    if (isDatabaseBusy(err)) return { ok: false, error: wireError('busy', msg('ipc.busy')) }
    const message = err instanceof Error ? err.message : String(err)
    logger.log('error', `${channel} failed: ${message}`)
    return { ok: false, error: wireError('internal', msg('ipc.internal', { detail: message })) }
  }
}

/**
 * Cheap checks before the schema, so no payload costs the main process much: plain objects and
 * arrays only, bytes only where the contract takes them (a top-level `bytes`), bounded nesting.
 * (A schema handed a 3 MB byte array as an object would list three million unknown keys.)
 */
function shapeProblem(v: unknown, depth: number, key: string): string | null {
  if (v === null || typeof v !== 'object') return depth === 0 ? 'the request must be an object' : null
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return depth === 1 && key === 'bytes' ? null : 'binary data where none is expected'
  if (depth === 0 && Array.isArray(v)) return 'the request must be an object'
  if (depth > 16) return 'nested too deeply'
  const proto = Object.getPrototypeOf(v)
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return 'not plain data'
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue
    const problem = shapeProblem((v as Record<string, unknown>)[k], depth + 1, k)
    if (problem) return problem
  }
  return null
}
