// Every main screen in English and 简体中文, light and dark, with real data from the engine,
// saved under test-results/e2e/screens for people to look at.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, inProcessHost, launch, shot, tempDir } from './e2e'

const skip = !browserReady()
const SCREENS = ['compose', 'batch', 'compare', 'queue', 'library', 'spend', 'settings'] as const

describe.skipIf(skip)('screens and languages', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 800 } })
    // The system language is Chinese: the app must follow it by default.
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-'), apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), priorSeconds: 1, systemLocale: 'zh-CN', envKey: 'sk-test-good' })
    const r = await host.studio.engine.createJobs({
      specs: [
        { model: 'sora-2', prompt: '纸飞机穿过安静的图书馆', seconds: 4, size: '1280x720' },
        { model: 'kling-v2-6', prompt: 'A fox running through fresh snow', seconds: 5 },
        { model: 'grok-imagine-video', prompt: 'Candle light flickering [fail]', seconds: 1 }
      ]
    })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    await host.studio.engine.waitFor(r.jobs.map((j) => j.id), { signal: AbortSignal.timeout(20_000) })
    const b = await launch()
    closeBrowser = b.close
    page = await b.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(host.url)
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
    await fake?.close()
  })

  it('follows the system language: the interface is in 简体中文', async () => {
    await page.waitForSelector('[data-testid="nav-compose"]')
    expect(await page.textContent('[data-testid="nav-library"]')).toMatch(/[\u4e00-\u9fff]/)
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    await page.click('[data-testid="nav-library"]')
    await page.fill('[data-testid="library-search"]', '飞机')
    await expect.poll(() => page.locator('[data-testid="library-card"]').count()).toBe(1)
    await page.fill('[data-testid="library-search"]', '')
  })

  for (const [lang, theme] of [['zh-CN', 'light'], ['zh-CN', 'dark'], ['en', 'light'], ['en', 'dark']] as const) {
    it(`shows every main screen (${lang}, ${theme})`, async () => {
      await host.studio.engine.updateSettings({ language: lang, theme })
      host.studio.push('settings.changed', host.studio.engine.settings)
      await page.reload()
      await page.waitForSelector('[data-testid="nav-compose"]')
      for (const screen of SCREENS) {
        await page.click(`[data-testid="nav-${screen}"]`)
        await page.waitForSelector(`[data-testid="${screen}-screen"]`)
        await page.waitForTimeout(400)
        await shot(page, `screens/${screen}-${lang}-${theme}`)
      }
      const navText = await page.textContent('[data-testid="nav-queue"]')
      expect(navText).toMatch(lang === 'zh-CN' ? /[\u4e00-\u9fff]/ : /Queue/)
    })
  }
})
