// What closing the window and quitting do while videos are being made. Plain data in, a decision
// out; src/main carries it out.
//
// - Closing the window while jobs are working, with the "keep working in the tray" setting on
//   (the default) and a tray icon shown: the window hides and the engine goes on; the first time in
//   a run a notification says where the app went. Otherwise the window closes, and on Windows and
//   Linux the app quits with it.
// - macOS: the app keeps running when its window closes, as Mac apps do (the dock and menu-bar
//   icons bring it back), so the window simply closes and the engine goes on.
// - Quitting (menu, tray, Cmd+Q, or the last window closing) while jobs are working: the engine
//   stops cleanly, nothing is lost or sent again, and a notification says they resume next time.
//   A notification rather than a dialog, so a quit — or the OS shutting down — is never held up.
//   Not on the update restart (./quitPolicy.ts): the new version carries on at once.
// Both notices follow the `notifications` setting like every other.
import { type MainLang, say } from './mainTexts'
import type { QuitReason } from './quitPolicy'

export interface TextNotice {
  title: string
  body: string
}

export interface CloseState {
  platform: string
  /** The app is quitting: the window closes whatever else holds. */
  quitting: boolean
  /** Jobs being sent, made or downloaded now. */
  active: number
  keepRunningInTray: boolean
  /** A tray icon is shown, so a hidden window can be brought back. */
  trayShown: boolean
  /** The window was already sent to the tray once this run (the notice is said once). */
  toldAboutTray: boolean
  notifications: boolean
  lang: MainLang
}

export type CloseDecision = { action: 'close' } | { action: 'hide'; notice: TextNotice | null }

export function decideWindowClose(s: CloseState): CloseDecision {
  if (s.quitting || s.platform === 'darwin') return { action: 'close' }
  if (!s.keepRunningInTray || !s.trayShown || s.active === 0) return { action: 'close' }
  const notice = !s.toldAboutTray && s.notifications ? { title: say(s.lang, 'notify.keptInTray'), body: say(s.lang, 'notify.keptInTrayBody', { count: s.active }) } : null
  return { action: 'hide', notice }
}

/**
 * What to say when the app quits with jobs working (null: nothing to say). Nothing for the update
 * restart: the installer runs and the new version picks the jobs up at once, not "next time".
 */
export function quitNotice(s: { active: number; notifications: boolean; lang: MainLang; reason?: QuitReason }): TextNotice | null {
  if (s.active === 0 || !s.notifications || s.reason === 'update') return null
  return { title: say(s.lang, 'notify.resumeNextTime'), body: say(s.lang, 'notify.resumeNextTimeBody', { count: s.active }) }
}
