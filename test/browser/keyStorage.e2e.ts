// The key store tells the truth at key entry (Debian's Chromium, the real services in the test host):
// on a machine whose only key file is obfuscated (Linux without a keyring: safeStorage's basic_text),
// the first-run screen says so, asks before storing the key there, and "this session only" keeps it
// in memory — never on disk, never called encrypted.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, inProcessHost, openPage, shot, tempDir } from './e2e'

const skip = !browserReady()

describe.skipIf(skip)('key storage, truthfully labelled', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  const dataDir = tempDir('cvs-e2e-key-')

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 500 } })
    host = await inProcessHost({ dataDir, apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), safeStorageBackend: 'basic_text' })
    ;({ page, close: closeBrowser } = await openPage(host.url))
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
    await fake?.close()
  })

  it('says at key entry that the key could only be obfuscated, and asks before storing it; "this session only" writes nothing', async () => {
    await page.waitForSelector('[data-testid="first-run"]')
    const note = await page.textContent('[data-testid="key-storage-problem"]')
    expect(note).toMatch(/obfuscated, not encrypted/)
    expect(await page.textContent('[data-testid="first-run"]')).not.toMatch(/an encrypted file/)
    await page.fill('[data-testid="key-input"]', 'sk-test-good')
    await page.click('[data-testid="key-save"]')
    await page.waitForSelector('[data-testid="key-consent"]')
    expect(await page.textContent('[data-testid="key-consent"]')).toMatch(/Store it anyway, keep it for this session only, or set COMETAPI_KEY/)
    expect(existsSync(join(dataDir, 'cometapi-key.test'))).toBe(false)
    // Said once, in the box that asks; the hint below does not repeat it.
    expect(await page.$('[data-testid="key-storage-problem"]')).toBeNull()
    await shot(page, 'first-run-key-consent')
    await page.click('[data-testid="key-use-env"]')
    expect(await page.textContent('[data-testid="key-env-hint"]')).toMatch(/COMETAPI_KEY/)
    await page.click('[data-testid="key-session-only"]')
    await page.waitForSelector('[data-testid="compose-screen"]', { timeout: 15_000 })
    expect(existsSync(join(dataDir, 'cometapi-key.test'))).toBe(false)
    expect(await host.studio.o.secrets.status()).toMatchObject({ set: true, source: 'session', last4: 'good' })
    await page.click('[data-testid="nav-settings"]')
    expect(await page.textContent('[data-testid="key-session"]')).toMatch(/this session only/)
  })

  it('"store it anyway" keeps it in the obfuscated file, and Settings says it is not encrypted', async () => {
    await page.click('[data-testid="key-replace"]')
    await page.fill('[data-testid="key-input"]', 'sk-test-good')
    await page.click('[data-testid="key-save"]')
    await page.click('[data-testid="key-store-anyway"]')
    await expect.poll(async () => (await host.studio.o.secrets.status()).source, { timeout: 15_000 }).toBe('obfuscated-file')
    expect(existsSync(join(dataDir, 'cometapi-key.test'))).toBe(true)
    await page.waitForSelector('[data-testid="key-obfuscated"]')
    expect(await page.textContent('[data-testid="key-obfuscated"]')).toMatch(/obfuscated file, not encrypted/)
    expect(await page.$$eval('[data-testid="key-status"] .hint-warn', (els) => els.length)).toBe(1)
    await shot(page, 'settings-key-obfuscated')
  })

  it('says the same in 简体中文 (dark): the consent box and the Settings note', async () => {
    await host.studio.engine.updateSettings({ language: 'zh-CN', theme: 'dark' })
    host.studio.push('settings.changed', host.studio.engine.settings)
    await page.reload()
    await page.click('[data-testid="nav-settings"]')
    const note = await page.textContent('[data-testid="key-obfuscated"]')
    expect(note).toMatch(/[\u4e00-\u9fff]/)
    expect(note).not.toMatch(/encrypted/)
    await shot(page, 'settings-key-obfuscated-zh-dark')
    await page.click('[data-testid="key-replace"]')
    await page.fill('[data-testid="key-input"]', 'sk-test-good')
    await page.click('[data-testid="key-save"]')
    await page.waitForSelector('[data-testid="key-consent"]')
    expect(await page.textContent('[data-testid="key-consent"]')).toMatch(/COMETAPI_KEY/)
    expect(await page.textContent('[data-testid="key-consent"]')).toMatch(/[\u4e00-\u9fff]/)
    await shot(page, 'settings-key-consent-zh-dark')
    await page.click('[data-testid="key-session-only"]')
    await expect.poll(async () => (await host.studio.o.secrets.status()).source, { timeout: 15_000 }).toBe('session')
  })
})
