import { describe, expect, it } from 'vitest'
import { explainKeychainError, keytarBackend, normalizeKey, SecretStore, SecretStoreError, type SecretBackend } from '../../src/core/secrets/secretStore'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { protectedFileBackend } from '../../src/core/secrets/protectedFileBackend'
import { required } from '../helpers/requirement'
import { standInSafeStorage } from '../helpers/safeStorage'

function memoryBackend(kind: SecretBackend['kind'], problem: string | null = null): SecretBackend & { value: string | null } {
  const b = {
    kind,
    value: null as string | null,
    get: async () => b.value,
    set: async (v: string) => {
      b.value = v
    },
    clear: async () => {
      b.value = null
    },
    check: async () => problem
  }
  return b
}

describe('the key file says what protects it', () => {
  it('is "obfuscated", never "encrypted", when safeStorage falls back to basic_text (Linux without a keyring)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvs-keyfile-'))
    expect(protectedFileBackend(join(dir, 'k'), standInSafeStorage('basic_text')).kind).toBe('obfuscated-file')
    expect(protectedFileBackend(join(dir, 'k'), standInSafeStorage('gnome_libsecret')).kind).toBe('encrypted-file')
    // macOS and Windows have no getSelectedStorageBackend: real encryption (Keychain, DPAPI).
    const { getSelectedStorageBackend: _, ...mac } = standInSafeStorage()
    expect(protectedFileBackend(join(dir, 'k'), mac).kind).toBe('encrypted-file')
    rmSync(dir, { recursive: true, force: true })
  })

  it('asks before keeping the key in an obfuscated file: store anyway, this session only (never written), or COMETAPI_KEY', async () => {
    const kc = memoryBackend('keychain', 'No OS keychain is available (no Secret Service on D-Bus).')
    const file = memoryBackend('obfuscated-file')
    const store = new SecretStore({ backends: [kc, file] })
    const before = await store.status()
    expect(before.storage).toBe('obfuscated-file')
    expect(before.problem).toMatch(/obfuscated, not encrypted/)
    const refused = await store.setKey('sk-test-obfuscated-1').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(SecretStoreError)
    expect((refused as SecretStoreError).needsConsent).toBe('obfuscated')
    expect((refused as SecretStoreError).message).toMatch(/Store it anyway, keep it for this session only, or set COMETAPI_KEY instead/)
    expect(file.value).toBeNull()
    const session = await store.setKey('sk-test-session-22', { sessionOnly: true })
    expect(session).toMatchObject({ set: true, source: 'session', last4: 'n-22' })
    expect(file.value).toBeNull()
    expect(await new SecretStore({ backends: [kc, file] }).getKey()).toBeNull()
    const stored = await store.setKey('sk-test-anyway-333', { allowObfuscated: true })
    expect(stored).toMatchObject({ set: true, source: 'obfuscated-file' })
    expect(file.value).toBe('sk-test-anyway-333')
  })
})

describe('SecretStore', () => {
  it('prefers COMETAPI_KEY, then the keychain', async () => {
    const kc = memoryBackend('keychain')
    kc.value = 'sk-from-keychain-1234'
    expect(await new SecretStore({ envKey: ' sk-from-env-abcd \n', backends: [kc] }).getKey()).toBe('sk-from-env-abcd')
    const store = new SecretStore({ backends: [kc] })
    expect(await store.getKey()).toBe('sk-from-keychain-1234')
    const st = await store.status()
    expect(st).toMatchObject({ set: true, source: 'keychain', storage: 'keychain', last4: '1234', problem: null })
  })

  it('falls back when the keychain is unavailable and says so', async () => {
    const kc = memoryBackend('keychain', 'No OS keychain is available (no Secret Service on D-Bus).')
    const file = memoryBackend('encrypted-file')
    const store = new SecretStore({ backends: [kc, file] })
    const st = await store.setKey('  Bearer sk-pasted-key-9876  ')
    expect(file.value).toBe('sk-pasted-key-9876')
    expect(st).toMatchObject({ set: true, storage: 'encrypted-file', last4: '9876' })
    expect(st.problem).toMatch(/No OS keychain/)
  })

  it('keeps the key in the fallback when the keychain refuses the write (locked), and finds it there next time', async () => {
    const kc = memoryBackend('keychain')
    kc.set = async () => {
      throw new SecretStoreError('The OS keychain is locked and could not be unlocked here.')
    }
    const file = memoryBackend('encrypted-file')
    const st = await new SecretStore({ backends: [kc, file] }).setKey('sk-locked-keychain-5555')
    expect(file.value).toBe('sk-locked-keychain-5555')
    expect(st).toMatchObject({ set: true, source: 'encrypted-file', storage: 'encrypted-file', last4: '5555' })
    expect(st.problem).toMatch(/locked.*encrypted file/)
    const next = new SecretStore({ backends: [kc, file] })
    expect(await next.getKey()).toBe('sk-locked-keychain-5555')
    expect((await next.status()).source).toBe('encrypted-file')
    await next.clearKey()
    expect(file.value).toBeNull()
    expect((await next.status()).set).toBe(false)
  })

  it('says the keychain is locked in words, and fails plainly when nothing can take the key', async () => {
    const kc = memoryBackend('keychain')
    kc.set = async () => {
      throw new SecretStoreError('The OS keychain is locked and could not be unlocked here.')
    }
    await expect(new SecretStore({ backends: [kc] }).setKey('sk-locked-keychain-5555')).rejects.toThrow(/locked.*COMETAPI_KEY/)
  })

  it('turns libsecret errors into sentences that name the fix', () => {
    expect(explainKeychainError(new Error('Cannot create an item in a locked collection'))).toMatch(/locked.*unlock your login keyring/)
    expect(explainKeychainError(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'))).toMatch(/No OS keychain.*gnome-keyring/)
    expect(explainKeychainError(new Error("Cannot find module 'keytar'"))).toMatch(/libsecret-1-dev/)
  })

  it('with no storage at all, setKey fails with a message naming the fix', async () => {
    const store = new SecretStore({ backends: [memoryBackend('keychain', 'No OS keychain is available.')] })
    await expect(store.setKey('sk-whatever-123456')).rejects.toThrow(SecretStoreError)
    expect((await store.status()).set).toBe(false)
  })

  it('rejects keys with inner whitespace or control characters', () => {
    expect(() => normalizeKey('sk-abc def-123456')).toThrow(/spaces/)
    expect(() => normalizeKey('')).toThrow(/empty/)
    expect(() => normalizeKey('sk-abc\u0007def123')).toThrow(/control/)
    expect(normalizeKey('"sk-quoted-12345678"\n')).toBe('sk-quoted-12345678')
  })

  it('explains a missing D-Bus instead of crashing', async () => {
    if (process.env.DBUS_SESSION_BUS_ADDRESS) return // covered by the real keychain test below
    const backend = keytarBackend('comet-video-studio-test', 'nodbus')
    const problem = await backend.check()
    expect(problem).toMatch(/keychain/i)
    const store = new SecretStore({ backends: [backend] })
    expect((await store.status()).problem).toMatch(/keychain/i)
  })
})

// Runs against the real Secret Service when one is there (.ci/run starts gnome-keyring under dbus-run-session).
const keychain = required('a Secret Service (a D-Bus session with an unlocked keyring)', !!process.env.DBUS_SESSION_BUS_ADDRESS, 'run inside dbus-run-session with gnome-keyring, as .ci/run does')

describe.runIf(keychain)('keytar against the real OS keychain', () => {
  it('stores, reads and clears the key', async () => {
    const backend = keytarBackend('comet-video-studio-test', `acct-${process.pid}`)
    expect(await backend.check()).toBeNull()
    const store = new SecretStore({ backends: [backend] })
    await store.setKey('sk-real-keychain-test-4321')
    expect(await new SecretStore({ backends: [keytarBackend('comet-video-studio-test', `acct-${process.pid}`)] }).getKey()).toBe('sk-real-keychain-test-4321')
    await store.clearKey()
    expect(await backend.get()).toBeNull()
  })
})
