// What main says about the app and the engine, and opening a web page in the person's browser.
import { attempt, invoke, onEvent, studioApi } from '../api'
import type { AppNavigation, DragRef, EngineStatus } from '../shared'

const quiet = { quiet: true }

export const appClient = {
  info: () => invoke('app.info', {}, quiet),
  engineStatus: () => invoke('engine.status', {}, quiet),
  onEngineStatus: (listener: (status: EngineStatus) => void) => onEvent('engine.status', listener),
  /** The person's "Pause all" (true) or "Resume" (false); toasts when it fails. */
  pause: (paused: boolean) => attempt('engine.pause', { paused }),
  /** A notification was clicked, or a menu or tray command chosen: main asks to show a screen. */
  onNavigate: (listener: (to: AppNavigation) => void) => onEvent('app.navigate', listener),
  /** Toasts when the page cannot be opened. */
  openExternal: (url: string) => invoke('shell.openExternal', { url }),
  /** Main starts the OS drag of a finished video, found by its job or library item (never a path). */
  startDrag: (ref: DragRef) => studioApi().startDrag(ref)
}
