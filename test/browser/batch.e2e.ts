// Batches in the browser: 12 dropped images become 12 jobs that all reach the library; a job the
// provider failed shows its message and retry (a new paid job) works; the host is killed mid-batch
// and nothing is lost or paid twice.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { solidPng } from '../helpers/png'
import type { Host } from './host/host'
import { dropFiles, browserReady, hostProcess, inProcessHost, launch, shot, tempDir, enterKey, makeImages, pickModel } from './e2e'

const skip = !browserReady()

/** `n` landscape 1280×720 and `n` portrait 720×1280 PNGs, interleaved, all distinct. */
function makeMixed(dir: string, n: number, prefix: string): string[] {
  mkdirSync(dir, { recursive: true })
  return Array.from({ length: n }, (_, i) => {
    const wide = `${prefix}-wide-${i + 1}.png`
    const tall = `${prefix}-tall-${i + 1}.png`
    writeFileSync(join(dir, wide), solidPng(1280, 720, [(i * 40 + 10) % 256, 90, (i * 70) % 256]))
    writeFileSync(join(dir, tall), solidPng(720, 1280, [(i * 40 + 20) % 256, 160, (i * 70 + 5) % 256]))
    return [wide, tall]
  }).flat()
}

/** Drops `names` on the Batch screen and waits for all their cards. */
async function dropIntoBatch(page: Page, names: string[]): Promise<void> {
  await page.click('[data-testid="nav-batch"]')
  await dropFiles(page, names)
  await expect.poll(() => page.locator('[data-testid="batch-card"]').count(), { timeout: 15_000 }).toBe(names.length)
}

/** A Sora batch of `pairs` landscape + portrait images with one shared prompt. */
async function startSoraBatch(page: Page, dir: string, prefix: string, pairs: number, prompt: string): Promise<void> {
  await dropIntoBatch(page, makeMixed(dir, pairs, prefix))
  await pickModel(page, 'sora-2', 'batch-model-picker')
  await page.fill('[data-testid="batch-shared-prompt"]', prompt)
}

/** Opens the confirm dialog, checks the sizes it lists, confirms, and returns the sizes the fake was sent. */
async function confirmSizes(page: Page, fake: FakeCometApi, prompt: string, listed: string, count: number): Promise<string[]> {
  await page.click('[data-testid="batch-create"]')
  await page.waitForSelector('[data-testid="batch-confirm"]')
  expect(await page.textContent('[data-testid="batch-confirm-sizes"]')).toBe(listed)
  await page.click('[data-testid="batch-confirm"]')
  await expect.poll(() => fake.taskIdsByPrompt(prompt).length, { timeout: 15_000 }).toBe(count)
  return [...fake.tasks.values()].filter((t) => t.prompt === prompt).map((t) => String(t.params.size)).sort()
}

async function makeBatch(page: Page, names: string[], model: string, prompt: string): Promise<void> {
  await dropIntoBatch(page, names)
  await pickModel(page, model, 'batch-model-picker')
  await page.fill('[data-testid="batch-shared-prompt"]', prompt)
  await expect.poll(() => page.textContent('[data-testid="batch-summary"]')).toContain(String(names.length))
  await shot(page, `batch-${model}`)
  await page.click('[data-testid="batch-create"]')
  await page.waitForSelector('[data-testid="batch-confirm"]')
  await shot(page, 'batch-confirm')
  await page.click('[data-testid="batch-confirm"]')
}

async function countRows(page: Page, state: string): Promise<number> {
  return page.locator(`[data-testid="queue-row"][data-state="${state}"]`).count()
}

describe.skipIf(skip)('batch drag-and-drop', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  let drop: string

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 1200 } })
    drop = tempDir('cvs-drop-')
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-'), apiUrl: fake.url, dropRoot: drop, priorSeconds: 1 })
    const b = await launch()
    closeBrowser = b.close
    page = await b.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(host.url)
    await enterKey(page)
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
    await fake?.close()
  })

  it('turns 12 dropped images into 12 jobs that all complete and all appear in the library', async () => {
    const names = makeImages(drop, 12)
    await makeBatch(page, names, 'kling-v2-6', 'The photo slowly comes alive')
    await page.click('[data-testid="nav-queue"]')
    await expect.poll(() => countRows(page, 'completed'), { timeout: 90_000 }).toBe(12)
    await shot(page, 'batch-queue-done')
    expect(fake.creates()).toHaveLength(12)
    await page.click('[data-testid="nav-library"]')
    await expect.poll(() => page.locator('[data-testid="library-card"]').count(), { timeout: 10_000 }).toBe(12)
    await page.waitForTimeout(1500)
    await shot(page, 'batch-library')
  })

  it('sends a Sora batch of landscape and portrait images in one go, each at the size of its own orientation', async () => {
    const prompt = 'Mixed orientations, one go'
    await startSoraBatch(page, drop, 'mixed', 4, prompt)
    await expect.poll(() => page.locator('[data-testid="batch-card"][data-status="ready"]').count(), { timeout: 10_000 }).toBe(8)
    expect(await page.locator('[data-testid="batch-size"] [aria-checked="true"]').textContent()).toBe('Match each image')
    await shot(page, 'batch-sora-mixed')
    expect(await page.textContent('[data-testid="batch-total"]')).toBe('$2.56')
    const sizes = await confirmSizes(page, fake, prompt, 'Sizes: 4 × 1280×720, 4 × 720×1280', 8)
    expect(sizes).toEqual(['1280x720', '1280x720', '1280x720', '1280x720', '720x1280', '720x1280', '720x1280', '720x1280'])
    expect(await page.locator('[data-testid="batch-card"]').count()).toBe(0)
  })

  it('with one Size for all, crops the other orientation to it (all at once, or one card at the position chosen in its preview) and sends all 8', async () => {
    const prompt = 'Everything landscape'
    await startSoraBatch(page, drop, 'onesize', 4, prompt)
    await page.click('[data-testid="batch-size"] [data-value="1280x720"]')
    await expect.poll(() => page.locator('[data-testid="batch-card"][data-status="problem"]').count()).toBe(4)
    // Each card that needs it has a fix to the chosen Size; its preview shows the frame kept.
    const first = page.locator('[data-testid="batch-card"][data-status="problem"]').first()
    expect(await first.locator('[data-testid="batch-fix"]').textContent()).toBe('Resize/crop to 1280×720')
    await first.locator('[data-testid="batch-fix"]').click()
    await page.waitForSelector('[data-testid="batch-fix-dialog"]')
    await page.click('[data-testid="batch-fix-position"] [data-value="start"]')
    expect(await page.textContent('[data-testid="batch-fix-position"] [aria-checked="true"]')).toBe('Top')
    const frame = await page.locator('[data-testid="batch-fix-frame"]').evaluate((el) => ({ top: (el as HTMLElement).style.top, height: (el as HTMLElement).style.height }))
    expect(frame.top).toBe('0%')
    expect(parseFloat(frame.height)).toBeCloseTo(31.6, 0)
    await page.waitForTimeout(300) // the frame glides to its new place
    await shot(page, 'batch-fix-preview')
    await page.click('[data-testid="batch-fix-apply"]')
    await expect.poll(() => page.locator('[data-testid="batch-card"][data-status="problem"]').count(), { timeout: 10_000 }).toBe(3)
    // The rest in one go.
    await page.click('[data-testid="batch-fix-all"]')
    await expect.poll(() => page.locator('[data-testid="batch-card"][data-status="ready"]').count(), { timeout: 20_000 }).toBe(8)
    expect(new Set(await confirmSizes(page, fake, prompt, 'Sizes: 8 × 1280×720', 8))).toEqual(new Set(['1280x720']))
  })

  it('a create the engine refuses says so, sends nothing and marks the card, instead of closing in silence', async () => {
    await startSoraBatch(page, drop, 'refused', 1, 'Refused at create')
    await page.click('[data-testid="batch-size"] >> text=Match each image')
    await expect.poll(() => page.locator('[data-testid="batch-card"][data-status="ready"]').count()).toBe(2)
    // The tall image is replaced behind the app's back by a wide one: only the engine can see it.
    writeFileSync(join(drop, 'refused-tall-1.png'), solidPng(1280, 720, [5, 6, 7]))
    await page.click('[data-testid="batch-create"]')
    await page.click('[data-testid="batch-confirm"]')
    const toast = page.locator('[data-testid="toast-error"]', { hasText: 'Nothing was sent' })
    await toast.waitFor({ state: 'visible', timeout: 10_000 })
    expect(await toast.textContent()).toMatch(/Nothing was sent: 1 image needs a fix first/)
    expect(fake.taskIdsByPrompt('Refused at create')).toHaveLength(0)
    const refused = page.locator('[data-testid="batch-card"][data-status="problem"]')
    await expect.poll(() => refused.count()).toBe(1)
    await page.waitForTimeout(400) // the toast fades in
    await shot(page, 'batch-refused')
    await page.click('[data-testid="batch-clear"]')
  })

  it('says the same in 简体中文 (dark): the per-image size, the crop preview and its positions', async () => {
    const useSettings = async (patch: { language: 'en' | 'zh-CN'; theme: 'light' | 'dark' }): Promise<void> => {
      await host.studio.engine.updateSettings(patch)
      host.studio.push('settings.changed', host.studio.engine.settings)
      await page.reload()
      await page.waitForSelector('[data-testid="nav-batch"]')
    }
    await useSettings({ language: 'zh-CN', theme: 'dark' })
    try {
      await startSoraBatch(page, drop, 'zh', 2, '海边的日落')
      await page.click('[data-testid="batch-size"] >> text=按每张图片')
      await expect.poll(() => page.locator('[data-testid="batch-card"][data-status="ready"]').count()).toBe(4)
      await shot(page, 'batch-sora-mixed-zh-dark')
      await page.click('[data-testid="batch-size"] [data-value="720x1280"]')
      await expect.poll(() => page.locator('[data-testid="batch-card"][data-status="problem"]').count()).toBe(2)
      expect(await page.textContent('[data-testid="batch-fix-all"]')).toBe('全部缩放裁剪（2 张）')
      await page.locator('[data-testid="batch-fix"]').first().click()
      await page.waitForSelector('[data-testid="batch-fix-dialog"]')
      expect(await page.textContent('[data-testid="batch-fix-position"]')).toBe('左侧居中右侧')
      await page.waitForTimeout(300)
      await shot(page, 'batch-fix-preview-zh-dark')
      await page.keyboard.press('Escape')
      await page.click('[data-testid="batch-clear"]')
    } finally {
      await useSettings({ language: 'en', theme: 'light' })
    }
  })

  it('notices the same image dropped twice and lists files it cannot use, with the reason', async () => {
    const [first] = makeImages(drop, 1, 'again')
    writeFileSync(join(drop, 'again-copy.png'), solidPng(640, 360, [0, 0, 17]))
    writeFileSync(join(drop, 'notes.png'), Buffer.from('%PDF-1.4 not an image'))
    writeFileSync(join(drop, 'tiny.png'), solidPng(100, 100, [1, 2, 3]))
    await page.click('[data-testid="nav-batch"]')
    await dropFiles(page, [first, 'again-copy.png', 'notes.png', 'tiny.png'])
    await page.click('[data-testid="batch-model-picker"]')
    await page.fill('[data-testid="model-search"]', 'kling-v2-6')
    await page.click('[data-testid="model-option-kling-v2-6"]')
    await expect.poll(() => page.locator('[data-testid="batch-card"][data-status="duplicate"]').count(), { timeout: 10_000 }).toBe(1)
    expect(await page.textContent('[data-testid="batch-rejected"]')).toMatch(/notes\.png/)
    await expect.poll(() => page.locator('[data-testid="batch-card"][data-status="problem"]').count()).toBe(1)
    await shot(page, 'batch-problems')
    await page.click('[data-testid="batch-clear"]')
  })

  it('shows the message of a job the provider failed, and retry (a new paid job) works', async () => {
    // Long enough that the test fails the task before it would finish by itself.
    fake.setOptions({ durations: { '*': 20_000 } })
    await page.click('[data-testid="nav-compose"]')
    await pickModel(page, 'sora-2')
    await page.fill('[data-testid="prompt"]', 'A glass of water on a windowsill')
    await page.click('[data-testid="submit"]')
    await page.click('[data-testid="nav-queue"]')
    // The provider fails this task (a terminal "failed" status): only then is a new paid job right.
    await expect.poll(() => fake.taskIdsByPrompt('A glass of water on a windowsill').length, { timeout: 20_000 }).toBe(1)
    fake.finishTask(fake.taskIdsByPrompt('A glass of water on a windowsill')[0], 'failed')
    fake.setOptions({ durations: { '*': 1200 } })
    const failed = page.locator('[data-testid="queue-row"][data-state="failed"]')
    await failed.first().waitFor({ timeout: 20_000 })
    expect(await failed.first().locator('[data-testid="job-line"]').textContent()).toMatch(/could not make this video/)
    await shot(page, 'queue-failed')
    await failed.first().locator('[data-testid="job-retry"]').click()
    // A new paid job: the dialog says so, with the cost, before anything is sent.
    await page.waitForSelector('[data-testid="retry-dialog"]')
    expect(await page.textContent('[data-testid="retry-dialog"]')).toMatch(/new paid job.*billed again: about \$0\.32/s)
    await page.click('[data-testid="confirm-ok"]')
    // The queue is virtualized and holds the earlier tests' jobs too: look for this prompt's row.
    await expect.poll(() => page.locator('[data-testid="queue-row"][data-state="completed"]', { hasText: 'A glass of water on a windowsill' }).count(), { timeout: 30_000 }).toBe(1)
    expect(fake.creates().filter((e) => e.prompt === 'A glass of water on a windowsill')).toHaveLength(2)
  })
})

describe.skipIf(skip)('the app service killed mid-batch', () => {
  it('completes every job after a restart, and creates none twice', async () => {
    const fake = await startFakeCometApi({ durations: { '*': 2500 } })
    const drop = tempDir('cvs-drop-')
    const data = tempDir('cvs-e2e-kill-')
    const names = makeImages(drop, 12, 'kill')
    let host = await hostProcess({ data, api: fake.url, drop, prior: 2 })
    const port = Number(new URL(host.url).port)
    const { browser, close } = await launch()
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      await page.goto(host.url)
      await enterKey(page)
      await makeBatch(page, names, 'kling-v2-6', 'A restart in the middle')
      await page.click('[data-testid="nav-queue"]')
      // Kill it while some jobs are done and others are being sent, polled or downloaded.
      await expect.poll(() => fake.creates().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(6)
      host.child.kill('SIGKILL')
      await new Promise((r) => host.child.once('exit', r))
      await shot(page, 'kill-host-down')
      host = await hostProcess({ data, api: fake.url, drop, prior: 2, port })
      // The page reconnects and reloads, as the app window would after a restart.
      await page.waitForEvent('load', { timeout: 30_000 })
      await page.waitForSelector('[data-testid="nav-queue"]', { timeout: 30_000 })
      await page.click('[data-testid="nav-queue"]')
      await expect.poll(() => countRows(page, 'completed'), { timeout: 120_000 }).toBe(12)
      await shot(page, 'kill-host-recovered')
      const creates = fake.creates()
      expect(creates).toHaveLength(12)
      expect(new Set(creates.map((e) => e.externalId)).size).toBe(12)
    } finally {
      await close()
      host.child.kill('SIGTERM')
      await fake.close()
    }
  })
})
