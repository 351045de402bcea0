// The key.* channels. The key goes to main and is never read back: only its status is.
import { attempt, invoke } from '../api'

const quiet = { quiet: true }

export const keyClient = {
  status: () => invoke('key.status', {}, quiet),
  /** Tests the key against the API, then stores it; throws quietly so the form shows why. */
  set: (key: string, store?: 'anyway' | 'session') => invoke('key.set', store ? { key, store } : { key }, quiet),
  clear: () => attempt('key.clear', {})
}
