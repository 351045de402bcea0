// What a new user ran into (issue "The interface a person enjoys all day", bugs 2, 4, 5 and 6), each
// checked in the real renderer against the fake CometAPI: the Library's filters on the first visit,
// Kling's progress, the Kling prompt label, and money in the held-job message.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobSpec } from '../../src/shared/jobs'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, inProcessHost, openPage, shot, tempDir, closeAll, pickModel } from './e2e'

const skip = !browserReady()

describe.skipIf(skip)('what a new user ran into', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>

  const create = async (specs: JobSpec[]): Promise<string[]> => {
    const r = await host.studio.engine.createJobs({ specs })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    return r.jobs.map((j) => j.id)
  }
  const useSettings = async (patch: Parameters<Host['studio']['engine']['updateSettings']>[0]): Promise<void> => {
    await host.studio.engine.updateSettings(patch)
    host.studio.push('settings.changed', host.studio.engine.settings)
  }

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 1200 } })
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-new-'), apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), priorSeconds: 1, envKey: 'sk-test-good' })
    ;({ page, close: closeBrowser } = await openPage(host.url))
    await page.waitForSelector('[data-testid="compose-screen"]', { timeout: 15_000 })
  })

  afterAll(() => closeAll(closeBrowser, host, fake))

  it('the Library’s model and vendor filters list the videos made before it was first opened', async () => {
    const ids = await create([
      { model: 'sora-2', prompt: 'made before the library was opened', seconds: 4, size: '1280x720' },
      { model: 'kling-v2-6', prompt: 'also made before', seconds: 5, aspectRatio: '16:9' }
    ])
    await host.studio.engine.waitFor(ids, { signal: AbortSignal.timeout(30_000) })
    await page.waitForTimeout(500)
    await page.click('[data-testid="nav-library"]')
    await expect.poll(() => page.locator('[data-testid="library-card"]').count(), { timeout: 10_000 }).toBe(2)
    const options = async (testId: string): Promise<string[]> => page.locator(`[data-testid="${testId}"] option`).evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value).filter((v) => v !== ''))
    expect((await options('library-model-filter')).sort()).toEqual(['kling-v2-6', 'sora-2'])
    expect((await options('library-vendor-filter')).length).toBe(2)
    await shot(page, 'library-first-visit')
  })

  it('a Kling job (no progress reported) shows an indeterminate bar with the typical duration, never "0 %"; Sora shows its percent', async () => {
    fake.setOptions({ durations: { '*': 20_000 } })
    const [kling, sora] = await create([
      { model: 'kling-v2-6', prompt: 'kling at work', seconds: 5, aspectRatio: '16:9' },
      { model: 'sora-2', prompt: 'sora at work', seconds: 4, size: '1280x720' }
    ])
    await page.click('[data-testid="nav-queue"]')
    const row = (id: string): ReturnType<Page['locator']> => page.locator(`[data-testid="queue-row"][data-job-id="${id}"]`)
    await row(kling).locator('[data-testid="job-progress"]').waitFor({ timeout: 15_000 })
    await expect.poll(() => row(kling).getAttribute('data-state'), { timeout: 15_000 }).toBe('running')
    await expect.poll(() => row(sora).locator('[data-testid="job-progress-text"]').textContent(), { timeout: 15_000 }).toMatch(/^\d+%$/)
    const bar = row(kling).locator('[data-testid="job-progress"]')
    expect(await bar.getAttribute('class')).toMatch(/progress-indeterminate/)
    expect(await bar.getAttribute('aria-valuenow')).toBeNull()
    expect(await row(kling).locator('[data-testid="job-progress-text"]').textContent()).toMatch(/^usually \d+:\d\d$/)
    expect(await row(kling).locator('[data-testid="job-elapsed"]').textContent()).not.toMatch(/left/)
    await shot(page, 'queue-kling-progress')
    for (const id of [kling, sora]) fake.finishTask(fake.taskIdsByPrompt(id === kling ? 'kling at work' : 'sora at work')[0])
    fake.setOptions({ durations: { '*': 1200 } })
    await host.studio.engine.waitFor([kling, sora], { signal: AbortSignal.timeout(30_000) })
  })

  it('Kling v3 text-to-video calls its prompt required and says so before anything is sent', async () => {
    await page.click('[data-testid="nav-compose"]')
    await pickModel(page, 'kling-v3')
    if (await page.locator('[data-testid="mode-text-to-video"]').count()) await page.click('[data-testid="mode-text-to-video"]')
    const promptId = await page.getAttribute('[data-testid="prompt"]', 'id')
    expect(await page.textContent(`label[for="${promptId}"]`)).toBe('Prompt')
    await page.fill('[data-testid="prompt"]', '')
    const creates = fake.creates().length
    await page.click('[data-testid="submit"]')
    await expect.poll(() => page.locator('.field.has-error').filter({ has: page.locator('[data-testid="prompt"]') }).textContent(), { timeout: 5000 }).toMatch(/Text-to-video needs a description/)
    await page.waitForTimeout(300)
    expect(fake.creates().length).toBe(creates)
    await shot(page, 'compose-kling-v3-empty-prompt')
  })

  it('a held job says "this job" and its amounts with the currency, in English and 简体中文', async () => {
    await useSettings({ dailyBudget: 0.5 })
    await page.reload()
    await page.waitForSelector('[data-testid="compose-screen"]')
    await pickModel(page, 'sora-2')
    await page.fill('[data-testid="prompt"]', 'over the cap')
    await page.click('[data-testid="field-seconds"] [data-value="8"]')
    await page.click('[data-testid="submit"]')
    const notice = page.locator('[data-testid="held-notice"]')
    await notice.waitFor({ timeout: 10_000 })
    expect(await notice.textContent()).toMatch(/this job \(about \$0\.64\) would take today’s spend to \$\d+\.\d\d, above your daily cap of \$0\.50/)
    await shot(page, 'held-one-job')
    await useSettings({ language: 'zh-CN', theme: 'dark' })
    await page.click('[data-testid="nav-queue"]')
    const held = page.locator('[data-testid="queue-row"][data-state="held"] [data-testid="job-line"]')
    await held.first().waitFor({ timeout: 10_000 })
    expect(await held.first().textContent()).toMatch(/这个任务（约 \$0\.64）会让今天的花费达到 \$\d+\.\d\d，超过你的每日上限 \$0\.50/)
    await shot(page, 'held-one-job-zh-dark')
    await useSettings({ language: 'en', theme: 'light', dailyBudget: null })
  })
  it('Compose opens again with the model and the fields last sent, after a restart of the window', async () => {
    await page.reload()
    await page.waitForSelector('[data-testid="compose-screen"]')
    await pickModel(page, 'sora-2')
    await page.fill('[data-testid="prompt"]', 'remember my fields')
    await page.click('[data-testid="field-seconds"] [data-value="12"]')
    await page.click('[data-testid="field-size"] [data-value="720x1280"]')
    await page.click('[data-testid="submit"]')
    await expect.poll(() => fake.taskIdsByPrompt('remember my fields').length, { timeout: 10_000 }).toBe(1)
    await page.reload()
    await page.waitForSelector('[data-testid="compose-screen"]')
    await expect.poll(() => page.textContent('[data-testid="model-picker"]'), { timeout: 10_000 }).toMatch(/Sora 2/)
    expect(await page.textContent('[data-testid="field-seconds"] [aria-checked="true"]')).toBe('12 s')
    expect(await page.textContent('[data-testid="field-size"] [aria-checked="true"]')).toBe('720×1280')
    // The model list puts what was used lately right after the favourites.
    await page.click('[data-testid="model-picker"]')
    const groups = await page.locator('.picker-group').allTextContents()
    expect(groups.slice(0, 2)).toEqual(['Recently used', 'All models'])
    await shot(page, 'model-picker-recent')
    await page.keyboard.press('Escape')
  })
  it('one banner on every screen while CometAPI cannot be reached, gone when it answers again', async () => {
    fake.setOptions({ durations: { '*': 8000 } })
    const [id] = await create([{ model: 'sora-2', prompt: 'through the outage', seconds: 4, size: '1280x720' }])
    await expect.poll(() => host.studio.engine.getJob(id)?.state, { timeout: 10_000 }).toBe('running')
    await page.click('[data-testid="nav-compose"]')
    await fake.goOffline()
    const banner = page.locator('[data-testid="unreachable-banner"]')
    await banner.waitFor({ timeout: 20_000 })
    expect(await banner.textContent()).toMatch(/CometAPI cannot be reached\..*Your jobs are kept/)
    await shot(page, 'banner-unreachable')
    await page.click('[data-testid="nav-library"]')
    expect(await banner.isVisible()).toBe(true)
    await useSettings({ language: 'zh-CN', theme: 'dark' })
    await expect.poll(() => banner.textContent()).toMatch(/无法连接 CometAPI/)
    await shot(page, 'banner-unreachable-zh-dark')
    await useSettings({ language: 'en', theme: 'light' })
    await fake.goOnline()
    await banner.waitFor({ state: 'detached', timeout: 20_000 })
    fake.setOptions({ durations: { '*': 1200 } })
    await host.studio.engine.waitFor([id], { signal: AbortSignal.timeout(30_000) })
    expect(host.studio.engine.getJob(id)?.state).toBe('completed')
  })
  it('Spend says apart what was billed, what ended before CometAPI took it, and what may have reached it', async () => {
    const held = host.studio.engine.listJobs({ states: ['held'] })
    for (const j of held) host.studio.engine.cancel(j.id)
    fake.injectOnce({ kind: 'create', fault: 'create-then-524' })
    const [unsure] = await create([{ model: 'sora-2', prompt: 'answer lost at the gateway', seconds: 4, size: '1280x720' }])
    await expect.poll(() => host.studio.engine.getJob(unsure)?.state, { timeout: 20_000 }).toBe('needs_decision')
    await page.click('[data-testid="nav-spend"]')
    await page.waitForSelector('[data-testid="spend-billing"]')
    expect(await page.textContent('[data-testid="spend-not-billed"]')).toMatch(new RegExp(`^${held.length} jobs? ended before CometAPI took (it|them) \\(canceled or refused\\): not billed`))
    expect(await page.textContent('[data-testid="spend-billing-unknown"]')).toMatch(/^1 job may have reached CometAPI.*maybe billed, about \$0\.32/)
    await shot(page, 'spend-billing')
    await useSettings({ language: 'zh-CN', theme: 'dark' })
    await expect.poll(() => page.textContent('[data-testid="spend-billing-unknown"]')).toMatch(/可能已到达 CometAPI/)
    await shot(page, 'spend-billing-zh-dark')
    await useSettings({ language: 'en', theme: 'light' })
  })
})
