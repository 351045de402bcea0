// The named keys as the renderer knows them (never a key itself), and which one the person chose
// to send the next jobs with. Loaded when a screen that shows them opens; reloaded when spend or
// the keys change (main pushes spend.changed for both).
import { create } from 'zustand'
import { errorMessage } from '../api'
import { keyClient } from '../clients/keyClient'
import { spendClient } from '../clients/spendClient'
import { t } from '../i18n'
import { DEFAULT_KEY_ID, type KeyProfile } from '../shared'

/** The name a key is shown by: the built-in one ("Main") in the person's language, any other as they named it. */
export function keyName(k: { id?: string; keyId?: string; label: string }): string {
  return (k.id ?? k.keyId) === DEFAULT_KEY_ID && k.label === 'Main' ? t('keys.mainName') : k.label
}

interface KeysState {
  keys: KeyProfile[] | null
  error: string | null
  /** The key chosen to send with (null: the default key). Forgotten when that key goes away. */
  sendWith: string | null
  load(): Promise<void>
  set(keys: KeyProfile[]): void
  choose(id: string | null): void
  /** The profile id new jobs are sent with: the chosen one while it exists, else null (the default). */
  sendWithId(): string | null
}

export const useKeys = create<KeysState>((set, get) => ({
  keys: null,
  error: null,
  sendWith: null,
  async load() {
    try {
      get().set(await keyClient.list())
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  set(keys) {
    const chosen = get().sendWith
    set({ keys, error: null, sendWith: chosen && keys.some((k) => k.id === chosen && !k.isDefault) ? chosen : null })
  },
  choose(id) {
    const k = get().keys?.find((x) => x.id === id)
    set({ sendWith: k && !k.isDefault ? k.id : null })
  },
  sendWithId() {
    return get().sendWith
  }
}))

let watchers = 0
let unsubscribe: (() => void) | null = null

/** Keeps the keys fresh while a screen that shows them is open (call from an effect; returns the cleanup). */
export function watchKeys(): () => void {
  watchers++
  if (watchers === 1) unsubscribe = spendClient.onChanged(() => void useKeys.getState().load())
  void useKeys.getState().load()
  return () => {
    watchers--
    if (watchers === 0) {
      unsubscribe?.()
      unsubscribe = null
    }
  }
}
