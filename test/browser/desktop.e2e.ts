// The desktop conventions as far as a page and the test host can show them (the tray and the OS
// menu need the Electron binary: electron.e2e.ts): a notification clicked shows the right queue,
// a finished video dragged out of a queue row, a library card and the player names the right file,
// and "Pause all" holds new videos until Resume — with screenshots in both languages and themes.
import { realpathSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, inProcessHost, launch, shot, tempDir } from './e2e'

const skip = !browserReady()

describe.skipIf(skip)('desktop conventions in the page', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  let batchIds: string[] = []
  let soloId = ''

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 500 } })
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-desktop-'), apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), priorSeconds: 1, systemLocale: 'en-US', envKey: 'sk-test-good' })
    const solo = await host.studio.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'A lighthouse alone at dusk', seconds: 4, size: '1280x720' }] })
    const batch = await host.studio.engine.createJobs({
      specs: [
        { model: 'sora-2', prompt: 'Paper boats on a rainy street', seconds: 4, size: '1280x720' },
        { model: 'sora-2', prompt: 'A kite over green hills', seconds: 4, size: '1280x720' },
        { model: 'sora-2', prompt: 'Candle light flickering [fail]', seconds: 4, size: '1280x720' }
      ]
    })
    if (!solo.ok || !batch.ok) throw new Error('refused')
    soloId = solo.jobs[0].id
    batchIds = batch.jobs.map((j) => j.id)
    await host.studio.engine.waitFor([soloId, ...batchIds], { signal: AbortSignal.timeout(30_000) })
    const b = await launch()
    closeBrowser = b.close
    page = await b.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(host.url)
    await page.waitForSelector('[data-testid="compose-screen"]')
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
    await fake?.close()
  })

  it('says the batch once when it ends; a click shows the queue with only that batch', async () => {
    await expect.poll(() => host.record.notifications.map((n) => `${n.title}: ${n.body}`), { timeout: 10_000 }).toEqual(
      expect.arrayContaining(['Batch finished: 2 videos ready, 1 failed', 'Video ready — sora-2: A lighthouse alone at dusk'])
    )
    expect(host.record.notifications).toHaveLength(2)
    host.record.notifications.find((n) => n.title === 'Batch finished')!.click()
    await page.waitForSelector('[data-testid="queue-batch-filter"]')
    await expect.poll(() => page.locator('[data-testid="queue-row"]').count()).toBe(3)
    const shown = await page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-job-id')))
    expect(shown.sort()).toEqual([...batchIds].sort())
    expect(await page.textContent('[data-testid="queue-filter-all"] .chip-count')).toBe('3')
    for (const [lang, theme] of [['en', 'light'], ['en', 'dark'], ['zh-CN', 'light'], ['zh-CN', 'dark']] as const) {
      await setLook(lang, theme)
      await page.waitForSelector('[data-testid="queue-batch-filter"]')
      await page.waitForTimeout(300)
      await shot(page, `desktop/queue-batch-from-notification-${lang}-${theme}`)
    }
    await setLook('en', 'light')
    await page.click('[data-testid="queue-batch-filter-clear"]')
    await expect.poll(() => page.locator('[data-testid="queue-row"]').count()).toBe(4)
    // The single video's notification shows that job's details.
    host.record.notifications.find((n) => n.title.startsWith('Video ready'))!.click()
    await page.waitForSelector(`[data-testid="queue-row"][data-job-id="${soloId}"][data-selected="true"]`)
  })

  it('drags a finished video out of a queue row, a library card and the player: main names the library file and its poster', async () => {
    const job = host.studio.engine.getJob(batchIds[0])!
    expect(job.state).toBe('completed')
    const file = realpathSync(job.file!)
    await page.click('[data-testid="nav-queue"]')
    const row = page.locator(`[data-testid="queue-row"][data-job-id="${job.id}"]`)
    expect(await row.getAttribute('draggable')).toBe('true')
    // A failed job has nothing to drag.
    const failed = batchIds.find((id) => host.studio.engine.getJob(id)?.state === 'failed')!
    expect(await page.locator(`[data-testid="queue-row"][data-job-id="${failed}"]`).getAttribute('draggable')).toBeNull()
    await row.dispatchEvent('dragstart')
    await expect.poll(() => host.record.drags.length).toBe(1)
    expect(host.record.drags[0]?.file).toBe(file)

    // While our own video is dragged over the window, the drop overlay does not offer to batch it.
    await page.evaluate(() => {
      const dt = new DataTransfer()
      dt.items.add(new File(['x'], 'clip.mp4', { type: 'video/mp4' }))
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }))
    })
    await page.waitForTimeout(200)
    expect(await page.locator('[data-testid="drop-batch"]').count()).toBe(0)
    await page.evaluate(() => window.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true })))

    // A drag-out that ends in another app shows the page no drop and no button up; the window's
    // focus changing ends it too, so the next real drop of images is offered again.
    await row.dispatchEvent('dragstart')
    await expect.poll(() => host.record.drags.length).toBe(2)
    await page.evaluate(() => {
      window.dispatchEvent(new Event('blur'))
      const dt = new DataTransfer()
      dt.items.add(new File(['x'], 'photo.png', { type: 'image/png' }))
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }))
    })
    await page.waitForSelector('[data-testid="drop-batch"]')
    await page.evaluate(() => window.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true })))
    await expect.poll(() => page.locator('[data-testid="drop-batch"]').count()).toBe(0)

    await page.click('[data-testid="nav-library"]')
    const card = page.locator(`[data-testid="library-card"][data-item-id="${job.libraryItemId}"] [data-testid="library-poster"]`)
    await card.waitFor()
    await card.dispatchEvent('dragstart')
    await expect.poll(() => host.record.drags.length).toBe(3)
    expect(host.record.drags[2]?.file).toBe(file)
    // The poster (made by ffmpeg here, or by the page on first view) goes with it as the drag image once there is one.
    const poster = host.studio.engine.library.get(job.libraryItemId!)?.poster
    if (poster) expect(host.record.drags[2]?.icon).toMatch(/[\\/]\.posters[\\/]/)

    await card.click()
    await page.waitForSelector('[data-testid="player-drag"]')
    await page.dispatchEvent('[data-testid="player-drag"]', 'dragstart')
    await expect.poll(() => host.record.drags.length).toBe(4)
    expect(host.record.drags[3]?.file).toBe(file)
    for (const [lang, theme] of [['en', 'light'], ['en', 'dark'], ['zh-CN', 'light'], ['zh-CN', 'dark']] as const) {
      await setLook(lang, theme)
      await page.waitForSelector('[data-testid="player-drag"]')
      await page.waitForTimeout(300)
      await shot(page, `desktop/player-drag-${lang}-${theme}`)
    }
    await setLook('en', 'light')
  })

  it('"Pause all" holds new videos (a banner says so on every screen) until Resume sends them', async () => {
    await page.click('[data-testid="nav-queue"]')
    await page.click('[data-testid="queue-pause"]')
    await page.waitForSelector('[data-testid="held-banner"]')
    expect(host.studio.engine.status().heldByPerson).not.toBeNull()
    const creates = fake.creates().length
    const r = await host.studio.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'Waits for resume', seconds: 4, size: '1280x720' }] })
    if (!r.ok) throw new Error('refused')
    const id = r.jobs[0].id
    await page.waitForSelector(`[data-testid="queue-row"][data-job-id="${id}"][data-state="queued"]`)
    await page.waitForTimeout(800)
    expect(fake.creates().length).toBe(creates)
    expect(host.studio.engine.getJob(id)?.state).toBe('queued')
    for (const [lang, theme] of [['en', 'light'], ['en', 'dark'], ['zh-CN', 'light'], ['zh-CN', 'dark']] as const) {
      await setLook(lang, theme)
      await page.click('[data-testid="nav-queue"]')
      await page.waitForSelector('[data-testid="held-banner"]')
      await page.waitForTimeout(300)
      await shot(page, `desktop/queue-paused-${lang}-${theme}`)
    }
    await setLook('en', 'light')
    await page.click('[data-testid="nav-queue"]')
    expect(await page.textContent('[data-testid="queue-pause"]')).toBe('Resume')
    await page.click('[data-testid="banner-resume"]')
    await page.waitForSelector('[data-testid="held-banner"]', { state: 'detached' })
    await page.waitForSelector(`[data-testid="queue-row"][data-job-id="${id}"][data-state="completed"]`, { timeout: 20_000 })
    expect(fake.createCountsByPrompt().get('Waits for resume')).toBe(1)
  })

  it('Settings offers "Keep working in the tray" (on by default) in both languages', async () => {
    for (const [lang, theme] of [['en', 'light'], ['en', 'dark'], ['zh-CN', 'light'], ['zh-CN', 'dark']] as const) {
      await setLook(lang, theme)
      await page.click('[data-testid="nav-settings"]')
      const toggle = page.locator('[data-testid="tray-toggle"]')
      await toggle.evaluate((el) => el.scrollIntoView({ block: 'center' }))
      expect(await toggle.isChecked()).toBe(true)
      await page.waitForTimeout(300)
      await shot(page, `desktop/settings-tray-${lang}-${theme}`)
    }
    await setLook('en', 'light')
    await page.click('[data-testid="nav-settings"]')
    await page.locator('[data-testid="tray-toggle"]').evaluate((el: HTMLInputElement) => el.click())
    await expect.poll(() => host.studio.engine.settings.keepRunningInTray).toBe(false)
  })

  /** The language and theme settings, as the Settings screen would change them. */
  async function setLook(lang: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
    await page.evaluate(([language, t]) => (window as unknown as { api: { invoke: (c: string, r: unknown) => Promise<unknown> } }).api.invoke('settings.update', { language, theme: t }), [lang, theme])
    await page.waitForFunction(([l, t]) => document.documentElement.lang === l && document.documentElement.dataset.theme === t, [lang, theme])
  }
})
