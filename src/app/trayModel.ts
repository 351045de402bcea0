// What the tray (menu-bar) icon shows and offers, from how many videos are being made, whether the
// person paused new work, and their language. Plain data; src/main turns it into Electron's Tray.
import { type MainLang, say } from './mainTexts'

export type TrayCommand = 'showWindow' | 'pauseAll' | 'resume' | 'quit'

export type TrayItem =
  | { type: 'separator' }
  /** A line of status, shown greyed out. */
  | { type: 'status'; label: string }
  | { type: 'command'; command: TrayCommand; label: string; enabled: boolean }

export interface TrayState {
  lang: MainLang
  /** Jobs being sent, made or downloaded now. */
  active: number
  /** The person chose "Pause all". */
  paused: boolean
}

export interface TrayModel {
  tooltip: string
  /** Text beside the icon where the OS shows one (macOS menu bar): the count while videos are being made. */
  title: string
  items: TrayItem[]
}

export function trayModel(s: TrayState): TrayModel {
  const activity = s.active > 0 ? say(s.lang, 'tray.active', { count: s.active }) : say(s.lang, 'tray.idle')
  const status = s.paused ? `${activity} · ${say(s.lang, 'tray.paused')}` : activity
  return {
    tooltip: `${say(s.lang, 'tray.tooltip')} — ${status}`,
    title: s.active > 0 ? String(s.active) : '',
    items: [
      { type: 'status', label: status },
      { type: 'separator' },
      { type: 'command', command: 'showWindow', label: say(s.lang, 'tray.show'), enabled: true },
      { type: 'separator' },
      { type: 'command', command: 'pauseAll', label: say(s.lang, 'tray.pauseAll'), enabled: !s.paused },
      { type: 'command', command: 'resume', label: say(s.lang, 'tray.resume'), enabled: s.paused },
      { type: 'separator' },
      { type: 'command', command: 'quit', label: say(s.lang, 'tray.quit'), enabled: true }
    ]
  }
}

/** The window's title: the app's name, and how many videos are being made while there are any. */
export function windowTitle(lang: MainLang, active: number): string {
  return active > 0 ? `${say(lang, 'tray.tooltip')} — ${say(lang, 'tray.active', { count: active })}` : say(lang, 'tray.tooltip')
}

/**
 * The tray icon's images by scale factor (files under resources/tray, made by
 * scripts/make-tray-icons.mjs): the macOS menu bar takes a black template the system tints for
 * light and dark; Windows the app's icon at 16 and 32 px; Linux panels scale one 32 px image.
 */
export function trayIconFiles(platform: string): { images: { scale: 1 | 2; file: TrayIconFile }[]; template: boolean } {
  if (platform === 'darwin') return { images: [{ scale: 1, file: 'trayTemplate-16.png' }, { scale: 2, file: 'trayTemplate-32.png' }], template: true }
  if (platform === 'win32') return { images: [{ scale: 1, file: 'tray-16.png' }, { scale: 2, file: 'tray-32.png' }], template: false }
  return { images: [{ scale: 1, file: 'tray-32.png' }], template: false }
}

export const TRAY_ICON_FILES = ['tray-16.png', 'tray-32.png', 'trayTemplate-16.png', 'trayTemplate-32.png'] as const
export type TrayIconFile = (typeof TRAY_ICON_FILES)[number]
