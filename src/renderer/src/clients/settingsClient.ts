// The settings.* channels and their event.
import { attempt, invoke, onEvent } from '../api'
import type { RequestOf, Settings } from '../shared'

const quiet = { quiet: true }

export const settingsClient = {
  get: () => invoke('settings.get', {}, quiet),
  /** A change the person made: a failure is toasted and resolves null. */
  update: (patch: RequestOf<'settings.update'>) => attempt('settings.update', patch),
  /** A change made on the person's behalf (the last model used): it throws without a toast. */
  remember: (patch: RequestOf<'settings.update'>) => invoke('settings.update', patch, quiet),
  /** The OS folder picker; null when the person cancels (or after a toast when it failed). */
  chooseFolder: () => attempt('settings.chooseFolder', {}),
  /** Throws quietly: the settings screen reports the move itself. */
  moveLibrary: (to: string) => invoke('settings.moveLibrary', { to }, quiet),
  onChanged: (listener: (settings: Settings) => void) => onEvent('settings.changed', listener)
}
