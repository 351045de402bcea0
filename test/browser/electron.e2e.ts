// The real Electron app, started by Playwright — when an Electron binary is installed. Our CI
// machines cannot download it (ELECTRON_SKIP_BINARY_DOWNLOAD=1), so there this test says so and skips.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { startFakeCometApi } from '../fake-cometapi/server'
import { ROOT, shot, tempDir } from './e2e'

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

const binary = electronBinary()
const built = existsSync(join(ROOT, 'out/main/index.js'))
const reason = !binary
  ? 'no Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1); the browser suite covers the interface instead'
  : !built
    ? 'the app is not built (npm run build)'
    : ''
if (reason) console.warn(`Skipping the Electron smoke test: ${reason}.`)

describe.skipIf(!!reason)(`the desktop app (Electron)${reason ? ` — skipped: ${reason}` : ''}`, () => {
  it('starts with a secure window, shows the first-run screen and answers over the IPC contract', async () => {
    const fake = await startFakeCometApi()
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(ROOT, 'out/main/index.js'), '--no-sandbox'],
      env: { ...process.env, COMET_VIDEO_HOME: tempDir('cvs-electron-'), COMETAPI_KEY: '', ELECTRON_ENABLE_LOGGING: '1' }
    })
    try {
      const win = await app.firstWindow()
      await win.waitForSelector('[data-testid="first-run"], [data-testid="compose-screen"]', { timeout: 30_000 })
      // Isolation and no Node in the page: only the contract's `api` is visible.
      const page = await win.evaluate(() => ({
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
        api: Object.keys((window as unknown as { api: object }).api).sort()
      }))
      expect(page).toEqual({ require: 'undefined', process: 'undefined', api: ['invoke', 'mediaBase', 'on', 'pathForFile', 'startDrag'] })
      const info = await win.evaluate(() => (window as unknown as { api: { invoke: (c: string, r: unknown) => Promise<{ ok: true; value: { version: string } }> } }).api.invoke('app.info', {}).then((r) => r.value))
      expect(info.version).toBeTruthy()
      await shot(win, 'electron-first-run')
    } finally {
      await app.close()
      await fake.close()
    }
  })

  it('has the application menu with its commands, in the language setting, and a menu command navigates the page', async () => {
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(ROOT, 'out/main/index.js'), '--no-sandbox'],
      env: { ...process.env, COMET_VIDEO_HOME: tempDir('cvs-electron-menu-'), COMETAPI_KEY: 'sk-test-good', ELECTRON_ENABLE_LOGGING: '1' }
    })
    try {
      const win = await app.firstWindow()
      await win.waitForSelector('[data-testid="compose-screen"]', { timeout: 30_000 })
      const menu = () =>
        app.evaluate(({ Menu }) => {
          const m = Menu.getApplicationMenu()
          const walk = (items: Electron.MenuItem[]): { id: string; label: string; accelerator: string | null }[] =>
            items.flatMap((i) => [{ id: i.id, label: i.label, accelerator: i.accelerator ?? null }, ...(i.submenu ? walk(i.submenu.items) : [])])
          return { top: m?.items.map((i) => i.label) ?? [], items: walk(m?.items ?? []) }
        })
      const en = await menu()
      expect(en.top).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help']))
      expect(en.items.find((i) => i.id === 'newVideo')).toMatchObject({ label: 'New Video', accelerator: 'CmdOrCtrl+N' })
      expect(en.items.find((i) => i.id === 'pauseAll')).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+P' })
      // A menu command: the page shows the library.
      await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('library')?.click())
      await win.waitForSelector('[data-testid="library-screen"], .screen-library', { timeout: 10_000 })
      // "Pause all" from the menu: the engine holds new creates and the page shows the banner.
      await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('pauseAll')?.click())
      await win.waitForSelector('[data-testid="held-banner"]', { timeout: 10_000 })
      // The menu is rebuilt in 简体中文 when the language setting changes, offering Resume now.
      await win.evaluate(() => (window as unknown as { api: { invoke: (c: string, r: unknown) => Promise<unknown> } }).api.invoke('settings.update', { language: 'zh-CN' }))
      await expect.poll(async () => (await menu()).top, { timeout: 10_000 }).toEqual(expect.arrayContaining(['文件', '编辑', '视图', '窗口', '帮助']))
      expect((await menu()).items.find((i) => i.id === 'resume')).toMatchObject({ label: '继续' })
      await shot(win, 'electron-menu-paused-zh')
    } finally {
      await app.close()
    }
  })
})
