// The application menu, as plain data: the standard roles (the app menu on macOS, edit, view,
// window, help) with their labels in the person's language, and the app's own commands with their
// shortcuts. src/main builds Electron's Menu from it and rebuilds it when the language or the pause
// changes. Screen shortcuts the page already handles itself (Ctrl/Cmd+1…7, ?) are shown but not
// registered again on Windows and Linux, so one key press never acts twice.
import type { AppNavigation } from '../shared/navigation'
import { type MainLang, type MainTextKey, say } from './mainTexts'

export type AppCommand =
  | 'newVideo'
  | 'newBatch'
  | 'compare'
  | 'queue'
  | 'library'
  | 'spend'
  | 'settings'
  | 'pauseAll'
  | 'resume'
  | 'openLibraryFolder'
  | 'shortcuts'
  | 'apiDocs'
  | 'keyConsole'

/** The Electron roles this menu uses (a subset of MenuItemConstructorOptions['role']). */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'window'
  | 'minimize'
  | 'zoom'
  | 'close'
  | 'front'
  | 'help'

/** One item, shaped like Electron's MenuItemConstructorOptions so main passes it on as it is. */
export interface MenuItemSpec {
  id?: string
  label?: string
  role?: MenuRole
  type?: 'normal' | 'separator' | 'submenu'
  accelerator?: string
  /** false: the shortcut is shown but the page handles the key itself (Windows, Linux). */
  registerAccelerator?: boolean
  enabled?: boolean
  submenu?: MenuItemSpec[]
  click?: () => void
}

export interface AppMenuInput {
  platform: string
  lang: MainLang
  /** The person chose "Pause all": the item offers "Resume". */
  paused: boolean
  /** Development builds add reload and the developer tools. */
  packaged: boolean
  run(command: AppCommand): void
  /** Present when this run can update itself (src/app/updates.ts): adds "Check for Updates…". */
  onCheckForUpdates?: () => void
}

/** The web pages the Help menu opens. */
export const HELP_LINKS = {
  apiDocs: 'https://apidoc.cometapi.com/api/video',
  keyConsole: 'https://www.cometapi.com/console/token'
} as const

/** The screen a command shows, or null for a command main carries out itself. */
export function commandNavigation(command: AppCommand): AppNavigation | null {
  switch (command) {
    case 'newVideo':
      return { to: 'compose' }
    case 'newBatch':
      return { to: 'batch' }
    case 'compare':
      return { to: 'compare' }
    case 'queue':
      return { to: 'queue' }
    case 'library':
      return { to: 'library' }
    case 'spend':
      return { to: 'spend' }
    case 'settings':
      return { to: 'settings' }
    case 'shortcuts':
      return { to: 'help' }
    case 'openLibraryFolder':
      return { to: 'libraryFolder' }
    default:
      return null
  }
}

const SEPARATOR: MenuItemSpec = { type: 'separator' }

export function buildAppMenu(input: AppMenuInput): MenuItemSpec[] {
  const { lang, platform } = input
  const mac = platform === 'darwin'
  const t = (key: MainTextKey): string => say(lang, key)
  const role = (r: MenuRole, extra: Partial<MenuItemSpec> = {}): MenuItemSpec => ({ role: r, label: t(`role.${r}` as MainTextKey), ...extra })
  const command = (c: AppCommand, label: MainTextKey, accelerator?: string, pageHandlesKey = false): MenuItemSpec => ({
    id: c,
    label: t(label),
    ...(accelerator ? { accelerator } : {}),
    ...(accelerator && pageHandlesKey && !mac ? { registerAccelerator: false } : {}),
    click: () => input.run(c)
  })
  const updates: MenuItemSpec | null = input.onCheckForUpdates ? { id: 'checkForUpdates', label: t('menu.checkForUpdates'), click: input.onCheckForUpdates } : null
  const pause = input.paused ? command('resume', 'menu.resume', 'CmdOrCtrl+Shift+P') : command('pauseAll', 'menu.pauseAll', 'CmdOrCtrl+Shift+P')
  const settings = command('settings', 'menu.settings', 'CmdOrCtrl+,')

  const appMenu: MenuItemSpec = {
    id: 'app',
    label: 'Comet Video Studio',
    submenu: [
      role('about'),
      SEPARATOR,
      settings,
      ...(updates ? [updates] : []),
      SEPARATOR,
      role('services'),
      SEPARATOR,
      role('hide'),
      role('hideOthers'),
      role('unhide'),
      SEPARATOR,
      role('quit')
    ]
  }
  const file: MenuItemSpec = {
    id: 'file',
    label: t('menu.file'),
    submenu: [
      command('newVideo', 'menu.newVideo', 'CmdOrCtrl+N'),
      command('newBatch', 'menu.newBatch', 'CmdOrCtrl+Shift+N'),
      command('compare', 'menu.compare', 'CmdOrCtrl+3', true),
      SEPARATOR,
      command('openLibraryFolder', 'menu.openLibraryFolder', 'CmdOrCtrl+Shift+O'),
      SEPARATOR,
      pause,
      // macOS: Close Window (Cmd+W) ends the File menu; elsewhere it is in the Window menu.
      ...(mac ? [SEPARATOR, role('close')] : [SEPARATOR, settings, SEPARATOR, role('quit', { accelerator: 'Ctrl+Q' })])
    ]
  }
  const edit: MenuItemSpec = {
    id: 'edit',
    label: t('menu.edit'),
    submenu: [
      role('undo'),
      role('redo'),
      SEPARATOR,
      role('cut'),
      role('copy'),
      role('paste'),
      ...(mac ? [role('pasteAndMatchStyle')] : []),
      role('delete'),
      SEPARATOR,
      role('selectAll')
    ]
  }
  const view: MenuItemSpec = {
    id: 'view',
    label: t('menu.view'),
    submenu: [
      command('queue', 'menu.queue', 'CmdOrCtrl+4', true),
      command('library', 'menu.library', 'CmdOrCtrl+5', true),
      command('spend', 'menu.spend', 'CmdOrCtrl+6', true),
      SEPARATOR,
      ...(input.packaged ? [] : [role('reload'), role('forceReload'), role('toggleDevTools'), SEPARATOR]),
      role('resetZoom'),
      role('zoomIn'),
      role('zoomOut'),
      SEPARATOR,
      role('togglefullscreen')
    ]
  }
  const windowMenu: MenuItemSpec = {
    id: 'window',
    label: t('menu.window'),
    role: 'window',
    submenu: mac ? [role('minimize'), role('zoom'), SEPARATOR, role('front')] : [role('minimize'), role('close')]
  }
  const help: MenuItemSpec = {
    id: 'help',
    label: t('menu.help'),
    role: 'help',
    submenu: [
      command('shortcuts', 'menu.shortcuts', 'CmdOrCtrl+/'),
      SEPARATOR,
      command('apiDocs', 'menu.apiDocs'),
      command('keyConsole', 'menu.keyConsole'),
      ...(updates && !mac ? [SEPARATOR, updates] : [])
    ]
  }
  return mac ? [appMenu, file, edit, view, windowMenu, help] : [file, edit, view, windowMenu, help]
}
