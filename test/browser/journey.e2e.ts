// A person's first day, in Debian's Chromium against the real services (test host) and the fake
// CometAPI: enter a key, make a video, watch it finish, play it from the library, search for it.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, inProcessHost, launch, shot, tempDir } from './e2e'

const skip = !browserReady()

describe.skipIf(skip)('first run to playback', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  const errors: string[] = []

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 1500 } })
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-'), apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), priorSeconds: 1 })
    const b = await launch()
    closeBrowser = b.close
    page = await b.browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(host.url)
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
    await fake?.close()
  })

  it('rejects a wrong key with a plain message, then accepts the right one', async () => {
    await page.waitForSelector('[data-testid="first-run"]')
    await shot(page, '01-first-run')
    const cardTop = async (): Promise<number> => (await page.locator('.first-run-card').boundingBox())?.y ?? -1
    const before = await cardTop()
    await page.fill('[data-testid="key-input"]', 'sk-wrong-key-0000000000')
    await page.click('[data-testid="key-save"]')
    await page.waitForSelector('[data-testid="key-error"]')
    // Plain words: what to check and where keys are made; the request id and the server's words go to details.
    const said = await page.textContent('[data-testid="key-error"]')
    expect(said).toMatch(/CometAPI did not accept this key\. Check that you copied all of it/)
    expect(said).toMatch(/cometapi\.com\/console\/token/)
    expect(said).not.toMatch(/request id|401|invalid token/)
    const details = page.locator('[data-testid="key-error-details"]')
    expect(await details.textContent()).toMatch(/401.*invalid token.*request id [0-9a-f]{32}/s)
    // The card does not jump when the message appears.
    expect(await cardTop()).toBe(before)
    await shot(page, '01-first-run-wrong-key')
    await page.fill('[data-testid="key-input"]', '  sk-test-good  ')
    await page.click('[data-testid="key-save"]')
    await page.waitForSelector('[data-testid="compose-screen"]', { timeout: 15_000 })
    expect((await host.studio.o.secrets.status()).last4).toBe('good')
  })

  it('makes a text-to-video job from compose and shows it finishing in the queue', async () => {
    await page.click('[data-testid="model-picker"]')
    await page.fill('[data-testid="model-search"]', 'sora-2')
    await page.click('[data-testid="model-option-sora-2"]')
    await page.fill('[data-testid="prompt"]', 'A paper lantern drifting over a quiet harbor at dusk')
    await page.click('[data-testid="field-seconds"] [data-value="4"]')
    await expect.poll(() => page.textContent('[data-testid="cost-estimate"]')).toMatch(/0\.32/)
    await shot(page, '02-compose')
    await page.keyboard.press('Control+Enter')
    await page.click('[data-testid="nav-queue"]')
    await page.waitForSelector('[data-testid="queue-row"]')
    await shot(page, '03-queue-running')
    await page.waitForSelector('[data-testid="queue-row"][data-state="completed"]', { timeout: 30_000 })
    await shot(page, '04-queue-done')
    expect(fake.creates().map((e) => e.prompt)).toEqual(['A paper lantern drifting over a quiet harbor at dusk'])
  })

  it('plays the video from the library: it decodes and its time advances', async () => {
    await page.click('[data-testid="nav-library"]')
    await page.waitForSelector('[data-testid="library-card"]')
    await page.waitForTimeout(800) // the poster is made from the video once
    await shot(page, '05-library')
    await page.click('[data-testid="library-card"]')
    await page.waitForSelector('[data-testid="player-video"]')
    const video = page.locator('[data-testid="player-video"]')
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
    await video.evaluate((v: HTMLVideoElement) => {
      v.muted = true
      return v.play()
    })
    const t0 = await video.evaluate((v: HTMLVideoElement) => v.currentTime)
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 }).toBeGreaterThan(t0)
    await shot(page, '06-player')
    expect(await page.textContent('[data-testid="player-prompt"]')).toContain('paper lantern')
  })

  it('finds the video by a word of its prompt', async () => {
    await page.click('[data-testid="nav-library"]')
    await page.fill('[data-testid="library-search"]', 'lantern')
    await expect.poll(() => page.locator('[data-testid="library-card"]').count()).toBe(1)
    await page.fill('[data-testid="library-search"]', 'submarine')
    await expect.poll(() => page.locator('[data-testid="library-card"]').count()).toBe(0)
    await shot(page, '07-library-no-match')
    await page.fill('[data-testid="library-search"]', '')
  })

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
