// A tiny reference image gets a warning (not an error) before it is sent: compose's image slot
// and a batch card say how many times the model will scale it up; a full-size image gets none.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { solidPng } from '../helpers/png'
import type { Host } from './host/host'
import { browserReady, dropFiles, inProcessHost, shot, tempDir, closeAll, openPage } from './e2e'

const skip = !browserReady()

async function pickModel(page: Page, picker: string, model: string): Promise<void> {
  await page.click(`[data-testid="${picker}"]`)
  await page.fill('[data-testid="model-search"]', model)
  await page.click(`[data-testid="model-option-${model}"]`)
}

describe.skipIf(skip)('tiny reference images', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  const drop = tempDir('cvs-drop-')

  beforeAll(async () => {
    writeFileSync(join(drop, 'icon.png'), solidPng(40, 30, [200, 40, 40]))
    writeFileSync(join(drop, 'still.png'), solidPng(1280, 720, [40, 120, 200]))
    fake = await startFakeCometApi({ durations: { '*': 600 } })
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-'), apiUrl: fake.url, dropRoot: drop, priorSeconds: 1, envKey: 'sk-test-good' })
    ;({ page, close: closeBrowser } = await openPage(host.url))
    await page.waitForSelector('[data-testid="compose-screen"]')
  })

  afterAll(() => closeAll(closeBrowser, host, fake))

  it('compose: warns that 40×30 becomes a blurry 1280×720 video, and not for a 1280×720 image', async () => {
    await pickModel(page, 'model-picker', 'sora-2')
    await page.click('[data-testid="mode-image-to-video"]')
    await page.click('[data-testid="field-size"] [data-value="1280x720"]')
    await dropFiles(page, ['icon.png'], 'drop-compose')
    await page.waitForSelector('[data-testid="image-slot"] img')
    const warning = page.locator('[data-testid="image-upscale-warning"]')
    await expect.poll(() => warning.textContent()).toBe('40×30 will be scaled up about 32× to 1280×720: expect a blurry video.')
    // A warning, not an error: the Create button is not blocked by it.
    expect(await warning.getAttribute('role')).toBe('note')
    await shot(page, 'upscale/compose-tiny-en')

    await host.studio.engine.updateSettings({ language: 'zh-CN' })
    host.studio.push('settings.changed', host.studio.engine.settings)
    await expect.poll(() => warning.textContent()).toBe('40×30 将被放大约 32 倍到 1280×720，视频可能会很模糊。')
    await shot(page, 'upscale/compose-tiny-zh-CN')
    await host.studio.engine.updateSettings({ language: 'en' })
    host.studio.push('settings.changed', host.studio.engine.settings)

    await page.click('[data-testid="image-slot"] .image-slot-remove')
    await dropFiles(page, ['still.png'], 'drop-compose')
    await page.waitForSelector('[data-testid="image-slot"] img')
    await expect.poll(() => page.textContent('[data-testid="image-slot"] .image-slot-sub')).toBe('1280×720')
    expect(await warning.count()).toBe(0)
  })

  it('batch: the tiny image’s card warns, the full-size one does not', async () => {
    await page.click('[data-testid="nav-batch"]')
    await dropFiles(page, ['icon.png', 'still.png'])
    await expect.poll(() => page.locator('[data-testid="batch-card"]').count(), { timeout: 15_000 }).toBe(2)
    // Seedance takes any image size; its 16:9 at 720p is a 1280×720 frame.
    await pickModel(page, 'batch-model-picker', 'doubao-seedance-2-0')
    const card = (name: string) => page.locator('[data-testid="batch-card"]', { has: page.locator(`.batch-name:text-is("${name}")`) })
    await expect.poll(() => card('icon.png').locator('[data-testid="batch-upscale-warning"]').getAttribute('title')).toBe('40×30 will be scaled up about 32× to 1280×720: expect a blurry video.')
    expect(await card('still.png').locator('[data-testid="batch-upscale-warning"]').count()).toBe(0)
    // Still sendable: the tiny card counts as ready.
    expect(await card('icon.png').getAttribute('data-status')).toBe('ready')
    await shot(page, 'upscale/batch-tiny-en')

    // Beside a real problem (Kling needs at least 300 px) the warning still shows, on one line.
    await pickModel(page, 'batch-model-picker', 'kling-v2-6')
    await expect.poll(() => card('icon.png').getAttribute('data-status')).toBe('problem')
    expect(await card('icon.png').locator('[data-testid="batch-upscale-warning"]').count()).toBe(1)
    await host.studio.engine.updateSettings({ language: 'zh-CN', theme: 'dark' })
    host.studio.push('settings.changed', host.studio.engine.settings)
    await expect.poll(() => card('icon.png').locator('[data-testid="batch-upscale-warning"]').textContent()).toContain('倍')
    await shot(page, 'upscale/batch-tiny-problem-zh-CN-dark')
  })
})
