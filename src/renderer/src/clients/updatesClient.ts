// The updates.* channels and their event: the app's own updates (main decides, this shows).
import { invoke, onEvent } from '../api'
import type { RestartMode, UpdateState } from '../shared'

export const updatesClient = {
  state: () => invoke('updates.state', {}, { quiet: true }),
  /** An on-demand check; resolves once the feed answered. */
  check: () => invoke('updates.check', {}),
  restart: (mode: RestartMode) => invoke('updates.restart', { mode }),
  dismiss: () => invoke('updates.dismiss', {}),
  onChanged: (listener: (state: UpdateState) => void) => onEvent('updates.changed', listener)
}
