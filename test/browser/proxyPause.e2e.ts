// The banner when new work pauses for the proxy: an HTTP_PROXY that cannot be used (its password
// holds / and @) is named without user or password, and "Open Settings" goes to Settings → Proxy,
// in English and 简体中文, light and dark (screenshots under test-results/e2e/proxy).
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, inProcessHost, launch, SHOTS, tempDir } from './e2e'

const skip = !browserReady()

describe.skipIf(skip)('the proxy pause banner', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 500 } })
    host = await inProcessHost({
      dataDir: tempDir('cvs-e2e-proxy-pause-'),
      apiUrl: fake.url,
      dropRoot: tempDir('cvs-drop-'),
      envKey: 'sk-test-good',
      systemLocale: 'en-US',
      // As if HTTP_PROXY named this address.
      proxyEnvironment: () => 'http://ann:pa/ss@w0rd@proxy.corp:99999'
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
  })

  it('pauses with the proxy named, never its password, and opens Settings → Proxy', async () => {
    await host.studio.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'behind a broken proxy', seconds: 4, size: '1280x720' }] }).catch(() => {})
    await expect.poll(() => host.studio.engine.status().paused?.kind, { timeout: 15_000 }).toBe('proxy')
    const banner = page.locator('[data-testid="engine-banner"]')
    await banner.waitFor({ timeout: 15_000 })
    const text = (await banner.textContent()) ?? ''
    expect(text).toContain('Paused: the proxy setting needs attention.')
    expect(text).toContain('http://proxy.corp:99999')
    for (const secret of ['pa/ss', 'w0rd', 'ann:']) expect(text).not.toContain(secret)
    expect(fake.creates()).toHaveLength(0)
    await banner.screenshot({ path: join(SHOTS, 'proxy', 'pause-banner-en-light.png') })
    await page.click('[data-testid="banner-settings"]')
    await page.waitForSelector('[data-testid="proxy-section"]')
    await expect.poll(() => page.evaluate(() => document.getElementById('settings-proxy')?.getBoundingClientRect().top ?? 9999)).toBeLessThan(400)
  })

  for (const [lang, theme] of [['en', 'dark'], ['zh-CN', 'light'], ['zh-CN', 'dark']] as const) {
    it(`reads well in ${lang}, ${theme}`, async () => {
      host.studio.engine.updateSettings({ language: lang, theme })
      host.studio.push('settings.changed', host.studio.engine.settings)
      await page.reload()
      const banner = page.locator('[data-testid="engine-banner"]')
      await banner.waitFor({ timeout: 15_000 })
      const text = (await banner.textContent()) ?? ''
      if (lang === 'zh-CN') {
        expect(text).toContain('已暂停：代理设置需要处理。')
        expect(text).toContain('无法使用代理地址 http://proxy.corp:99999')
      }
      expect(text).not.toContain('pa/ss')
      await banner.screenshot({ path: join(SHOTS, 'proxy', `pause-banner-${lang}-${theme}.png`) })
    })
  }
})
