// Chinese never draws as boxes: the renderer bundles Noto Sans SC as unicode-range slices and the
// page fetches them from the app itself, only once Chinese text is on screen. This machine has a
// system CJK font (WenQuanYi), so "the text appears" proves nothing: the checks ask Chromium which
// font it actually drew the prompt with (DevTools' platform fonts) and which font files it loaded.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, inProcessHost, launch, shot, tempDir, closeAll } from './e2e'

const skip = !browserReady()
const QUEUED = '海边的灯塔在暴风雨中闪烁'
const DONE = '纸飞机穿过安静的图书馆'

interface FaceCount {
  loaded: number
  total: number
}

/** How many of the bundled Noto Sans SC faces exist and how many the page has loaded. */
function notoFaces(page: Page): Promise<FaceCount> {
  return page.evaluate(async () => {
    await document.fonts.ready
    const faces = [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === 'Noto Sans SC')
    return { loaded: faces.filter((f) => f.status === 'loaded').length, total: faces.length }
  })
}

/** The fonts Chromium really used for the text of the first element matching `selector`. */
async function usedFonts(page: Page, selector: string): Promise<{ familyName: string; isCustomFont: boolean; glyphCount: number }[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 })
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
    return fonts
  } finally {
    await cdp.detach()
  }
}

/** The font files the page fetched, as paths on the page's own origin (anything else is kept whole). */
function fetchedFonts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => /\.woff2?(\?|$)/.test(u))
      .map((u) => (u.startsWith(location.origin) ? u.slice(location.origin.length) : u))
  )
}

describe.skipIf(skip)('the bundled Chinese font', () => {
  let fake: FakeCometApi
  let host: Host
  let closeBrowser: () => Promise<void>
  let newPage: () => Promise<Page>

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 600, 'kling-v2-6': 600_000 } })
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-'), apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), priorSeconds: 1, systemLocale: 'zh-CN', envKey: 'sk-test-good' })
    const b = await launch()
    closeBrowser = b.close
    newPage = () => b.browser.newPage({ viewport: { width: 1280, height: 800 } })
  })

  afterAll(() => closeAll(closeBrowser, host, fake))

  it('loads nothing while no Chinese text is on screen (English UI, no jobs)', async () => {
    await host.studio.engine.updateSettings({ language: 'en' })
    const page = await newPage()
    await page.goto(host.url)
    await page.waitForSelector('[data-testid="compose-screen"]')
    await page.waitForTimeout(300)
    const faces = await notoFaces(page)
    // The faces are declared (the stylesheet is in the bundle) but not one slice was fetched.
    expect(faces.total).toBeGreaterThan(100)
    expect(faces.loaded).toBe(0)
    expect((await fetchedFonts(page)).filter((u) => u.includes('noto-sans-sc'))).toEqual([])
    await page.close()
  })

  it('draws Chinese prompts in the queue, the library and the player with Noto Sans SC from the app itself (简体中文 UI)', async () => {
    await host.studio.engine.updateSettings({ language: 'zh-CN' })
    const done = await host.studio.engine.createJobs({ specs: [{ model: 'sora-2', prompt: DONE, seconds: 4, size: '1280x720' }] })
    if (!done.ok) throw new Error(JSON.stringify(done.errors))
    await host.studio.engine.waitFor(done.jobs.map((j) => j.id), { signal: AbortSignal.timeout(20_000) })
    // A long one that stays in the queue while we look.
    const queued = await host.studio.engine.createJobs({ specs: [{ model: 'kling-v2-6', prompt: QUEUED, seconds: 5 }] })
    if (!queued.ok) throw new Error(JSON.stringify(queued.errors))

    const page = await newPage()
    // The app's own CSP (font-src 'self' data:) must let the bundled slices in: record any refusal.
    await page.addInitScript(() => {
      const w = window as unknown as { __cspViolations: string[] }
      w.__cspViolations = []
      document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`))
    })
    await page.goto(host.url)
    await page.waitForSelector('[data-testid="nav-queue"]')
    expect(await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content')).toContain("font-src 'self' data:")
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    await page.click('[data-testid="nav-queue"]')
    const row = `[data-testid="queue-row"][data-job-id="${queued.jobs[0]!.id}"] .queue-prompt`
    await page.waitForSelector(row)
    expect(await page.textContent(row)).toContain(QUEUED)
    await expect.poll(async () => (await notoFaces(page)).loaded).toBeGreaterThan(0)
    expect(await page.evaluate(() => document.fonts.check('16px "Noto Sans SC"', '海'))).toBe(true)

    const queueFonts = await usedFonts(page, row)
    const noto = queueFonts.find((f) => /^Noto Sans SC\b/.test(f.familyName))
    expect(noto, JSON.stringify(queueFonts)).toBeDefined()
    expect(noto!.isCustomFont).toBe(true)
    // (The bundled files name themselves "Noto Sans SC Thin" inside, whatever their weight.)
    // Every Chinese character of the prompt came from our font, none from the system's WenQuanYi.
    expect(queueFonts.some((f) => /WenQuanYi|wqy/i.test(f.familyName)), JSON.stringify(queueFonts)).toBe(false)
    expect(noto!.glyphCount).toBeGreaterThanOrEqual([...QUEUED].length)

    // The slices came from the app's own origin, and only some of them: a slice per block of characters used.
    const files = (await fetchedFonts(page)).filter((u) => u.includes('noto-sans-sc'))
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) expect(f).toMatch(/^\/assets\/noto-sans-sc-[\w-]+\.woff2$/)
    const faces = await notoFaces(page)
    expect(faces.loaded).toBeLessThan(faces.total / 4)
    await shot(page, 'fonts/queue-zh-CN')

    await page.click('[data-testid="nav-library"]')
    const card = `[data-testid="library-card"] .lib-prompt`
    await page.waitForSelector(card)
    expect(await page.textContent(card)).toBe(DONE)
    await page.waitForTimeout(200)
    const libraryFonts = await usedFonts(page, card)
    expect(libraryFonts.find((f) => /^Noto Sans SC\b/.test(f.familyName))?.isCustomFont, JSON.stringify(libraryFonts)).toBe(true)
    expect(libraryFonts.some((f) => /WenQuanYi|wqy/i.test(f.familyName))).toBe(false)
    await shot(page, 'fonts/library-zh-CN')

    await page.click('[data-testid="library-card"] .lib-poster')
    await page.waitForSelector('[data-testid="player-prompt"]')
    expect(await page.textContent('[data-testid="player-prompt"]')).toBe(DONE)
    for (const el of ['[data-testid="player-prompt"]', '.player-title']) {
      const fonts = await usedFonts(page, el)
      expect(fonts.find((f) => /^Noto Sans SC\b/.test(f.familyName))?.isCustomFont, `${el}: ${JSON.stringify(fonts)}`).toBe(true)
      expect(fonts.some((f) => /WenQuanYi|wqy/i.test(f.familyName))).toBe(false)
    }
    // The file name is set in the monospace stack: its Chinese must come from our font too, its digits from a monospace one.
    await page.evaluate((text) => {
      const el = [...document.querySelectorAll('[data-testid="player-screen"] .mono')].find((e) => e.textContent?.includes(text) && e.children.length === 0)
      el?.setAttribute('data-font-probe', '')
    }, DONE)
    const monoFonts = await usedFonts(page, '[data-font-probe]')
    expect(monoFonts.find((f) => /^Noto Sans SC\b/.test(f.familyName))?.isCustomFont, JSON.stringify(monoFonts)).toBe(true)
    expect(monoFonts.some((f) => !f.isCustomFont && /mono/i.test(f.familyName)), JSON.stringify(monoFonts)).toBe(true)
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([])
    await shot(page, 'fonts/player-zh-CN')
    await page.close()
  })
})
