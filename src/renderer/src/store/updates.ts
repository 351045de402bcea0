// What main says about the app's own update (src/app/updates.ts decides; shown in Settings and the sidebar notice).
import { create } from 'zustand'
import { updatesClient } from '../clients/updatesClient'
import type { UpdateState } from '../shared'

interface UpdatesStore {
  state: UpdateState | null
  /** An on-demand check the person started here is waiting for the feed. */
  checking: boolean
}

export const useUpdates = create<UpdatesStore>(() => ({ state: null, checking: false }))

export async function loadUpdates(): Promise<void> {
  try {
    useUpdates.setState({ state: await updatesClient.state() })
  } catch {
    // An older main without updates: nothing to show.
  }
}

export function subscribeUpdates(): void {
  updatesClient.onChanged((state) => useUpdates.setState({ state }))
}

/** "Check for updates": the outcome arrives as state (and in the notice). */
export async function checkForUpdates(): Promise<void> {
  useUpdates.setState({ checking: true })
  try {
    useUpdates.setState({ state: await updatesClient.check() })
  } catch {
    // Toasted by the client.
  } finally {
    useUpdates.setState({ checking: false })
  }
}

export async function dismissUpdateNotice(): Promise<void> {
  try {
    useUpdates.setState({ state: await updatesClient.dismiss() })
  } catch {
    // Toasted by the client.
  }
}
