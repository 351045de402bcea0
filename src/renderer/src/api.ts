// The one module that touches window.api: a thin typed wrapper the feature clients (clients/*)
// are built on. A rejected invoke becomes a toast with its plain message unless the caller
// handles the error itself (`quiet`).
import type { EventChannel, EventOf, InvokeChannel, ReplyOf, RequestOf, StudioApi } from './shared'
import { toastError } from './store/toasts'

export function studioApi(): StudioApi {
  return window.api
}

/** True once the preload script (or a test host) has installed the bridge. */
export function apiReady(): boolean {
  return Boolean(window.api)
}

/** The plain sentence of an invoke error, without Electron's "Error invoking remote method" wrapper. */
export function errorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error)
  return raw.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '').trim() || 'Something went wrong.'
}

export interface InvokeOptions {
  /** Do not toast; the caller shows the error where it belongs. */
  quiet?: boolean
}

export async function invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>, options: InvokeOptions = {}): Promise<ReplyOf<C>> {
  try {
    return await window.api.invoke(channel, request)
  } catch (error) {
    if (!options.quiet) toastError(errorMessage(error))
    throw error
  }
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
