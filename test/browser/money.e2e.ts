// Every cent accounted for, as a person sees it in the queue (Debian's Chromium, the real services in
// the test host, the fake CometAPI): a job survives odd poll answers and finishes; a made video whose
// download failed is fetched again by Retry download with no second charge; creates that timed out
// at the gateway wait for the person's decision — for a whole batch at once — instead of being sent twice.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobSpec } from '../../src/shared/jobs'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, inProcessHost, launch, shot, tempDir } from './e2e'

const skip = !browserReady()

describe.skipIf(skip)('money in the queue', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  const errors: string[] = []

  const create = async (specs: JobSpec[]): Promise<string[]> => {
    const r = await host.studio.engine.createJobs({ specs })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    return r.jobs.map((j) => j.id)
  }
  const row = (id: string): ReturnType<Page['locator']> => page.locator(`[data-testid="queue-row"][data-job-id="${id}"]`)

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 1500 } })
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-money-'), apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), priorSeconds: 1, envKey: 'sk-test-good' })
    const b = await launch()
    closeBrowser = b.close
    page = await b.browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(host.url)
    await page.waitForSelector('[data-testid="compose-screen"]', { timeout: 15_000 })
    await page.click('[data-testid="nav-queue"]')
  })

  afterAll(async () => {
    await closeBrowser?.()
    await host?.close()
    await fake?.close()
  })

  it('a job whose polls are answered oddly keeps going and finishes; the row says it was billed', async () => {
    fake.injectOnce({ kind: 'poll', fault: 'error200', count: 3 })
    const [id] = await create([{ model: 'sora-2', prompt: 'odd answers in the browser', seconds: 4, size: '1280x720' }])
    await expect.poll(() => row(id).getAttribute('data-state'), { timeout: 30_000 }).toBe('completed')
    expect(await row(id).locator('[data-testid="job-billed"]').count()).toBe(1)
    expect(fake.createCountsByPrompt().get('odd answers in the browser')).toBe(1)
  })

  it('a made video whose download failed waits as "made, not downloaded"; Retry download gets it with no second charge', async () => {
    fake.setOptions({ resultUrlTtlMs: -60_000 })
    const [id] = await create([{ model: 'kling-v2-6', prompt: 'download fails in the browser', seconds: 5, aspectRatio: '16:9' }])
    await expect.poll(() => row(id).getAttribute('data-state'), { timeout: 30_000 }).toBe('download_failed')
    expect(await row(id).locator('[data-testid="job-line"]').textContent()).toMatch(/Retry download fetches it again at no extra cost/)
    expect(await row(id).locator('[data-testid="job-retry"]').count()).toBe(0)
    await shot(page, 'queue-download-failed')
    fake.setOptions({ resultUrlTtlMs: 60_000 })
    await row(id).locator('[data-testid="job-retry-download"]').click()
    await expect.poll(() => row(id).getAttribute('data-state'), { timeout: 30_000 }).toBe('completed')
    expect(fake.createCountsByPrompt().get('download fails in the browser')).toBe(1)
  })

  it('creates that timed out at the gateway wait for the person; a whole batch is dismissed in one step, none sent twice', async () => {
    fake.injectOnce({ kind: 'create', fault: 'create-then-524', count: 2 })
    const ids = await create([0, 1].map((i) => ({ model: 'sora-2', prompt: `gateway timeout ${i}`, seconds: 4, size: '1280x720' })))
    for (const id of ids) await expect.poll(() => row(id).getAttribute('data-state'), { timeout: 30_000 }).toBe('needs_decision')
    const bar = page.locator('[data-testid="undecided-batch"]')
    await bar.waitFor({ timeout: 10_000 })
    expect(await bar.textContent()).toMatch(/2 jobs of one batch need your decision.*about \$0\.64/s)
    await shot(page, 'queue-undecided-batch')
    await bar.locator('[data-testid="batch-dismiss"]').click()
    await page.waitForSelector('[data-testid="batch-decide-dialog"]')
    await page.click('[data-testid="confirm-ok"]')
    for (const id of ids) await expect.poll(() => row(id).getAttribute('data-state'), { timeout: 10_000 }).toBe('canceled')
    for (const i of [0, 1]) expect(fake.createCountsByPrompt().get(`gateway timeout ${i}`)).toBe(1)
    expect(fake.log.filter((e) => e.kind === 'create' && e.prompt?.startsWith('gateway timeout'))).toHaveLength(2)
  })

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
