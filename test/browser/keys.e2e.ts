// Named keys through the real services in the test host (Debian's Chromium, the fake CometAPI): a
// person adds a team key in Settings, sends a video with it from Compose, gives it its own daily
// cap, sees today's spend per key, and removing it while a job still needs it asks first. The fake
// gives each key only its own tasks, so a job polled with the wrong key would never finish.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { browserReady, closeAll, enterKey, inProcessHost, openPage, pickModel, shot, tempDir } from './e2e'

const TEAM_KEY = 'sk-team-e2e-key-000077'
const skip = !browserReady()

describe.skipIf(skip)('named keys in the app', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 800 }, keys: ['sk-test-good', TEAM_KEY], tasksByKey: true })
    host = await inProcessHost({ dataDir: tempDir('cvs-e2e-keys-'), apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), priorSeconds: 1 })
    ;({ page, close: closeBrowser } = await openPage(host.url, { width: 1280, height: 900 }))
    await enterKey(page)
  })

  afterAll(async () => {
    await closeAll(closeBrowser, host, fake)
  })

  const teamRow = '[data-testid="key-row-Team"]'

  it('adds a team key in Settings after checking it, and refuses a name already taken', async () => {
    await page.click('[data-testid="nav-settings"]')
    await page.waitForSelector('[data-testid="keys-add"]')
    // One key: no list of keys here, and Compose shows no "Send with".
    expect(await page.locator('[data-testid="key-list"]').count()).toBe(0)
    await page.click('[data-testid="keys-add"]')
    await page.fill('[data-testid="key-name-input"]', 'Team')
    await page.fill('[data-testid="key-add"] [data-testid="key-input"]', 'sk-not-a-real-key-0000')
    await page.click('[data-testid="key-add"] [data-testid="key-save"]')
    await page.waitForSelector('[data-testid="key-add"] [data-testid="key-error"]')
    expect(await page.textContent('[data-testid="key-add"] [data-testid="key-error"]')).toMatch(/did not accept this key/)
    expect(await page.locator(teamRow).count()).toBe(0)
    await page.fill('[data-testid="key-add"] [data-testid="key-input"]', TEAM_KEY)
    await page.click('[data-testid="key-add"] [data-testid="key-save"]')
    await page.waitForSelector(teamRow)
    expect(await page.textContent(teamRow)).toMatch(/…0077, stored in/)
    expect(await page.textContent('[data-testid="key-list"]')).not.toContain(TEAM_KEY)
    await page.click('[data-testid="keys-add"]')
    await page.fill('[data-testid="key-name-input"]', 'team')
    await page.fill('[data-testid="key-add"] [data-testid="key-input"]', TEAM_KEY)
    await page.click('[data-testid="key-add"] [data-testid="key-save"]')
    await page.waitForSelector('[data-testid="key-name-error"]')
    expect(await page.textContent('[data-testid="key-name-error"]')).toMatch(/A key named “team” already exists/)
    await page.click('[data-testid="key-add-cancel"]')
    expect(await page.locator('[data-testid="key-default-badge"]').count()).toBe(1)
    expect(await page.textContent('[data-testid="key-status"]')).toMatch(/^Main: Key …good/)
    expect((await host.studio.listKeys()).map((k) => k.label)).toEqual(['Main', 'Team'])
    await page.locator('#settings-keys').scrollIntoViewIfNeeded()
    await shot(page, 'settings-keys')
  })

  it('sends from Compose with the key chosen in "Send with", and polls and downloads with it', async () => {
    await page.click('[data-testid="nav-compose"]')
    await page.waitForSelector('[data-testid="key-picker"]')
    expect(await page.$eval('[data-testid="key-picker-select"]', (el) => (el as HTMLSelectElement).selectedOptions[0].textContent)).toBe('Main (default)')
    await pickModel(page, 'sora-2')
    await page.fill('[data-testid="prompt"]', 'a lighthouse, sent with the team key')
    await page.selectOption('[data-testid="key-picker-select"]', { label: 'Team' })
    await page.click('[data-testid="submit"]')
    const team = (await host.studio.listKeys()).find((k) => k.label === 'Team')!
    await expect.poll(() => host.studio.engine.listJobs().find((j) => j.spec.prompt === 'a lighthouse, sent with the team key')?.state, { timeout: 30_000 }).toBe('completed')
    const job = host.studio.engine.listJobs().find((j) => j.spec.prompt === 'a lighthouse, sent with the team key')!
    expect(job.keyId).toBe(team.id)
    const auths = new Set(fake.log.filter((e) => (e.kind === 'create' && e.prompt === job.spec.prompt) || (e.taskId === job.remoteId && e.kind !== 'file')).map((e) => e.authorization))
    expect(auths).toEqual(new Set([`Bearer ${TEAM_KEY}`]))
    await shot(page, 'compose-send-with')
    // The queue's details say which key the job goes with.
    await page.click('[data-testid="nav-queue"]')
    await page.locator(`[data-testid="queue-row"][data-job-id="${job.id}"] .queue-prompt`).click()
    await expect.poll(() => page.locator('[data-testid="job-details-key"]').textContent()).toMatch(/Team/)
  })

  it('gives the team key its own daily cap, shows spend per key, and asks before removing a key a held job needs', async () => {
    await page.click('[data-testid="nav-settings"]')
    await page.click(`${teamRow} [data-testid="key-cap-edit"]`)
    await page.fill(`${teamRow} [data-testid="key-cap-input"]`, 'abc')
    await page.click(`${teamRow} [data-testid="key-cap-save"]`)
    expect(await page.textContent(`${teamRow} .key-cap-editor`)).toMatch(/Enter an amount/)
    await page.fill(`${teamRow} [data-testid="key-cap-input"]`, '0.01')
    await page.click(`${teamRow} [data-testid="key-cap-save"]`)
    await expect.poll(() => page.textContent(teamRow)).toMatch(/cap \$0\.01 a day/)

    // Over its cap: held, and it still needs the key.
    await page.click('[data-testid="nav-compose"]')
    await page.fill('[data-testid="prompt"]', 'held by the team cap')
    await page.selectOption('[data-testid="key-picker-select"]', { label: 'Team' })
    await page.click('[data-testid="submit"]')
    await expect.poll(() => host.studio.engine.listJobs().find((j) => j.spec.prompt === 'held by the team cap')?.state).toBe('held')
    expect(host.studio.engine.listJobs().find((j) => j.spec.prompt === 'held by the team cap')?.noteCode).toBe('held.overKeyCapOne')

    await page.click('[data-testid="nav-spend"]')
    await page.waitForSelector('[data-testid="spend-key-table"]')
    expect(await page.textContent('[data-testid="spend-key-Team"]')).toMatch(/1\s*\$[\d.]+.*\$0\.01/)
    await shot(page, 'spend-by-key')

    await page.click('[data-testid="nav-settings"]')
    await page.click(`${teamRow} [data-testid="key-remove-named"]`)
    await page.click('[data-testid="confirm-ok"]')
    // The second question is the engine's: one job still needs this key.
    await expect.poll(() => page.locator('[data-testid="confirm-ok"]').count()).toBe(1)
    expect(await page.textContent('dialog[open]')).toMatch(/1 job\(s\) sent with “Team” have not finished/)
    await page.click('[data-testid="confirm-cancel"]')
    expect((await host.studio.listKeys()).map((k) => k.label)).toEqual(['Main', 'Team'])
    await page.click(`${teamRow} [data-testid="key-remove-named"]`)
    await page.click('[data-testid="confirm-ok"]')
    await expect.poll(() => page.textContent('dialog[open]')).toMatch(/have not finished/)
    await page.click('[data-testid="confirm-ok"]')
    await expect.poll(() => page.locator(teamRow).count()).toBe(0)
    expect((await host.studio.listKeys()).map((k) => k.label)).toEqual(['Main'])
  })

  it('reads the same in 简体中文, dark', async () => {
    const team = await host.studio.addKey('团队', TEAM_KEY)
    expect(team.profile?.label).toBe('团队')
    await host.studio.engine.updateSettings({ language: 'zh-CN', theme: 'dark' })
    host.studio.push('settings.changed', host.studio.engine.settings)
    await page.reload()
    await page.click('[data-testid="nav-settings"]')
    await page.waitForSelector('[data-testid="key-row-团队"]')
    const text = await page.textContent('#settings-keys')
    expect(text).toMatch(/默认/)
    expect(text).toMatch(/设为默认/)
    await page.locator('#settings-keys').scrollIntoViewIfNeeded()
    await shot(page, 'settings-keys-zh-dark')
    await page.click('[data-testid="nav-spend"]')
    await page.waitForSelector('[data-testid="spend-key-table"]')
    expect(await page.textContent('[data-testid="spend-key-table"]')).toMatch(/今天（按密钥）/)
    await shot(page, 'spend-by-key-zh-dark')
  })
})
