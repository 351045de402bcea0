// Settings → Proxy in the browser against the real app services: the proxy in use, a manual proxy
// with a clear message for bad input, credentials that never come back to the page, requests that
// then go through that proxy, in English and 简体中文, light and dark (screenshots under
// test-results/e2e/proxy).
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { type CountingProxy, startHttpProxy } from '../helpers/proxies'
import type { Host } from './host/host'
import { browserReady, inProcessHost, launch, shot, SHOTS, tempDir } from './e2e'

const skip = !browserReady()
const PASSWORD = 'Pr0xy-Secret-Word'

describe.skipIf(skip)('Settings → Proxy', () => {
  let fake: FakeCometApi
  let envProxy: CountingProxy
  let manualProxy: CountingProxy
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>

  const section = (): ReturnType<Page['locator']> => page.locator('[data-testid="proxy-section"]')
  const snap = async (name: string): Promise<void> => {
    await section().scrollIntoViewIfNeeded()
    await page.waitForTimeout(200)
    await section().screenshot({ path: join(SHOTS, 'proxy', `${name}.png`) })
  }
  const openSettings = async (): Promise<void> => {
    await page.click('[data-testid="nav-settings"]')
    await page.waitForSelector('[data-testid="proxy-in-use"]')
  }

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 500 } })
    envProxy = await startHttpProxy()
    manualProxy = await startHttpProxy()
    manualProxy.requireAuth({ username: 'ann', password: PASSWORD })
    host = await inProcessHost({
      dataDir: tempDir('cvs-e2e-proxy-'),
      apiUrl: fake.url,
      dropRoot: tempDir('cvs-drop-'),
      envKey: 'sk-test-good',
      systemLocale: 'en-US',
      // As if HTTP_PROXY named this proxy.
      proxyEnvironment: () => envProxy.url
    })
    const b = await launch()
    closeBrowser = b.close
    page = await b.browser.newPage({ viewport: { width: 1280, height: 860 } })
    await page.goto(host.url)
    await page.waitForSelector('[data-testid="nav-settings"]')
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
    await fake?.close()
    await envProxy?.close()
    await manualProxy?.close()
  })

  it('shows the proxy the environment names, by default', async () => {
    await openSettings()
    await expect.poll(() => page.textContent('[data-testid="proxy-in-use"]')).toBe(`In use now: 127.0.0.1:${envProxy.port} (from the environment variables)`)
    expect(await page.getAttribute('[data-testid="proxy-mode-auto"]', 'aria-checked')).toBe('true')
    await snap('auto-en-light')
  })

  it('a manual proxy: says what is wrong with each field, in plain words', async () => {
    await page.click('[data-testid="proxy-mode-manual"]')
    await page.waitForSelector('[data-testid="proxy-form"]')
    await page.fill('[data-testid="proxy-host"]', 'http://proxy.corp/')
    await page.fill('[data-testid="proxy-port"]', '99999')
    await page.fill('[data-testid="proxy-password"]', 'only-a-password')
    await page.click('[data-testid="proxy-save"]')
    expect(await page.textContent('[data-testid="proxy-host-error"]')).toBe('Enter only the host name or IP address, without http:// or a path.')
    expect(await page.textContent('[data-testid="proxy-port-error"]')).toBe('The port is a whole number from 1 to 65535.')
    expect(await page.textContent('[data-testid="proxy-user-error"]')).toBe('A password needs a user name.')
    expect(host.studio.engine.settings.proxy.mode).toBe('auto')
    await snap('manual-errors-en-light')
  })

  it('saves it with a user name and password that never come back to the page; requests then go through it', async () => {
    await page.fill('[data-testid="proxy-host"]', '127.0.0.1')
    await page.fill('[data-testid="proxy-port"]', String(manualProxy.port))
    await page.fill('[data-testid="proxy-user"]', 'ann')
    await page.fill('[data-testid="proxy-password"]', PASSWORD)
    await page.click('[data-testid="proxy-save"]')
    await expect.poll(() => page.textContent('[data-testid="proxy-in-use"]')).toBe(`In use now: 127.0.0.1:${manualProxy.port} (manual)`)
    await page.waitForSelector('[data-testid="proxy-credentials-stored"]')
    expect(host.studio.engine.settings.proxy).toEqual({ mode: 'manual', type: 'http', host: '127.0.0.1', port: manualProxy.port })
    // The fields are empty again and nothing on the page holds the password or the user name.
    expect(await page.inputValue('[data-testid="proxy-password"]')).toBe('')
    expect(await page.inputValue('[data-testid="proxy-user"]')).toBe('')
    expect(await page.content()).not.toContain(PASSWORD)
    const before = envProxy.forwarded.length
    const models = await host.studio.engine.refreshModels({ force: true })
    expect(models.problem).toBeNull()
    expect(manualProxy.paths('/api/models').length).toBeGreaterThanOrEqual(1)
    expect(manualProxy.refused).toEqual([])
    expect(envProxy.forwarded.length).toBe(before)
    await snap('manual-en-light')
    await shot(page, 'proxy/settings-page-en-light')
  })

  for (const [lang, theme] of [['en', 'dark'], ['zh-CN', 'light'], ['zh-CN', 'dark']] as const) {
    it(`reads well in ${lang}, ${theme}`, async () => {
      host.studio.engine.updateSettings({ language: lang, theme })
      host.studio.push('settings.changed', host.studio.engine.settings)
      await page.reload()
      await page.waitForSelector('[data-testid="nav-settings"]')
      await openSettings()
      await page.waitForSelector('[data-testid="proxy-credentials-stored"]')
      if (lang === 'zh-CN') {
        await expect.poll(() => page.textContent('[data-testid="proxy-in-use"]')).toBe(`当前使用：127.0.0.1:${manualProxy.port}（手动设置）`)
        expect(await page.textContent('[data-testid="proxy-section"] h2')).toBe('代理')
      }
      await snap(`manual-${lang}-${theme}`)
      // A wrong port, said in this language.
      await page.fill('[data-testid="proxy-port"]', 'abc')
      await page.click('[data-testid="proxy-save"]')
      expect(await page.textContent('[data-testid="proxy-port-error"]')).toBe(lang === 'zh-CN' ? '端口是 1 到 65535 之间的整数。' : 'The port is a whole number from 1 to 65535.')
      await snap(`manual-error-${lang}-${theme}`)
      await page.fill('[data-testid="proxy-port"]', String(manualProxy.port))
    })
  }

  it('removes the credentials, then goes without a proxy', async () => {
    host.studio.engine.updateSettings({ language: 'en', theme: 'light' })
    host.studio.push('settings.changed', host.studio.engine.settings)
    await page.reload()
    await page.waitForSelector('[data-testid="nav-settings"]')
    await openSettings()
    await page.click('[data-testid="proxy-credentials-remove"]')
    await page.waitForSelector('[data-testid="proxy-credentials-stored"]', { state: 'detached' })
    expect((await host.studio.proxy.status()).credentials.stored).toBe(false)
    await page.click('[data-testid="proxy-mode-none"]')
    await expect.poll(() => page.textContent('[data-testid="proxy-in-use"]')).toBe('In use now: a direct connection, no proxy')
    expect(host.studio.engine.settings.proxy.mode).toBe('none')
    await snap('none-en-light')
  })
})
