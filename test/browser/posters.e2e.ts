// A finished video's poster is made when it lands (ffmpeg in the engine), so the Queue shows it at
// once: an image-to-video row shows its source image while running, then the poster of the video
// — never a grey box — and the Library is never opened (the renderer's poster maker never ran).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegPosterFrames } from '../../src/core/library/posterFrames'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { solidPng } from '../helpers/png'
import type { Host } from './host/host'
import { browserReady, dropFiles, inProcessHost, launch, shot, tempDir, closeAll, openPage } from './e2e'

const skip = !browserReady()

interface Thumb {
  kind: 'poster' | 'source' | 'other'
  src: string
  naturalWidth: number
  complete: boolean
}

async function rowThumb(page: Page, jobId: string): Promise<Thumb | null> {
  return page.evaluate((id) => {
    const img = document.querySelector<HTMLImageElement>(`[data-testid="queue-row"][data-job-id="${id}"] img.thumb`)
    if (!img) return null
    const path = new URL(img.src).pathname
    const kind = path.includes('/poster/') ? 'poster' : path.includes('/jobimage/') ? 'source' : 'other'
    return { kind, src: img.src, naturalWidth: img.naturalWidth, complete: img.complete }
  }, jobId)
}

describe.skipIf(skip)('posters made when a video lands', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  let drop: string
  const requested: string[] = []

  beforeAll(async () => {
    // The fake serves test/fixtures/videos/sample.mp4 (a real H.264 clip) as every finished video.
    fake = await startFakeCometApi({ durations: { '*': 4000 } })
    drop = tempDir('cvs-drop-')
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-'), apiUrl: fake.url, dropRoot: drop, priorSeconds: 4 })
    const b = await launch()
    closeBrowser = b.close
    page = await b.browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('request', (r) => void requested.push(r.url()))
    await page.goto(host.url)
    await page.waitForSelector('[data-testid="first-run"], [data-testid="compose-screen"]')
    if (await page.locator('[data-testid="first-run"]').count()) {
      await page.fill('[data-testid="key-input"]', 'sk-test-good')
      await page.click('[data-testid="key-save"]')
      await page.waitForSelector('[data-testid="compose-screen"]', { timeout: 15_000 })
    }
  })

  afterAll(() => closeAll(closeBrowser, host, fake))

  it('shows the source image while running, then the video’s poster, without the Library ever opened', async () => {
    writeFileSync(join(drop, 'harbour.png'), solidPng(640, 360, [200, 60, 40]))
    await page.click('[data-testid="nav-batch"]')
    await dropFiles(page, ['harbour.png'])
    await expect.poll(() => page.locator('[data-testid="batch-card"]').count(), { timeout: 15_000 }).toBe(1)
    await page.click('[data-testid="batch-model-picker"]')
    await page.fill('[data-testid="model-search"]', 'kling-v2-6')
    await page.click('[data-testid="model-option-kling-v2-6"]')
    await page.fill('[data-testid="batch-shared-prompt"]', 'The harbour lights come on')
    await page.click('[data-testid="batch-create"]')
    await page.waitForSelector('[data-testid="batch-confirm"]')
    await page.click('[data-testid="batch-confirm"]')
    await page.click('[data-testid="nav-queue"]')

    await expect.poll(() => host.studio.engine.listJobs({}).length, { timeout: 15_000 }).toBe(1)
    const jobId = host.studio.engine.listJobs({})[0].id
    // While it runs: the dropped image.
    await expect.poll(async () => (await rowThumb(page, jobId))?.kind, { timeout: 15_000 }).toBe('source')
    expect(host.studio.engine.getJob(jobId)?.state).not.toBe('completed')
    await shot(page, 'posters-queue-running')

    await expect.poll(() => host.studio.engine.getJob(jobId)?.state, { timeout: 60_000 }).toBe('completed')
    const itemId = host.studio.engine.getJob(jobId)!.libraryItemId!
    // Done: the poster ffmpeg made, served by the poster route and decoded by the page.
    await expect
      .poll(async () => {
        const t = await rowThumb(page, jobId)
        return t && t.kind === 'poster' && t.complete && t.naturalWidth > 0 ? new URL(t.src).pathname : null
      }, { timeout: 20_000 })
      .toBe(`/media/poster/${itemId}`)
    const thumb = (await rowThumb(page, jobId))!
    expect(thumb.naturalWidth).toBe(160)
    const item = host.studio.engine.library.get(itemId)!
    expect(item.poster).toBe(`.posters/${itemId}.jpg`)
    // Only the engine records the video's size and length (the renderer's poster maker does not).
    expect({ width: item.width, height: item.height }).toEqual({ width: 160, height: 90 })
    expect(item.durationS).toBeCloseTo(2, 1)
    // The Library was never opened, and the renderer never fetched the video to draw a frame.
    expect(await page.locator('[data-testid="library-screen"]').count()).toBe(0)
    expect(requested.filter((u) => new URL(u).pathname.startsWith('/media/library/'))).toEqual([])
    await shot(page, 'posters-queue-done')
  })

  it('shows the poster in 简体中文 and the dark theme too', async () => {
    host.studio.engine.updateSettings({ language: 'zh-CN', theme: 'dark' })
    host.studio.push('settings.changed', host.studio.engine.settings)
    await page.reload()
    await page.click('[data-testid="nav-queue"]')
    await page.waitForSelector('[data-testid="queue-row"]', { timeout: 15_000 })
    const jobId = host.studio.engine.listJobs({})[0].id
    await expect
      .poll(async () => {
        const t = await rowThumb(page, jobId)
        return t?.kind === 'poster' && t.complete ? t.naturalWidth : 0
      }, { timeout: 15_000 })
      .toBe(160)
    await shot(page, 'posters-queue-done-zh-dark')
    host.studio.engine.updateSettings({ language: 'en', theme: 'light' })
  })
})

describe.skipIf(skip)('posters where ffmpeg is unavailable', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  let drop: string

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 1500 } })
    drop = tempDir('cvs-drop-')
    // A packaged app without the binaries: the engine's poster port answers "unavailable".
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-'), apiUrl: fake.url, dropRoot: drop, priorSeconds: 2, posterFrames: ffmpegPosterFrames({ ffmpeg: null, ffprobe: null }) })
    ;({ page, close: closeBrowser } = await openPage(host.url))
    await page.waitForSelector('[data-testid="first-run"], [data-testid="compose-screen"]')
    if (await page.locator('[data-testid="first-run"]').count()) {
      await page.fill('[data-testid="key-input"]', 'sk-test-good')
      await page.click('[data-testid="key-save"]')
      await page.waitForSelector('[data-testid="compose-screen"]', { timeout: 15_000 })
    }
  })

  afterAll(() => closeAll(closeBrowser, host, fake))

  it('keeps the source image on a finished row until the Library makes the poster, then shows it', async () => {
    writeFileSync(join(drop, 'quay.png'), solidPng(640, 360, [40, 90, 200]))
    await page.click('[data-testid="nav-batch"]')
    await dropFiles(page, ['quay.png'])
    await expect.poll(() => page.locator('[data-testid="batch-card"]').count(), { timeout: 15_000 }).toBe(1)
    await page.click('[data-testid="batch-model-picker"]')
    await page.fill('[data-testid="model-search"]', 'kling-v2-6')
    await page.click('[data-testid="model-option-kling-v2-6"]')
    await page.fill('[data-testid="batch-shared-prompt"]', 'Boats rock at the quay')
    await page.click('[data-testid="batch-create"]')
    await page.waitForSelector('[data-testid="batch-confirm"]')
    await page.click('[data-testid="batch-confirm"]')
    await page.click('[data-testid="nav-queue"]')
    await expect.poll(() => host.studio.engine.listJobs({}).length, { timeout: 15_000 }).toBe(1)
    const jobId = host.studio.engine.listJobs({})[0].id
    await expect.poll(() => host.studio.engine.getJob(jobId)?.state, { timeout: 60_000 }).toBe('completed')
    const itemId = host.studio.engine.getJob(jobId)!.libraryItemId!
    await page.waitForSelector(`[data-testid="queue-row"][data-job-id="${jobId}"][data-state="completed"]`, { timeout: 15_000 })
    // Finished, no poster yet: the dropped image, loaded — not a grey box.
    await expect
      .poll(async () => {
        const t = await rowThumb(page, jobId)
        return t?.complete && t.naturalWidth > 0 ? t.kind : null
      }, { timeout: 15_000 })
      .toBe('source')
    expect(host.studio.engine.library.get(itemId)?.poster).toBeNull()
    expect(await page.locator('[data-testid="queue-row"] .thumb-empty').count()).toBe(0)
    await shot(page, 'posters-queue-no-ffmpeg')

    // The Library shows the card: the renderer draws the first frame and stores it as the poster.
    await page.click('[data-testid="nav-library"]')
    await expect.poll(() => host.studio.engine.library.get(itemId)?.poster ?? null, { timeout: 30_000 }).toBe(`.posters/${itemId}.jpg`)
    await page.click('[data-testid="nav-queue"]')
    await expect
      .poll(async () => {
        const t = await rowThumb(page, jobId)
        return t?.complete && t.naturalWidth > 0 ? t.kind : null
      }, { timeout: 15_000 })
      .toBe('poster')
  })
})
