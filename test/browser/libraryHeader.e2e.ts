// The library's header counts what the filters show out of everything ("0 of 2 videos" when they
// hide it all), and a hovered card's buttons leave its details readable.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, inProcessHost, shot, tempDir, closeAll, openPage } from './e2e'

const skip = !browserReady()
const subtitle = '[data-testid="library-screen"] .screen-subtitle'

describe.skipIf(skip)('library header and cards', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 300 } })
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-'), apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), priorSeconds: 1, envKey: 'sk-test-good' })
    const r = await host.studio.engine.createJobs({
      specs: [
        { model: 'sora-2', prompt: 'A paper plane drifting through a quiet library at dusk', seconds: 4, size: '1280x720' },
        { model: 'doubao-seedance-2-0-fast', prompt: 'A fox running through fresh snow', seconds: 5 }
      ]
    })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    await host.studio.engine.waitFor(r.jobs.map((j) => j.id), { signal: AbortSignal.timeout(20_000) })
    ;({ page, close: closeBrowser } = await openPage(host.url))
    await page.waitForSelector('[data-testid="nav-library"]')
    await page.click('[data-testid="nav-library"]')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="library-card"]').length === 2)
  })

  afterAll(() => closeAll(closeBrowser, host, fake))

  it('says "0 of 2 videos" when the filters match nothing, and "1 of 2" when they match one', async () => {
    await expect.poll(() => page.locator(subtitle).first().textContent()).toBe('2 videos')
    await page.fill('[data-testid="library-search"]', 'submarine')
    await page.waitForSelector('[data-testid="library-empty"]')
    await expect.poll(() => page.locator(subtitle).first().textContent()).toBe('0 of 2 videos')
    await shot(page, 'library/header-no-match-en')
    await page.fill('[data-testid="library-search"]', 'fox')
    await expect.poll(() => page.locator('[data-testid="library-card"]').count()).toBe(1)
    await expect.poll(() => page.locator(subtitle).first().textContent()).toBe('1 of 2 videos')

    await host.studio.engine.updateSettings({ language: 'zh-CN' })
    host.studio.push('settings.changed', host.studio.engine.settings)
    await page.fill('[data-testid="library-search"]', 'submarine')
    await page.waitForSelector('[data-testid="library-empty"]')
    await expect.poll(() => page.locator(subtitle).first().textContent()).toBe('共 2 个视频，筛选出 0 个')
    await shot(page, 'library/header-no-match-zh-CN')
    await page.fill('[data-testid="library-search"]', '')
    await expect.poll(() => page.locator(subtitle).first().textContent()).toBe('2 个视频')
    await host.studio.engine.updateSettings({ language: 'en' })
    host.studio.push('settings.changed', host.studio.engine.settings)
  })

  it('a hovered card keeps its prompt, model, age and size readable', async () => {
    await expect.poll(() => page.locator('[data-testid="library-card"]').count()).toBe(2)
    const card = page.locator('[data-testid="library-card"]').first()
    await card.hover()
    await page.waitForTimeout(300)
    await shot(page, 'library/card-hover-en')
    // No button drawn over a detail: each visible button's box misses every detail's box.
    const overlaps = await card.evaluate((el) => {
      /** Seen at all: no ancestor (up to the card) is transparent or hidden. */
      const shown = (n: Element): boolean => {
        for (let e: Element | null = n; e && e !== el.parentElement; e = e.parentElement) {
          const st = getComputedStyle(e)
          if (st.opacity === '0' || st.visibility === 'hidden' || st.display === 'none') return false
        }
        return true
      }
      const buttons = [...el.querySelectorAll('.lib-meta button')].filter(shown).map((n) => ({ n: n.getAttribute('aria-label') ?? '', r: n.getBoundingClientRect() }))
      const details = [...el.querySelectorAll('.lib-prompt, .lib-sub > span:not(.lib-card-actions)')].map((n) => {
        // The text's own box, not the element's (a span may stretch).
        const range = document.createRange()
        range.selectNodeContents(n)
        return { n: n.textContent ?? '', r: range.getBoundingClientRect() }
      })
      const hits: string[] = []
      for (const b of buttons) for (const d of details) if (b.r.left < d.r.right && b.r.right > d.r.left && b.r.top < d.r.bottom && b.r.bottom > d.r.top) hits.push(`${b.n} over "${d.n}"`)
      return { hits, buttons: buttons.length }
    })
    // The buttons are there on hover, and none sits on a detail.
    expect(overlaps.buttons).toBeGreaterThanOrEqual(2)
    expect(overlaps.hits).toEqual([])
  })
})
