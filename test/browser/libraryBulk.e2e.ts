// A person picks several library videos (click, shift-click, Ctrl+A), favourites and tags them,
// moves two to the trash after the question, and steps through the rest in the player; in English
// and 简体中文, light and dark. Against the real services (test host), which record the OS calls.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SIDECAR_FORMAT } from '../../src/core/library/sidecar'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import type { Host } from './host/host'
import { FIXTURES, browserReady, inProcessHost, shot, tempDir, closeAll, openPage } from './e2e'

const skip = !browserReady()
const PROMPTS = ['Lantern over the harbour', 'Fox in the snow', 'Rain on a tin roof', 'Kites above the dunes', 'Night train to the coast']

describe.skipIf(skip)('library multi-select and player stepping', () => {
  let fake: FakeCometApi
  let host: Host
  let page: Page
  let closeBrowser: () => Promise<void>
  let data: string
  let exportDir: string
  const errors: string[] = []
  const cards = (): ReturnType<Page['locator']> => page.locator('[data-testid="library-card"]')
  const lib = (): Host['studio']['engine']['library'] => host.studio.engine.library

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 500 } })
    data = tempDir('cvs-e2e-bulk-')
    const root = join(data, 'library')
    mkdirSync(root, { recursive: true })
    const video = readFileSync(join(FIXTURES, 'videos/sample.mp4'))
    PROMPTS.forEach((prompt, i) => {
      const file = `clip-${i + 1}.mp4`
      writeFileSync(join(root, file), video)
      writeFileSync(join(root, `clip-${i + 1}.json`), JSON.stringify({
        format: SIDECAR_FORMAT, version: 1, id: `item-${i + 1}`, jobId: `job-${i + 1}`, file, bytes: video.length, container: 'mp4',
        model: 'sora-2', provider: 'openai-videos', prompt, sourceImages: [`photo-${i + 1}.png`], createdAt: 1_700_000_000_000 + i * 60_000, completedAt: 1_700_000_100_000 + i * 60_000
      }))
    })
    exportDir = tempDir('cvs-e2e-export-')
    writeFileSync(join(exportDir, 'clip-5.mp4'), 'someone else’s file')
    host = await inProcessHost({ dataDir: data, apiUrl: fake.url, dropRoot: tempDir('cvs-drop-'), envKey: 'sk-test-good', saveFileResult: join(data, 'my copy.mp4'), chooseFolderResult: exportDir })
    await lib().rescan()
    ;({ page, close: closeBrowser } = await openPage(host.url, { errors }))
  })

  afterAll(() => closeAll(closeBrowser, host, fake))

  it('selects three with click and shift-click, and favourites them', async () => {
    await page.click('[data-testid="nav-library"]')
    await expect.poll(() => cards().count()).toBe(5)
    // Newest first: cards 0–2 are the last three prompts.
    await cards().nth(0).hover()
    await cards().nth(0).locator('[data-testid="library-select"]').click()
    await cards().nth(2).locator('.lib-poster').click({ modifiers: ['Shift'] })
    await expect.poll(() => page.textContent('[data-testid="library-selected-count"]')).toBe('3 videos selected')
    expect(await page.locator('[data-testid="library-card"][data-selected="true"]').count()).toBe(3)
    await shot(page, 'library-select-en-light')
    await page.click('[data-testid="library-selection-favorite"]')
    await expect.poll(() => lib().list({ favorite: true }).items.map((i) => i.id).sort()).toEqual(['item-3', 'item-4', 'item-5'])
    // A plain click while selecting selects instead of playing; Escape clears.
    await cards().nth(3).locator('.lib-poster').click()
    await expect.poll(() => page.textContent('[data-testid="library-selected-count"]')).toBe('4 videos selected')
    expect(await page.locator('[data-testid="player-screen"]').count()).toBe(0)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('[data-testid="library-selection-bar"]').count()).toBe(0)
  })

  it('tags two and exports them to the folder the dialog returned, never overwriting', async () => {
    await cards().nth(0).hover()
    await cards().nth(0).locator('[data-testid="library-select"]').click()
    await cards().nth(1).locator('[data-testid="library-select"]').click()
    await page.click('[data-testid="library-selection-tag"]')
    await page.waitForSelector('[data-testid="tag-dialog"]')
    await page.fill('[data-testid="tag-dialog"] [data-testid="prompt-input"]', 'keeper, 海边')
    await page.click('[data-testid="tag-dialog"] [data-testid="prompt-ok"]')
    await expect.poll(() => lib().list({ tags: ['keeper'] }).items.map((i) => i.id).sort()).toEqual(['item-4', 'item-5'])
    expect(lib().get('item-5')?.tags).toEqual(['keeper', '海边'])
    await page.click('[data-testid="library-selection-export"]')
    // Posters (made when the host can) come along beside their video, under the same stem.
    const exported = (): string[] => readdirSync(exportDir).sort()
    await expect.poll(() => exported().filter((n) => !n.endsWith('.jpg'))).toEqual(['clip-4.json', 'clip-4.mp4', 'clip-5 (2).json', 'clip-5 (2).mp4', 'clip-5.mp4'])
    for (const poster of exported().filter((n) => n.endsWith('.jpg'))) expect(['clip-4.jpg', 'clip-5 (2).jpg']).toContain(poster)
    expect(readFileSync(join(exportDir, 'clip-5.mp4'), 'utf8')).toBe('someone else’s file')
    expect(JSON.parse(readFileSync(join(exportDir, 'clip-5 (2).json'), 'utf8'))).toMatchObject({ id: 'item-5', file: 'clip-5 (2).mp4', tags: ['keeper', '海边'] })
    await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringContaining(`Copied 2 videos with their details to ${exportDir}.`))
    await shot(page, 'library-exported-en-light')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('[data-testid="library-selection-bar"]').count()).toBe(0)
  })

  it('Ctrl+A selects all, but not while typing in the search box', async () => {
    await page.click('[data-testid="library-search"]')
    await page.keyboard.press('Control+A')
    await page.waitForTimeout(200)
    expect(await page.locator('[data-testid="library-selection-bar"]').count()).toBe(0)
    await page.locator('[data-testid="library-search"]').blur()
    await page.keyboard.press('Control+A')
    await expect.poll(() => page.textContent('[data-testid="library-selected-count"]')).toBe('5 videos selected')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('[data-testid="library-selection-bar"]').count()).toBe(0)
  })

  it('moves two to the OS trash after asking, with their sidecars', async () => {
    await cards().nth(3).hover()
    await cards().nth(3).locator('[data-testid="library-select"]').click()
    await cards().nth(4).locator('[data-testid="library-select"]').click()
    await page.click('[data-testid="library-selection-delete"]')
    await page.waitForSelector('[data-testid="delete-many-dialog"]')
    expect(await page.textContent('[data-testid="delete-many-dialog"]')).toContain('Move 2 videos to the trash?')
    await shot(page, 'library-delete-many-en-light')
    expect(host.record.trashed).toEqual([])
    await page.click('[data-testid="delete-many-dialog"] [data-testid="confirm-ok"]')
    await expect.poll(() => cards().count()).toBe(3)
    const root = join(data, 'library')
    // Each video with its sidecar and its poster, all to the trash (nothing unlinked in place).
    expect([...host.record.trashed].sort()).toEqual(['.posters/item-1.jpg', '.posters/item-2.jpg', 'clip-1.json', 'clip-1.mp4', 'clip-2.json', 'clip-2.mp4'].map((n) => join(root, n)))
    expect(lib().list({}).items.map((i) => i.id).sort()).toEqual(['item-3', 'item-4', 'item-5'])
  })

  it('finds a video by the name of the image it was made from', async () => {
    await page.fill('[data-testid="library-search"]', 'photo-4')
    await expect.poll(() => cards().count()).toBe(1)
    expect(await cards().first().textContent()).toContain('Kites above the dunes')
    await page.fill('[data-testid="library-search"]', '')
    await expect.poll(() => cards().count()).toBe(3)
  })

  it('steps to the next and previous video of the list in the player, by button and key', async () => {
    await cards().nth(0).locator('.lib-poster').click()
    await page.waitForSelector('[data-testid="player-video"]')
    await expect.poll(() => page.textContent('[data-testid="player-position"]')).toBe('1 of 3')
    expect(await page.textContent('[data-testid="player-prompt"]')).toContain('Night train')
    expect(await page.locator('[data-testid="player-previous"]').isDisabled()).toBe(true)
    await page.click('[data-testid="player-next"]')
    await expect.poll(() => page.textContent('[data-testid="player-prompt"]')).toContain('Kites above the dunes')
    expect(await page.textContent('[data-testid="player-position"]')).toBe('2 of 3')
    await page.keyboard.press('PageDown')
    await expect.poll(() => page.textContent('[data-testid="player-prompt"]')).toContain('Rain on a tin roof')
    expect(await page.locator('[data-testid="player-next"]').isDisabled()).toBe(true)
    await page.keyboard.press('Shift+P')
    await expect.poll(() => page.textContent('[data-testid="player-position"]')).toBe('2 of 3')
    await shot(page, 'player-steps-en-light')
  })

  it('saves a copy where the save dialog points, and opens the library folder', async () => {
    await page.click('[data-testid="player-save-copy"]')
    await expect.poll(() => existsSync(join(data, 'my copy.mp4'))).toBe(true)
    expect(host.record.saveDialogs).toEqual(['clip-4.mp4'])
    await page.click('[data-testid="player-open-library"]')
    await expect.poll(() => host.record.opened).toEqual([join(data, 'library')])
  })

  it('looks right in 简体中文, dark', async () => {
    host.studio.engine.updateSettings({ language: 'zh-CN', theme: 'dark' })
    host.studio.push('settings.changed', host.studio.engine.settings)
    await page.reload()
    await page.click('[data-testid="nav-library"]')
    await expect.poll(() => cards().count()).toBe(3)
    await cards().nth(0).hover()
    await cards().nth(0).locator('[data-testid="library-select"]').click()
    await cards().nth(1).locator('.lib-poster').click({ modifiers: ['Shift'] })
    await expect.poll(() => page.textContent('[data-testid="library-selected-count"]')).toBe('已选 2 个视频')
    await shot(page, 'library-select-zh-dark')
    await page.click('[data-testid="library-selection-delete"]')
    await page.waitForSelector('[data-testid="delete-many-dialog"]')
    await shot(page, 'library-delete-many-zh-dark')
    await page.click('[data-testid="delete-many-dialog"] [data-testid="confirm-cancel"]')
    await page.keyboard.press('Escape')
    await cards().nth(1).locator('.lib-poster').click()
    await page.waitForSelector('[data-testid="player-video"]')
    await expect.poll(() => page.textContent('[data-testid="player-position"]')).toBe('第 2 个，共 3 个')
    await shot(page, 'player-steps-zh-dark')
    await page.keyboard.press('?')
    await page.waitForSelector('[data-testid="help-dialog"]')
    await shot(page, 'help-zh-dark')
  })

  it('raised no page errors', () => {
    expect(errors).toEqual([])
  })
})
