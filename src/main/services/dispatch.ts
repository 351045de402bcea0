// Looks a channel up in the contract, validates the payload with its schema, runs the handler and
// turns any failure into data the renderer can show. Used by Electron's ipcMain and the test host.
import { invokeChannels, type InvokeChannel, type WireResult } from '../../shared/ipc/contract'
import { ApiError } from '../core/http/apiError'
import type { Logger } from '../core/ports'
import { type Handlers, isUserFacing } from './handlers'

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(invokeChannels, name)
}

export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown, logger: Logger): Promise<WireResult<unknown>> {
  if (!isInvokeChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: 'Unknown request.' } }
  const parsed = invokeChannels[channel].req.safeParse(payload ?? {})
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    const field = first?.path.join('.') || undefined
    return { ok: false, error: { code: 'invalid_request', message: `Invalid request for ${channel}${field ? ` (${field})` : ''}: ${first?.message ?? 'bad payload'}.`, field } }
  }
  try {
    const handler = handlers[channel] as (req: unknown) => Promise<unknown>
    return { ok: true, value: await handler(parsed.data) }
  } catch (err) {
    if (isUserFacing(err) || err instanceof ApiError) return { ok: false, error: { code: err.name, message: err.message } }
    const message = err instanceof Error ? err.message : String(err)
    logger.log('error', `${channel} failed: ${message}`)
    return { ok: false, error: { code: 'internal', message: `Something went wrong (${message}). Your jobs and videos are safe; try again.` } }
  }
}
