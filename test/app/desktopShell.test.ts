// The desktop shell's plain-Node side: its own words in both languages, the tray, the window's
// close and quit decisions, and the application menu (what src/main hands to Electron as is).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { buildAppMenu, commandNavigation, HELP_LINKS, type AppCommand, type MenuItemSpec } from '../../src/app/appMenu'
import { MAIN_LANGS, MAIN_TEXTS, mainLanguage, placeholders, say, type MainTextKey } from '../../src/app/mainTexts'
import { isSafeExternalUrl } from '../../src/app/securityPolicy'
import { TRAY_ICON_FILES, trayIconFiles, trayModel, windowTitle } from '../../src/app/trayModel'
import { decideWindowClose, quitNotice, type CloseState } from '../../src/app/windowPolicy'
import { parseImageHeader } from '../../src/shared/imageHeader'

const ROOT = join(import.meta.dirname, '../..')

describe("the main process's own words", () => {
  it('has every sentence in English and 简体中文, with the same placeholders', () => {
    const keys = Object.keys(MAIN_TEXTS.en).sort()
    for (const lang of MAIN_LANGS) {
      expect(Object.keys(MAIN_TEXTS[lang]).sort(), lang).toEqual(keys)
      for (const key of keys as MainTextKey[]) {
        const text = MAIN_TEXTS[lang][key]
        expect(text.trim(), `${lang} ${key}`).not.toBe('')
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(MAIN_TEXTS.en[key]))
      }
    }
    // Chinese is really Chinese (not English copied over), except the app's own name.
    const copied = keys.filter((k) => MAIN_TEXTS['zh-CN'][k as MainTextKey] === MAIN_TEXTS.en[k as MainTextKey])
    expect(copied).toEqual(['tray.tooltip'])
  })

  it('follows the language setting, else the system language (Chinese variants → 简体中文), as the page does', () => {
    expect(mainLanguage('en', 'zh-CN')).toBe('en')
    expect(mainLanguage('zh-CN', 'en-US')).toBe('zh-CN')
    expect(mainLanguage('system', 'zh-TW')).toBe('zh-CN')
    expect(mainLanguage('system', 'zh')).toBe('zh-CN')
    expect(mainLanguage('system', 'de-DE')).toBe('en')
    expect(mainLanguage(null, null)).toBe('en')
  })

  it('fills placeholders and picks the plural by count', () => {
    expect(say('en', 'tray.active', { count: 1 })).toBe('1 video in progress')
    expect(say('en', 'tray.active', { count: 3 })).toBe('3 videos in progress')
    expect(say('zh-CN', 'tray.active', { count: 3 })).toBe('3 个视频进行中')
    expect(say('en', 'notify.resumeNextTimeBody', { count: 2 })).toBe('2 videos were still being made. Nothing is lost or sent again: they continue when you open Comet Video Studio.')
    // A missing value stays visible rather than vanishing.
    expect(say('en', 'notify.videoReady')).toBe('Video ready — {model}')
  })
})

describe('the tray', () => {
  it('shows how many videos are being made, in the tooltip and (macOS) the title', () => {
    const busy = trayModel({ lang: 'en', active: 3, paused: false })
    expect(busy.tooltip).toBe('Comet Video Studio — 3 videos in progress')
    expect(busy.title).toBe('3')
    const idle = trayModel({ lang: 'en', active: 0, paused: false })
    expect(idle.tooltip).toBe('Comet Video Studio — Nothing in progress')
    expect(idle.title).toBe('')
    expect(trayModel({ lang: 'zh-CN', active: 2, paused: true }).tooltip).toBe('Comet Video Studio — 2 个视频进行中 · 已暂停发送新视频')
  })

  it('offers Show window, Pause all / Resume (whichever applies) and Quit', () => {
    const commands = (paused: boolean, lang: 'en' | 'zh-CN' = 'en') =>
      trayModel({ lang, active: 1, paused }).items.flatMap((i) => (i.type === 'command' ? [`${i.command}:${i.label}:${i.enabled ? 'on' : 'off'}`] : []))
    expect(commands(false)).toEqual(['showWindow:Show Window:on', 'pauseAll:Pause All:on', 'resume:Resume:off', 'quit:Quit Comet Video Studio:on'])
    expect(commands(true)).toEqual(['showWindow:Show Window:on', 'pauseAll:Pause All:off', 'resume:Resume:on', 'quit:Quit Comet Video Studio:on'])
    expect(commands(true, 'zh-CN')).toEqual(['showWindow:显示窗口:on', 'pauseAll:全部暂停:off', 'resume:继续:on', 'quit:退出 Comet Video Studio:on'])
    const status = trayModel({ lang: 'en', active: 1, paused: true }).items[0]
    expect(status).toEqual({ type: 'status', label: '1 video in progress · New videos paused' })
  })

  it('titles the window with the count while videos are being made', () => {
    expect(windowTitle('en', 0)).toBe('Comet Video Studio')
    expect(windowTitle('en', 1)).toBe('Comet Video Studio — 1 video in progress')
    expect(windowTitle('zh-CN', 4)).toBe('Comet Video Studio — 4 个视频进行中')
  })

  it('has its icons committed at the sizes each platform takes (a black template on macOS)', () => {
    const size = (file: string) => {
      const h = parseImageHeader(new Uint8Array(readFileSync(join(ROOT, 'resources/tray', file))))
      return `${h?.type}:${h?.width}x${h?.height}`
    }
    for (const file of TRAY_ICON_FILES) expect(existsSync(join(ROOT, 'resources/tray', file)), file).toBe(true)
    expect(TRAY_ICON_FILES.map(size)).toEqual(['png:16x16', 'png:32x32', 'png:16x16', 'png:32x32'])
    expect(trayIconFiles('darwin')).toEqual({ images: [{ scale: 1, file: 'trayTemplate-16.png' }, { scale: 2, file: 'trayTemplate-32.png' }], template: true })
    expect(trayIconFiles('win32').template).toBe(false)
    expect(trayIconFiles('linux').images).toEqual([{ scale: 1, file: 'tray-32.png' }])
    const drag = parseImageHeader(new Uint8Array(readFileSync(join(ROOT, 'resources/drag-icon.png'))))
    expect([drag?.width, drag?.height]).toEqual([64, 64])
  })

  it('ships them: the main process finds them next to its bundle (electron-vite ?asset), and the package includes resources/', () => {
    const config = JSON.parse(readFileSync(join(ROOT, 'build/electron-builder.json'), 'utf8')) as { files: string[] }
    expect(config.files).toContain('resources/**/*')
    // Where the built main looks for them (out/main/index.js → ../../resources/…): the same files.
    const desktop = readFileSync(join(ROOT, 'src/main/desktop.ts'), 'utf8')
    const imported = [...desktop.matchAll(/from '\.\.\/\.\.\/(resources\/[^']+)\?asset'/g)].map((m) => m[1]).sort()
    expect(imported).toEqual(['resources/drag-icon.png', ...TRAY_ICON_FILES.map((f) => `resources/tray/${f}`)].sort())
    for (const file of imported) expect(existsSync(join(ROOT, file)), file).toBe(true)
  })
})

describe('closing the window and quitting', () => {
  const base: CloseState = { platform: 'win32', quitting: false, active: 2, keepRunningInTray: true, trayShown: true, toldAboutTray: false, notifications: true, lang: 'en' }

  it('hides to the tray while videos are being made, saying so the first time', () => {
    expect(decideWindowClose(base)).toEqual({
      action: 'hide',
      notice: { title: 'Still working in the background', body: '2 videos are still being made. Comet Video Studio keeps working from the tray; open it there to see them.' }
    })
    expect(decideWindowClose({ ...base, toldAboutTray: true })).toEqual({ action: 'hide', notice: null })
    expect(decideWindowClose({ ...base, notifications: false })).toEqual({ action: 'hide', notice: null })
    expect(decideWindowClose({ ...base, platform: 'linux', lang: 'zh-CN' })).toMatchObject({ action: 'hide', notice: { title: '仍在后台工作' } })
  })

  it('closes when nothing is working, the setting is off, there is no tray, or the app is quitting', () => {
    expect(decideWindowClose({ ...base, active: 0 })).toEqual({ action: 'close' })
    expect(decideWindowClose({ ...base, keepRunningInTray: false })).toEqual({ action: 'close' })
    expect(decideWindowClose({ ...base, trayShown: false })).toEqual({ action: 'close' })
    expect(decideWindowClose({ ...base, quitting: true })).toEqual({ action: 'close' })
  })

  it('on macOS closes the window and keeps the app running, as Mac apps do', () => {
    expect(decideWindowClose({ ...base, platform: 'darwin' })).toEqual({ action: 'close' })
  })

  it('quitting with jobs in flight says they resume next time; nothing to say when idle or notifications are off', () => {
    expect(quitNotice({ active: 1, notifications: true, lang: 'en' })).toEqual({
      title: 'Your videos will resume next time',
      body: 'A video was still being made. Nothing is lost or sent again: it continues when you open Comet Video Studio.'
    })
    expect(quitNotice({ active: 5, notifications: true, lang: 'zh-CN' })?.body).toBe('有 5 个视频仍在制作中。不会丢失，也不会重复发送：下次打开 Comet Video Studio 时会继续。')
    expect(quitNotice({ active: 0, notifications: true, lang: 'en' })).toBeNull()
    expect(quitNotice({ active: 3, notifications: false, lang: 'en' })).toBeNull()
  })

  it('the update restart says nothing about "next time": the new version starts at once and carries on', () => {
    expect(quitNotice({ active: 2, notifications: true, lang: 'en', reason: 'update' })).toBeNull()
    expect(quitNotice({ active: 2, notifications: true, lang: 'en', reason: 'quit' })?.title).toBe('Your videos will resume next time')
  })
})

describe('the application menu', () => {
  const build = (o: Partial<Parameters<typeof buildAppMenu>[0]> = {}) => {
    const run = vi.fn<(c: AppCommand) => void>()
    const menu = buildAppMenu({ platform: 'linux', lang: 'en', paused: false, packaged: true, run, ...o })
    return { menu, run }
  }
  const all = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...all(i.submenu ?? [])])
  const byId = (items: MenuItemSpec[], id: string) => all(items).find((i) => i.id === id)
  const roles = (items: MenuItemSpec[]) => all(items).flatMap((i) => (i.role ? [i.role] : []))

  it('has the standard menus and roles on Windows and Linux, and the app menu first on macOS', () => {
    const { menu } = build()
    expect(menu.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
    expect(roles(menu)).toEqual(expect.arrayContaining(['quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'window', 'minimize', 'close', 'help']))
    // No developer tools in a packaged app; a development run has them.
    expect(roles(menu)).not.toContain('toggleDevTools')
    expect(roles(build({ packaged: false }).menu)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']))
    const mac = build({ platform: 'darwin' }).menu
    expect(mac.map((m) => m.label)).toEqual(['Comet Video Studio', 'File', 'Edit', 'View', 'Window', 'Help'])
    expect(mac[0].submenu!.map((i) => i.role ?? i.id ?? i.type)).toEqual(['about', 'separator', 'settings', 'separator', 'services', 'separator', 'hide', 'hideOthers', 'unhide', 'separator', 'quit'])
    expect(roles(mac)).toEqual(expect.arrayContaining(['pasteAndMatchStyle', 'zoom', 'front']))
    // Cmd+W closes the window, where Mac apps keep it: at the end of the File menu (role close brings the shortcut).
    const macFile = mac.find((m) => m.id === 'file')!.submenu!
    expect(macFile.slice(-2).map((i) => i.role ?? i.type)).toEqual(['separator', 'close'])
    expect(roles(mac).filter((r) => r === 'close')).toHaveLength(1)
  })

  it("offers the app's own commands with their shortcuts, and runs each by its id", () => {
    const { menu, run } = build()
    const shortcuts = Object.fromEntries(all(menu).filter((i) => i.id && i.click).map((i) => [i.id, i.accelerator ?? null]))
    expect(shortcuts).toEqual({
      newVideo: 'CmdOrCtrl+N',
      newBatch: 'CmdOrCtrl+Shift+N',
      compare: 'CmdOrCtrl+3',
      openLibraryFolder: 'CmdOrCtrl+Shift+O',
      pauseAll: 'CmdOrCtrl+Shift+P',
      settings: 'CmdOrCtrl+,',
      queue: 'CmdOrCtrl+4',
      library: 'CmdOrCtrl+5',
      spend: 'CmdOrCtrl+6',
      shortcuts: 'CmdOrCtrl+/',
      apiDocs: null,
      keyConsole: null
    })
    for (const id of Object.keys(shortcuts)) byId(menu, id)!.click!()
    expect(run.mock.calls.map((c) => c[0])).toEqual(Object.keys(shortcuts))
    // Keys the page handles itself are shown but not registered twice (Windows, Linux).
    expect(byId(menu, 'library')!.registerAccelerator).toBe(false)
    expect(byId(menu, 'newVideo')!.registerAccelerator).toBeUndefined()
    expect(byId(build({ platform: 'darwin' }).menu, 'library')!.registerAccelerator).toBeUndefined()
  })

  it('offers Resume instead of Pause All while the person paused', () => {
    const { menu } = build({ paused: true })
    expect(byId(menu, 'pauseAll')).toBeUndefined()
    expect(byId(menu, 'resume')).toMatchObject({ label: 'Resume', accelerator: 'CmdOrCtrl+Shift+P' })
  })

  it('speaks 简体中文, roles included', () => {
    const { menu } = build({ lang: 'zh-CN', platform: 'darwin' })
    expect(menu.map((m) => m.label)).toEqual(['Comet Video Studio', '文件', '编辑', '视图', '窗口', '帮助'])
    const labels = all(menu).flatMap((i) => (i.label ? [i.label] : []))
    expect(labels).toEqual(expect.arrayContaining(['新建视频', '新建批量任务', '打开视频库文件夹', '全部暂停', '设置…', '撤销', '复制', '粘贴', '全选', '最小化', '退出 Comet Video Studio', '关于 Comet Video Studio']))
    // Every item a person reads has a label in the language (separators excepted).
    expect(all(menu).filter((i) => i.type !== 'separator' && !i.label)).toEqual([])
  })

  it('has a place for "Check for Updates…" only when this run can update itself', () => {
    expect(byId(build().menu, 'checkForUpdates')).toBeUndefined()
    const check = vi.fn()
    const linux = build({ onCheckForUpdates: check }).menu
    const item = byId(linux, 'checkForUpdates')!
    expect(item.label).toBe('Check for Updates…')
    expect(linux.at(-1)!.submenu!.at(-1)).toBe(item) // last in Help
    item.click!()
    expect(check).toHaveBeenCalledOnce()
    const mac = build({ platform: 'darwin', lang: 'zh-CN', onCheckForUpdates: check }).menu
    expect(mac[0].submenu!.find((i) => i.id === 'checkForUpdates')?.label).toBe('检查更新…') // in the app menu
    expect(byId(mac.slice(1), 'checkForUpdates')).toBeUndefined()
  })

  it('maps the commands that show a screen to where the page goes; the rest main does itself', () => {
    expect(commandNavigation('newVideo')).toEqual({ to: 'compose' })
    expect(commandNavigation('newBatch')).toEqual({ to: 'batch' })
    expect(commandNavigation('queue')).toEqual({ to: 'queue' })
    expect(commandNavigation('library')).toEqual({ to: 'library' })
    expect(commandNavigation('settings')).toEqual({ to: 'settings' })
    expect(commandNavigation('shortcuts')).toEqual({ to: 'help' })
    expect(commandNavigation('openLibraryFolder')).toEqual({ to: 'libraryFolder' })
    for (const c of ['pauseAll', 'resume', 'apiDocs', 'keyConsole'] as const) expect(commandNavigation(c)).toBeNull()
    for (const url of Object.values(HELP_LINKS)) expect(isSafeExternalUrl(url)).toBe(true)
  })
})
