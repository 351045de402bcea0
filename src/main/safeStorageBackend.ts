// Where no OS keychain exists, Electron's safeStorage encrypts the key into a file in userData.
import { safeStorage } from 'electron'
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import type { SecretBackend } from '../core/secrets/secretStore'

export function safeStorageBackend(file: string): SecretBackend {
  return {
    kind: 'encrypted-file',
    async get() {
      try {
        return safeStorage.decryptString(await readFile(file))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw err
      }
    },
    async set(value) {
      const tmp = `${file}.tmp`
      await writeFile(tmp, safeStorage.encryptString(value), { mode: 0o600 })
      await rename(tmp, file)
    },
    async clear() {
      await rm(file, { force: true })
    },
    async check() {
      if (!safeStorage.isEncryptionAvailable()) return 'Encryption is not available on this system, so the key cannot be stored; set COMETAPI_KEY instead.'
      return null
    }
  }
}
