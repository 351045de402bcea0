// The queue in the browser against the fake CometAPI: a click opens a job's details (task id,
// parameters, source file name, the timeline of its states), a batch sits under its header and
// "Retry all failed" sends exactly the jobs the provider failed after saying how many and what
// they cost, a retried job shows as replaced, and several rows selected take a bulk action.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { CANCELABLE_STATES, isIn } from '../../src/shared/jobStates'
import type { Host } from './host/host'
import { browserReady, dropFiles, inProcessHost, shot, tempDir, enterKey, makeImages, closeAll, openPage } from './e2e'

const skip = !browserReady()

async function startBatch(page: Page, names: string[], prompt: string): Promise<void> {
  await page.click('[data-testid="nav-batch"]')
  await dropFiles(page, names)
  await expect.poll(() => page.locator('[data-testid="batch-card"]').count(), { timeout: 15_000 }).toBe(names.length)
  await page.click('[data-testid="batch-model-picker"]')
  await page.fill('[data-testid="model-search"]', 'kling-v2-6')
  await page.click('[data-testid="model-option-kling-v2-6"]')
  await page.fill('[data-testid="batch-shared-prompt"]', prompt)
  await page.click('[data-testid="batch-create"]')
  await page.click('[data-testid="batch-confirm"]')
}

const row = (page: Page, id: string) => page.locator(`[data-testid="queue-row"][data-job-id="${id}"]`)

describe.skipIf(skip)('the queue', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  let drop: string
  const errors: string[] = []

  beforeAll(async () => {
    // Long enough that every task waits for the test to finish it.
    fake = await startFakeCometApi({ durations: { '*': 600_000 } })
    drop = tempDir('cvs-drop-')
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-queue-'), apiUrl: fake.url, dropRoot: drop, priorSeconds: 1 })
    ;({ page, close: closeBrowser } = await openPage(host.url, { width: 1440, height: 860, errors }))
    await enterKey(page)
  })

  afterAll(() => closeAll(closeBrowser, host, fake))

  it('groups a batch under its header; Retry all failed asks with the count and cost, then sends exactly the 2 the provider failed', async () => {
    const prompt = 'Four photos, two fail'
    const names = makeImages(drop, 4, 'four', 100)
    await startBatch(page, names, prompt)
    await page.click('[data-testid="nav-queue"]')
    await expect.poll(() => fake.taskIdsByPrompt(prompt).length, { timeout: 20_000 }).toBe(4)
    const tasks = fake.taskIdsByPrompt(prompt)
    fake.finishTask(tasks[0], 'failed')
    fake.finishTask(tasks[1], 'success')
    fake.finishTask(tasks[2], 'failed')
    fake.finishTask(tasks[3], 'success')
    const header = page.locator('[data-testid="queue-batch"]').first()
    await expect.poll(() => header.locator('[data-testid="batch-done"]').textContent(), { timeout: 30_000 }).toBe('2/4 done')
    await expect.poll(() => header.getAttribute('data-state'), { timeout: 10_000 }).toBe('failed')
    expect(await header.locator('[data-testid="batch-cost"]').textContent()).toMatch(/\$[\d.]+ billed so far/)
    await shot(page, 'queue-batch-failed')

    const jobs = host.studio.engine.listJobs().filter((j) => j.spec.prompt === prompt)
    const failed = jobs.filter((j) => j.state === 'failed')
    expect(failed).toHaveLength(2)
    const cost = failed.reduce((a, j) => a + (j.estimatedCost ?? 0), 0)
    const before = fake.creates().length

    await header.locator('[data-testid="batch-retry-failed"]').click()
    const dialog = page.locator('[data-testid="retry-many-dialog"]')
    await dialog.waitFor()
    const text = (await dialog.textContent()) ?? ''
    expect(text).toContain('these 2 failed jobs')
    expect(text).toContain(`about $${cost.toFixed(2)}`)
    await shot(page, 'queue-retry-all-failed-dialog')
    // Nothing is sent before the person says yes.
    expect(fake.creates().length).toBe(before)
    await page.click('[data-testid="confirm-ok"]')
    await expect.poll(() => fake.creates().length, { timeout: 20_000 }).toBe(before + 2)

    // The failed ones are replaced now: no second Retry, not counted under Failed, and the header has no Retry all failed.
    for (const j of failed) {
      await expect.poll(() => row(page, j.id).getAttribute('data-replaced'), { timeout: 10_000 }).toBe('true')
      expect(await row(page, j.id).locator('[data-testid="job-retry"]').count()).toBe(0)
    }
    expect(await page.textContent('[data-testid="queue-filter-failed"]')).toMatch(/Failed\s*0/)
    expect(await header.locator('[data-testid="batch-retry-failed"]').count()).toBe(0)
    expect(await header.locator('[data-testid="batch-done"]').textContent()).toBe('2/4 done')
    await shot(page, 'queue-batch-replaced')
    await page.waitForTimeout(500)
    expect(fake.creates().length).toBe(before + 2)

    // "Open in library" lists this batch's videos only (the two made, and the two retries once made).
    for (const id of fake.taskIdsByPrompt(prompt).slice(4)) fake.finishTask(id, 'success')
    await expect.poll(() => header.locator('[data-testid="batch-done"]').textContent(), { timeout: 30_000 }).toBe('4/4 done')
    await header.locator('[data-testid="batch-open-library"]').click()
    await page.waitForSelector('[data-testid="library-batch-filter"]')
    await expect.poll(() => page.locator('[data-testid="library-card"]').count(), { timeout: 10_000 }).toBe(4)
    const everything = (await host.studio.engine.library.list({})).total
    await shot(page, 'library-one-batch')
    await page.click('[data-testid="library-batch-filter-clear"]')
    await expect.poll(() => page.locator('[data-testid="library-card"]').count(), { timeout: 10_000 }).toBe(Math.min(everything, 12))
    await page.click('[data-testid="nav-queue"]')
  })

  it('a click on a row opens its details: task id, parameters, the source file name and the timeline of its states', async () => {
    const done = host.studio.engine.listJobs().find((j) => j.spec.prompt === 'Four photos, two fail' && j.state === 'completed')!
    expect(done).toBeTruthy()
    await row(page, done.id).locator('.queue-prompt').click()
    const panel = page.locator('[data-testid="job-details"]')
    await panel.waitFor()
    expect(await panel.getAttribute('data-job-id')).toBe(done.id)
    expect(await row(page, done.id).getAttribute('aria-selected')).toBe('true')
    expect(await panel.locator('[data-testid="job-details-task-id"]').textContent()).toBe(done.remoteId)
    expect(done.spec.seconds).toBeGreaterThan(0)
    expect(await panel.locator('[data-testid="job-details-params"]').textContent()).toContain(`Length${done.spec.seconds} s`)
    expect(await panel.locator('[data-testid="job-details-sources"]').textContent()).toMatch(/^four-0\d\.png$/)
    await expect.poll(() => panel.locator('[data-testid="timeline-entry"]').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2)
    const states = await panel.locator('[data-testid="timeline-entry"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))
    expect(states[0]).toBe('queued')
    expect(states.at(-1)).toBe('completed')
    expect(await panel.locator('[data-testid="job-details-billing"]').textContent()).toMatch(/^Billed \$/)
    await shot(page, 'queue-details')

    // A failed job that was retried says so, and leads to its retry.
    const replaced = host.studio.engine.listJobs().find((j) => j.spec.prompt === 'Four photos, two fail' && j.state === 'failed')!
    const retry = host.studio.engine.listJobs().find((j) => j.parentId === replaced.id && j.lineage === 'retry')!
    await row(page, replaced.id).locator('.queue-prompt').click()
    await expect.poll(() => panel.getAttribute('data-job-id')).toBe(replaced.id)
    expect(await panel.locator('[data-testid="job-details-error"]').textContent()).toContain('could not make this video')
    await panel.locator('[data-testid="job-details-show-retry"]').click()
    await expect.poll(() => panel.getAttribute('data-job-id')).toBe(retry.id)
    await row(page, done.id).locator('.queue-prompt').click()

    // The search finds it by its source file name.
    const source = (await panel.locator('[data-testid="job-details-sources"]').textContent())!
    await page.fill('[data-testid="queue-search"]', source)
    await expect.poll(() => page.locator('[data-testid="queue-row"]').count()).toBe(1)
    expect(await page.locator('[data-testid="queue-row"]').getAttribute('data-job-id')).toBe(done.id)
    await page.fill('[data-testid="queue-search"]', '')
    // Escape (not in the search box) closes it.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.keyboard.press('Escape')
    await expect.poll(() => panel.count()).toBe(0)
  })

  it('selects several rows (click, shift-click, Ctrl-click, Ctrl+A), and cancels the ones allowed at once', async () => {
    const prompt = 'Three to select'
    const names = makeImages(drop, 3, 'sel', 150)
    await startBatch(page, names, prompt)
    await page.click('[data-testid="nav-queue"]')
    await expect.poll(() => fake.taskIdsByPrompt(prompt).length, { timeout: 20_000 }).toBe(3)
    const ids = host.studio.engine
      .listJobs({ order: 'desc' })
      .filter((j) => j.spec.prompt === prompt)
      .map((j) => j.id)
    const all = host.studio.engine.listJobs()
    const cancelable = all.filter((j) => isIn(CANCELABLE_STATES, j.state)).length
    await expect.poll(() => page.locator('[data-testid="queue-row"][data-job-id]').count()).toBe(all.length)
    const shownOrder = await page.locator('[data-testid="queue-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id')))
    const mine = shownOrder.filter((id): id is string => id !== null && ids.includes(id))
    expect(mine).toHaveLength(3)

    await row(page, mine[0]).locator('.queue-prompt').click()
    await row(page, mine[2]).locator('.queue-prompt').click({ modifiers: ['Shift'] })
    const bulk = page.locator('[data-testid="bulk-panel"]')
    await bulk.waitFor()
    expect(await bulk.locator('[data-testid="bulk-count"]').textContent()).toBe('3 jobs selected')
    await row(page, mine[1]).locator('.queue-prompt').click({ modifiers: ['Control'] })
    expect(await bulk.locator('[data-testid="bulk-count"]').textContent()).toBe('2 jobs selected')
    await row(page, mine[1]).locator('.queue-prompt').click({ modifiers: ['Control'] })
    expect(await bulk.locator('[data-testid="bulk-count"]').textContent()).toBe('3 jobs selected')
    await shot(page, 'queue-multi-select')

    // Ctrl+A: every row shown; only those still running can be canceled, and none retried (the failed were replaced).
    await page.keyboard.press('Control+a')
    expect(await bulk.locator('[data-testid="bulk-count"]').textContent()).toBe(`${all.length} jobs selected`)
    expect(await bulk.locator('[data-testid="bulk-cancel"]').textContent()).toBe(`Cancel (${cancelable})`)
    expect(await bulk.locator('[data-testid="bulk-retry"]').count()).toBe(0)
    await page.keyboard.press('Escape')
    await expect.poll(() => bulk.count()).toBe(0)

    // Not while typing: Ctrl+A in the search box selects its text, not the rows.
    await page.fill('[data-testid="queue-search"]', 'x')
    await page.focus('[data-testid="queue-search"]')
    await page.keyboard.press('Control+a')
    expect(await bulk.count()).toBe(0)
    await page.fill('[data-testid="queue-search"]', '')

    await row(page, mine[0]).locator('.queue-prompt').click()
    await row(page, mine[2]).locator('.queue-prompt').click({ modifiers: ['Shift'] })
    await bulk.locator('[data-testid="bulk-cancel"]').click()
    const dialog = page.locator('[data-testid="cancel-many-dialog"]')
    await dialog.waitFor()
    expect(await dialog.textContent()).toMatch(/Cancel these 3 jobs\?.*may still finish and bill them/s)
    await page.click('[data-testid="confirm-ok"]')
    for (const id of mine) await expect.poll(() => row(page, id).getAttribute('data-state'), { timeout: 10_000 }).toBe('canceled')
    expect(ids.map((id) => host.studio.engine.getJob(id)!.state)).toEqual(['canceled', 'canceled', 'canceled'])
  })

  it('looks right in 简体中文 and dark', async () => {
    const useSettings = async (patch: { language: 'en' | 'zh-CN'; theme: 'light' | 'dark' }): Promise<void> => {
      await host.studio.engine.updateSettings(patch)
      host.studio.push('settings.changed', host.studio.engine.settings)
      await page.reload()
      await page.waitForSelector('[data-testid="nav-queue"]')
    }
    const done = host.studio.engine.listJobs().find((j) => j.spec.prompt === 'Four photos, two fail' && j.state === 'completed')!
    for (const [language, theme] of [['en', 'dark'], ['zh-CN', 'light'], ['zh-CN', 'dark']] as const) {
      await useSettings({ language, theme })
      await page.click('[data-testid="nav-queue"]')
      await row(page, done.id).locator('.queue-prompt').click()
      await page.locator('[data-testid="timeline-entry"]').first().waitFor()
      if (language === 'zh-CN') expect(await page.textContent('[data-testid="job-details"]')).toContain('任务 ID')
      await shot(page, `queue-details-${language}-${theme}`)
      await page.keyboard.press('Escape')
    }
    await useSettings({ language: 'en', theme: 'light' })
  })

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
