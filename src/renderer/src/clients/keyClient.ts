// The key.* channels. The key goes to main and is never read back: only its status is.
import { attempt, invoke } from '../api'

const quiet = { quiet: true }

export const keyClient = {
  status: () => invoke('key.status', {}, quiet),
  /** Tests the key against the API, then stores it; throws quietly so the form shows why. */
  set: (key: string, store?: 'anyway' | 'session') => invoke('key.set', store ? { key, store } : { key }, quiet),
  clear: () => attempt('key.clear', {}),
  /** Every named key (never a key itself: where it is kept, its last four characters, today's spend). */
  list: () => invoke('keys.list', {}, quiet),
  /** Tests a new named key, then stores it; throws quietly so the form shows why. */
  add: (label: string, key: string, store?: 'anyway' | 'session') => invoke('keys.add', store ? { label, key, store } : { label, key }, quiet),
  update: (id: string, patch: { label?: string; dailyCap?: number | null; makeDefault?: true }) => attempt('keys.update', { id, ...patch }),
  remove: (id: string, force?: boolean) => attempt('keys.remove', force ? { id, force } : { id })
}
