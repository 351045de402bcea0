// The one module that touches window.api: a thin typed wrapper the feature clients (clients/*)
// are built on. A rejected invoke becomes a toast with its plain message unless the caller
// handles the error itself (`quiet`).
import { engineText, useLang } from './i18n'
import type { EventChannel, EventOf, InvokeChannel, ReplyOf, RequestOf, StudioApi, WireError } from './shared'
import { toastError } from './store/toasts'

/** A request main refused or could not do: its English sentence, with the code to say it in the person's language. */
export class InvokeError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message)
    this.name = 'InvokeError'
  }
}

export function studioApi(): StudioApi {
  return window.api
}

/** True once the preload script (or a test host) has installed the bridge. */
export function apiReady(): boolean {
  return Boolean(window.api)
}

/** The plain sentence of an invoke error, in the person's language where main gave its code. */
export function errorMessage(error: unknown): string {
  if (error instanceof InvokeError) return engineText(useLang.getState().lang, error.wire.message, error.wire.messageCode, error.wire.params)
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error)
  return raw.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '').trim() || 'Something went wrong.'
}

export interface InvokeOptions {
  /** Do not toast; the caller shows the error where it belongs. */
  quiet?: boolean
}

export async function invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>, options: InvokeOptions = {}): Promise<ReplyOf<C>> {
  let result
  try {
    result = await window.api.invoke(channel, request)
  } catch (error) {
    if (!options.quiet) toastError(errorMessage(error))
    throw error
  }
  if (result.ok) return result.value
  const error = new InvokeError(result.error)
  if (!options.quiet) toastError(errorMessage(error))
  throw error
}

/** Like invoke, but resolves to null after toasting the error: for fire-and-forget actions. */
export async function attempt<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ReplyOf<C> | null> {
  try {
    return await invoke(channel, request)
  } catch {
    return null
  }
}

export function onEvent<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void {
  return window.api.on(event, listener)
}

export function mediaUrl(kind: 'library' | 'poster' | 'image' | 'jobimage', ref: string): string {
  // Exactly `${mediaBase}/kind/ref` as the contract says: the app's base is `media:/`, which
  // becomes `media://library/…`, so a trailing slash must not be trimmed.
  return `${window.api.mediaBase}/${kind}/${kind === 'library' ? encodeURIComponent(ref) : ref}`
}
