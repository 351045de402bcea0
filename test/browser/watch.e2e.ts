// Settings › Watched folders in Debian's Chromium against the real services in the test host: a
// folder chosen through main's folder dialog with a recipe, each file's outcome shown as it comes
// (sent as a job, a duplicate, refused), pause and resume, remove; English and 简体中文, light and dark.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { solidPng } from '../helpers/png'
import type { Host } from './host/host'
import { browserReady, enterKey, inProcessHost, openPage, pickModel, shot, tempDir } from './e2e'

const skip = !browserReady()

describe.skipIf(skip)('watched folders in Settings', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  const dataDir = tempDir('cvs-e2e-watch-')
  const watched = join(tempDir('cvs-watched-'), 'Product shots')
  mkdirSync(watched, { recursive: true })
  const png = (seed: number): Buffer => solidPng(640, 360, [seed % 256, (seed * 3) % 256, (seed * 7) % 256])

  const row = (name: string): string => `[data-testid="watch-file"][data-name="${name}"]`
  const outcomeOf = async (name: string): Promise<string | null> => (await page.$(row(name))) && page.getAttribute(row(name), 'data-outcome')

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 400 } })
    host = await inProcessHost({
      dataDir,
      apiUrl: fake.url,
      dropRoot: tempDir('cvs-drop-'),
      chooseFolderResult: watched,
      watchTiming: { settleMs: 300, pollMs: 50, retryMs: 500, folderRetryMs: 500 }
    })
    ;({ page, close: closeBrowser } = await openPage(host.url, { width: 1280, height: 900 }))
    await enterKey(page)
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
    await fake?.close()
  })

  it('adds a folder chosen in main’s dialog with a recipe; asked first, the images already there become jobs, a non-image is refused', async () => {
    writeFileSync(join(watched, 'lamp.png'), png(1))
    writeFileSync(join(watched, 'notes.txt'), 'not a picture')
    await page.click('[data-testid="nav-settings"]')
    await page.waitForSelector('[data-testid="watch-none"]')
    await page.click('[data-testid="watch-add"]')
    await page.waitForSelector('[data-testid="watch-dialog"]')
    // Nothing can start before a folder is chosen.
    expect(await page.isDisabled('[data-testid="watch-start"]')).toBe(true)
    await page.click('[data-testid="watch-choose-folder"]')
    await expect.poll(() => page.textContent('[data-testid="watch-folder-path"]')).toBe(watched)
    await pickModel(page, 'kling-v2-6', 'watch-model-picker')
    await page.fill('[data-testid="watch-prompt"]', 'A slow turntable shot of {file} on a white floor')
    expect(await page.textContent('[data-testid="watch-money"]')).toMatch(/per image/)
    // The images already there are counted and sent only when asked (unticked by default).
    await page.waitForSelector('[data-testid="watch-existing"]')
    expect(await page.isChecked('[data-testid="watch-existing"]')).toBe(false)
    expect(await page.textContent('[data-testid="watch-existing-label"]')).toMatch(/^Also make videos of the images already here: 1, about \$0\.\d\d$/)
    await shot(page, 'watch-dialog-en-light')
    await page.check('[data-testid="watch-existing"]')
    await page.click('[data-testid="watch-start"]')
    await page.waitForSelector('[data-testid="watch-dialog"]', { state: 'detached' })
    await page.waitForSelector(`[data-testid="watch-folder"][data-path="${watched}"]`)
    await expect.poll(() => outcomeOf('lamp.png'), { timeout: 15_000 }).toBe('queued')
    await expect.poll(() => outcomeOf('notes.txt'), { timeout: 15_000 }).toBe('refused')
    expect(await page.textContent(row('notes.txt'))).toMatch(/Not an image/)
    expect(await page.textContent('[data-testid="watch-recipe"]')).toMatch(/A slow turntable shot of \{file\}/)
    const jobs = host.studio.engine.listJobs({})
    expect(jobs).toHaveLength(1)
    expect(jobs[0]!.spec).toMatchObject({ model: 'kling-v2-6', prompt: 'A slow turntable shot of lamp on a white floor' })
    // The job sends the copy made when the image was read, kept in the data folder.
    const copy = jobs[0]!.spec.images![0]!
    expect(copy.startsWith(join(dataDir, 'watch-images'))).toBe(true)
    expect(copy).toMatch(/\/[0-9a-f]{64}\/lamp\.png$/)
  })

  it('shows a copy of an image as a duplicate of the first, not sent again, and links each job', async () => {
    copyFileSync(join(watched, 'lamp.png'), join(watched, 'lamp copy.png'))
    await expect.poll(() => outcomeOf('lamp copy.png'), { timeout: 15_000 }).toBe('duplicate')
    expect(await page.textContent(row('lamp copy.png'))).toMatch(/the same image as lamp\.png/)
    expect(host.studio.engine.listJobs({})).toHaveLength(1)
    await page.waitForSelector(`${row('lamp.png')} [data-testid="job-state"]`)
    expect(await page.textContent('[data-testid="watch-counts"]')).toMatch(/1 sent · 1 skipped as duplicates · 1 refused/)
    await shot(page, 'watch-settings-en-light')
  })

  it('pause holds new files; resume sends those that arrived meanwhile', async () => {
    // The switch's track covers its checkbox, as a person's click does.
    await page.setChecked('[data-testid="watch-toggle"]', false, { force: true })
    await expect.poll(() => page.getAttribute('[data-testid="watch-folder"]', 'data-state')).toBe('paused')
    writeFileSync(join(watched, 'chair.png'), png(2))
    await page.waitForTimeout(1200)
    expect(await page.$(row('chair.png'))).toBeNull()
    expect(host.studio.engine.listJobs({})).toHaveLength(1)
    await shot(page, 'watch-settings-paused-en-light')
    // The switch is off (and no longer busy with the pause) before it is turned on again.
    await page.waitForSelector('[data-testid="watch-toggle"]:not(:checked):not([disabled])')
    await page.setChecked('[data-testid="watch-toggle"]', true, { force: true })
    await expect.poll(() => outcomeOf('chair.png'), { timeout: 15_000 }).toBe('queued')
    expect(host.studio.engine.listJobs({})).toHaveLength(2)
    expect(await page.getAttribute('[data-testid="watch-folder"]', 'data-state')).toBe('watching')
  })

  it('the page cannot name a folder main’s dialog did not return', async () => {
    const reply = await page.evaluate(() =>
      (window as unknown as { api: { invoke: (c: string, r: unknown) => Promise<unknown> } }).api.invoke('watch.add', { path: '/etc', recipe: { model: 'kling-v2-6', prompt: 'x' } })
    )
    expect(reply).toMatchObject({ ok: false, error: { messageCode: 'watch.folderNotChosen' } })
    expect(host.studio.watchers.list().map((f) => f.path)).toEqual([watched])
  })

  it('reads in 简体中文 and in the dark theme (both languages, both themes)', async () => {
    const looks: [string, 'en' | 'zh-CN', 'light' | 'dark'][] = [
      ['watch-settings-en-dark', 'en', 'dark'],
      ['watch-settings-zh-light', 'zh-CN', 'light'],
      ['watch-settings-zh-dark', 'zh-CN', 'dark']
    ]
    for (const [name, language, theme] of looks) {
      host.studio.push('settings.changed', host.studio.engine.updateSettings({ language, theme }))
      await page.reload()
      await page.click('[data-testid="nav-settings"]')
      await page.waitForSelector(row('notes.txt'))
      await page.$eval('#settings-watch', (el) => el.scrollIntoView({ block: 'start' }))
      if (language === 'zh-CN') {
        expect(await page.textContent('#settings-watch')).toMatch(/监视文件夹/)
        expect(await page.textContent(row('notes.txt'))).toMatch(/不是图片/)
        expect(await page.textContent(row('lamp copy.png'))).toMatch(/与 lamp\.png 是同一张图片/)
      }
      await shot(page, name)
    }
    await page.click('[data-testid="watch-add"]')
    await page.click('[data-testid="watch-choose-folder"]')
    await pickModel(page, 'kling-v2-6', 'watch-model-picker')
    await shot(page, 'watch-dialog-zh-dark')
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-testid="watch-dialog"]', { state: 'detached' })
  })

  it('removes a folder after asking; what it sent stays remembered', async () => {
    host.studio.push('settings.changed', host.studio.engine.updateSettings({ language: 'en', theme: 'light' }))
    await page.reload()
    await page.click('[data-testid="nav-settings"]')
    await page.click('[data-testid="watch-remove"]')
    await page.waitForSelector('[data-testid="watch-remove-dialog"]')
    await page.click('[data-testid="confirm-ok"]')
    await page.waitForSelector('[data-testid="watch-none"]')
    expect(host.studio.watchers.list()).toEqual([])
    // Saved while nobody watched: added again without ticking the box, it is skipped, not sent.
    writeFileSync(join(watched, 'stool.png'), png(3))
    // Added again: nothing is sent twice.
    await page.click('[data-testid="watch-add"]')
    await page.click('[data-testid="watch-choose-folder"]')
    await pickModel(page, 'kling-v2-6', 'watch-model-picker')
    await page.fill('[data-testid="watch-prompt"]', 'again {file}')
    await page.waitForSelector('[data-testid="watch-existing"]')
    expect(await page.textContent('[data-testid="watch-existing-label"]')).toMatch(/already here: 4, about/)
    await page.click('[data-testid="watch-start"]')
    await page.waitForSelector('[data-testid="watch-folder"]')
    await expect.poll(() => outcomeOf('stool.png'), { timeout: 15_000 }).toBe('skipped')
    expect(await page.textContent(row('stool.png'))).toMatch(/Already there when the folder was added/)
    // A new image after the folder was added is sent; by then the files already there were all looked at.
    writeFileSync(join(watched, 'table.png'), png(4))
    await expect.poll(() => outcomeOf('table.png'), { timeout: 15_000 }).toBe('queued')
    for (const [name, outcome] of [['lamp.png', 'queued'], ['chair.png', 'queued'], ['lamp copy.png', 'duplicate'], ['notes.txt', 'refused'], ['stool.png', 'skipped']] as const) {
      expect(await outcomeOf(name)).toBe(outcome)
    }
    expect(host.studio.engine.listJobs({}).map((j) => j.spec.prompt).sort()).toEqual(['A slow turntable shot of chair on a white floor', 'A slow turntable shot of lamp on a white floor', 'again table'])
    await shot(page, 'watch-settings-skipped-en-light')
  })
})
