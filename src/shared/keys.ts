// What the renderer may know about the API key: never the key itself.

export type KeyStorage = 'env' | 'keychain' | 'encrypted-file'

export interface KeyStatus {
  set: boolean
  /** Where the key in use comes from (null when none is set). */
  source: KeyStorage | null
  /** Where a new key will be stored. */
  storage: KeyStorage | null
  last4: string | null
  /** Plain words when the preferred storage is unavailable (e.g. no OS keychain). */
  problem: string | null
}

export interface KeyTestResult {
  ok: boolean
  /** False when the key was saved without being checked (CometAPI could not be reached). */
  verified: boolean
  /** Plain sentence: what happened and what to do (English). */
  message: string
  /** The sentence as a code and parameters (shared/messages.ts), for translation. */
  code: string | null
  params: Record<string, string | number> | null
  status: KeyStatus
}
