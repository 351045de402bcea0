// Electron's safeStorage as tests can have it without Electron: the real file backend over a
// stand-in that stores plain text (test data only) and reports which backend it pretends to be.
// 'basic_text' is what Electron picks on Linux without a Secret Service: obfuscation only.
import { protectedFileBackend, type SafeStorageLike } from '../../src/core/secrets/protectedFileBackend'
import type { SecretBackend } from '../../src/core/secrets/secretStore'

export function standInSafeStorage(backend: 'basic_text' | 'gnome_libsecret' | 'mac_keychain' = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => Buffer.from(plain, 'utf8'),
    decryptString: (data) => data.toString('utf8')
  }
}

export function standInFileBackend(file: string, backend?: Parameters<typeof standInSafeStorage>[0]): SecretBackend {
  return protectedFileBackend(file, standInSafeStorage(backend))
}
