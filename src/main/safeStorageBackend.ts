// Where no OS keychain exists, the key goes to a file protected by Electron's safeStorage (labelled
// truthfully: encrypted, or only obfuscated on Linux without a Secret Service).
import { safeStorage } from 'electron'
import { protectedFileBackend } from '../core/secrets/protectedFileBackend'
import type { SecretBackend } from '../core/secrets/secretStore'

export function safeStorageBackend(file: string): SecretBackend {
  return protectedFileBackend(file, safeStorage)
}
