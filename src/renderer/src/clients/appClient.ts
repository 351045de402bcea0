// What main says about the app and the engine, and opening a web page in the person's browser.
import { invoke, onEvent } from '../api'
import type { EngineStatus } from '../shared'

const quiet = { quiet: true }

export const appClient = {
  info: () => invoke('app.info', {}, quiet),
  engineStatus: () => invoke('engine.status', {}, quiet),
  onEngineStatus: (listener: (status: EngineStatus) => void) => onEvent('engine.status', listener),
  /** Toasts when the page cannot be opened. */
  openExternal: (url: string) => invoke('shell.openExternal', { url })
}
