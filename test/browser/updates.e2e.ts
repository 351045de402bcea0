// Settings › Updates and the sidebar notice, in Chromium against the real app services: the
// automatic check on start, the background download with progress, "Restart to update" held while
// a real video download is being written (asking with the count), a failed check said once, and
// the setting. The updater is scripted (test/helpers/fakeUpdater.ts); test/app/updaterPort.test.ts
// runs the same steps with the real electron-updater. Screens in both languages and themes.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { codedError, FakeUpdater } from '../helpers/fakeUpdater'
import type { Host } from './host/host'
import { browserReady, inProcessHost, launch, shot, tempDir } from './e2e'

const skip = !browserReady()
const LOOKS = [['en', 'light'], ['en', 'dark'], ['zh-CN', 'light'], ['zh-CN', 'dark']] as const

/** Switches language and theme as the Settings screen does (main pushes the new settings). */
async function look(host: Host, page: Page, lang: 'en' | 'zh-CN', theme: 'light' | 'dark'): Promise<void> {
  host.studio.engine.updateSettings({ language: lang, theme })
  host.studio.push('settings.changed', host.studio.engine.settings)
  await page.waitForFunction(([l, th]) => document.documentElement.lang === l && document.documentElement.dataset.theme === th, [lang, theme])
}

async function shots(host: Host, page: Page, name: string): Promise<void> {
  for (const [lang, theme] of LOOKS) {
    await look(host, page, lang, theme)
    await page.locator('#settings-updates').scrollIntoViewIfNeeded()
    await page.waitForTimeout(150)
    await shot(page, `updates/${name}-${lang}-${theme}`)
  }
  await look(host, page, 'en', 'light')
}

describe.skipIf(skip)('updates: Settings and the sidebar notice', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  const updater = new FakeUpdater('0.1.0-test', '0.2.0')

  beforeAll(async () => {
    // 1.5 MB at 150 kB/s: a video is being written for about ten seconds.
    fake = await startFakeCometApi({ durations: { '*': 300 }, videoBytes: { '*': 1_500_000 }, fileBytesPerSecond: 150_000 })
    host = await inProcessHost({
      dataDir: tempDir('cvs-e2e-upd-'),
      apiUrl: fake.url,
      dropRoot: tempDir('cvs-drop-'),
      envKey: 'sk-test-good',
      priorSeconds: 1,
      posterFrames: null,
      updater,
      updateTiming: { firstCheckDelayMs: 300 }
    })
    const b = await launch()
    closeBrowser = b.close
    page = await b.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(host.url)
    await page.waitForSelector('[data-testid="nav-settings"]')
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
    await fake?.close()
  })

  it('checks on start and downloads the new version in the background, with its progress in Settings', async () => {
    await page.click('[data-testid="nav-settings"]')
    await page.waitForSelector('[data-testid="update-status"][data-phase="downloading"]')
    // Found by the automatic check: the notice stays out of the way while it downloads.
    expect(await page.locator('[data-testid="update-notice"]').count()).toBe(0)
    updater.progress(42)
    await expect.poll(() => page.textContent('[data-testid="update-status"]')).toContain('42% · 32.0 MB of 76.3 MB')
    expect(await page.getAttribute('[data-testid="update-progress"]', 'aria-valuenow')).toBe('42')
    expect(await page.isDisabled('[data-testid="update-check"]')).toBe(true)
    await shots(host, page, 'downloading')
  })

  it('says when the update is ready, on every screen, and offers the restart', async () => {
    updater.finishDownload()
    await page.waitForSelector('[data-testid="update-notice"][data-phase="ready"]')
    expect(await page.textContent('[data-testid="update-notice"]')).toContain('Update 0.2.0 is ready')
    expect(await page.textContent('[data-testid="update-status"]')).toContain('Version 0.2.0 is ready to install.')
    await shots(host, page, 'ready')
    await page.click('[data-testid="nav-library"]')
    await page.waitForSelector('[data-testid="library-screen"]')
    expect(await page.locator('[data-testid="update-notice-restart"]').count()).toBe(1)
    await look(host, page, 'zh-CN', 'dark')
    expect(await page.textContent('[data-testid="update-notice"]')).toContain('更新 0.2.0 已就绪')
    await shot(page, 'updates/notice-ready-library-zh-CN-dark')
    await look(host, page, 'en', 'light')
    await shot(page, 'updates/notice-ready-library-en-light')
    // A narrow window keeps only the notice's icon, which opens Settings › Updates.
    await page.setViewportSize({ width: 860, height: 640 })
    await shot(page, 'updates/notice-ready-narrow-en-light')
    await page.click('[data-testid="update-notice"] .update-notice-icon')
    await page.waitForSelector('[data-testid="settings-screen"]')
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.click('[data-testid="nav-settings"]')
  })

  it('holds the restart while a video is being written: asks with the count, or restarts once it is in the library', async () => {
    const r = await host.studio.engine.createJobs({ specs: [{ model: 'sora-2', prompt: 'A lighthouse at dusk, slow pan', seconds: 4, size: '1280x720' }] })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const id = r.jobs[0].id
    await page.waitForSelector('[data-testid="update-writing"]', { timeout: 20_000 })
    expect(host.studio.engine.downloadsWriting()).toBe(1)
    expect(await page.textContent('[data-testid="update-writing"]')).toContain('A video is being downloaded')
    await shots(host, page, 'ready-writing')

    await page.click('[data-testid="update-restart"]')
    await page.waitForSelector('[data-testid="update-interrupt"]')
    expect(await page.textContent('[data-testid="update-interrupt"]')).toContain('A video is still downloading')
    for (const [lang, theme] of LOOKS) {
      await look(host, page, lang, theme)
      await page.waitForTimeout(150)
      await shot(page, `updates/ask-${lang}-${theme}`)
    }
    await look(host, page, 'en', 'light')
    await page.click('[data-testid="confirm-cancel"]')
    expect(updater.installs).toBe(0)

    await page.click('[data-testid="update-restart-later"]')
    await expect.poll(() => page.textContent('[data-testid="update-writing"]')).toContain('Restarts as soon as the video download finishes.')
    await page.waitForSelector('[data-testid="update-notice"] >> text=Restarts as soon as the video download finishes.')
    await shots(host, page, 'waiting')
    expect(updater.installs).toBe(0)
    await expect.poll(() => updater.installs, { timeout: 30_000 }).toBe(1)
    // Only once the video was whole in the library.
    expect(host.studio.engine.getJob(id)?.state).toBe('completed')
  })

  it('the setting turns automatic checks off, and is kept', async () => {
    await page.click('label.switch:has([data-testid="auto-update-toggle"])')
    await expect.poll(() => host.studio.engine.settings.autoUpdate).toBe(false)
    await page.reload()
    await page.click('[data-testid="nav-settings"]')
    expect(await page.isChecked('[data-testid="auto-update-toggle"]')).toBe(false)
  })
})

describe.skipIf(skip)('updates: a failing check', () => {
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  const updater = new FakeUpdater('0.1.0-test', '0.2.0')

  beforeAll(async () => {
    updater.checkError = codedError('getaddrinfo ENOTFOUND github.com', 'ENOTFOUND')
    // No CometAPI needed: nothing is generated here.
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-updfail-'), apiUrl: 'http://127.0.0.1:9', dropRoot: tempDir('cvs-drop-'), envKey: 'sk-test-good', posterFrames: null, updater, updateTiming: { firstCheckDelayMs: 300, recheckIntervalMs: 4000 } })
    const b = await launch()
    closeBrowser = b.close
    page = await b.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(host.url)
    await page.waitForSelector('[data-testid="nav-settings"]')
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
  })

  it('says why once, in plain words, and not again that session; asking again still reports', async () => {
    await page.waitForSelector('[data-testid="update-notice"][data-phase="failed"]')
    const notice = await page.textContent('[data-testid="update-notice"]')
    expect(notice).toContain('Could not check for updates')
    expect(notice).toContain('The update server could not be reached (ENOTFOUND). Check your network connection and proxy.')
    await page.click('[data-testid="update-notice-dismiss"]')
    await page.waitForSelector('[data-testid="update-notice"]', { state: 'detached' })
    // The next automatic checks fail too, quietly.
    const before = updater.checks
    await expect.poll(() => updater.checks, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 2)
    expect(await page.locator('[data-testid="update-notice"]').count()).toBe(0)
    await page.click('[data-testid="nav-settings"]')
    expect(await page.textContent('[data-testid="update-status"]')).toContain('Could not check for updates')
    expect(await page.textContent('[data-testid="update-failure"]')).toContain('ENOTFOUND')

    // The person asks (automatic checks off now, so none starts in between): the answer is shown.
    host.studio.engine.updateSettings({ autoUpdate: false })
    await page.click('[data-testid="update-check"]')
    await page.waitForSelector('[data-testid="update-notice"][data-phase="failed"]')
    await shots(host, page, 'failed')
    await look(host, page, 'zh-CN', 'light')
    expect(await page.textContent('[data-testid="update-notice"]')).toContain('无法连接更新服务器（ENOTFOUND）')
    await look(host, page, 'en', 'light')
  })

  it('asked again once the server answers: up to date, said in the notice', async () => {
    updater.checkError = null
    updater.latest = '0.1.0'
    await page.click('[data-testid="update-notice-dismiss"]')
    await page.click('[data-testid="update-check"]')
    await page.waitForSelector('[data-testid="update-notice"][data-phase="upToDate"]')
    expect(await page.textContent('[data-testid="update-notice"]')).toContain('You’re up to date (0.1.0-test)')
    expect(await page.textContent('[data-testid="update-status"]')).toContain('You have the latest version (0.1.0-test).')
    await shots(host, page, 'up-to-date')
  })
})
