// The key in a file in the app's data folder, protected by Electron's safeStorage — labelled by
// what that protection really is. On Linux without a Secret Service, safeStorage falls back to
// `basic_text`: a hard-coded password, i.e. obfuscation, not encryption. Such a file is never
// called encrypted, and the key goes there only when the person agrees (SecretStore asks).
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import type { SecretBackend } from './secretStore'

/** The part of Electron's safeStorage this needs (passed in: core never imports electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  /** Linux only: 'basic_text' means no real encryption. */
  getSelectedStorageBackend?(): string
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
}

/** Whether safeStorage only obfuscates here (no OS key store behind it). */
export function onlyObfuscates(safe: SafeStorageLike): boolean {
  return safe.getSelectedStorageBackend?.() === 'basic_text'
}

export function protectedFileBackend(file: string, safe: SafeStorageLike): SecretBackend {
  return {
    kind: onlyObfuscates(safe) ? 'obfuscated-file' : 'encrypted-file',
    async get() {
      try {
        return safe.decryptString(await readFile(file))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw err
      }
    },
    async set(value) {
      const tmp = `${file}.tmp`
      await writeFile(tmp, safe.encryptString(value), { mode: 0o600 })
      await rename(tmp, file)
    },
    async clear() {
      await rm(file, { force: true })
    },
    async check() {
      if (!safe.isEncryptionAvailable()) return 'Encryption is not available on this system, so the key cannot be stored in a file; set COMETAPI_KEY instead.'
      return null
    }
  }
}
