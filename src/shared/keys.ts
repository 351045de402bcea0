// What the renderer may know about the API key: never the key itself.

/**
 * `obfuscated-file`: a file protected only by a hard-coded password (safeStorage's `basic_text` on
 * Linux without a keychain) — anyone who can read the file can read the key. `session`: kept in
 * memory by this process only, asked again next time.
 */
export type KeyStorage = 'env' | 'keychain' | 'encrypted-file' | 'obfuscated-file' | 'session'

/** Where a key is, in the same English words everywhere (the CLI; the renderer translates by kind). */
export const KEY_STORAGE_WORDS: Record<KeyStorage, string> = {
  env: 'COMETAPI_KEY',
  keychain: 'the OS keychain',
  'encrypted-file': 'an encrypted file',
  'obfuscated-file': 'an obfuscated file (not encrypted: there is no OS keychain)',
  session: 'memory, for this session only'
}

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
  /** Not stored: the only place left only obfuscates the key; ask the person (store anyway, this session only, or COMETAPI_KEY). */
  needsConsent: 'obfuscated' | null
  /** The sentence as a code and parameters (shared/messages.ts), for translation. */
  code: string | null
  params: Record<string, string | number> | null
  status: KeyStatus
  /** For a key CometAPI refused: what it answered, for the details line (not the sentence). */
  refusal?: { httpStatus?: number; requestId?: string; serverMessage?: string }
}

/** The profile the key a person had before named keys existed lives under (and a fresh install's first key). */
export const DEFAULT_KEY_ID = 'default'
export const KEY_LABEL_MAX = 40

/** A named key as the front ends see it: never the key itself. */
export interface KeyProfile {
  id: string
  label: string
  isDefault: boolean
  /** This key's own daily cap in the catalog's currency (null: only the global cap applies). */
  dailyCap: number | null
  /** Recorded spend today with this key. */
  spentToday: number
  /** Jobs sent or waiting to be sent with this key that have not ended. */
  inFlight: number
  status: KeyStatus
}

/** Why a label cannot name a key (null: it can), as a message code (src/shared/messages.ts). */
export function keyLabelProblem(label: string): 'keyLabel.empty' | 'keyLabel.long' | 'keyLabel.control' | null {
  const t = label.trim()
  if (!t) return 'keyLabel.empty'
  if (t.length > KEY_LABEL_MAX) return 'keyLabel.long'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(t)) return 'keyLabel.control'
  return null
}
