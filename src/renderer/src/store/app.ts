// App-wide state: what main told us about the app, the key, the engine, settings and the catalog,
// plus the current screen.
import { create } from 'zustand'
import type { AppInfo, CatalogModel, EngineStatus, KeyStatus, QueueNavFilter, Settings } from '../shared'

export type ScreenName = 'compose' | 'batch' | 'compare' | 'queue' | 'library' | 'spend' | 'settings'

export type Route =
  | { name: Exclude<ScreenName, 'queue' | 'settings'> }
  /** `focusId`: show one job's details; `batchId`: only that batch's jobs; `filter`: which chip starts on. */
  | { name: 'queue'; focusId?: string; batchId?: string; filter?: QueueNavFilter; nonce?: number }
  | { name: 'settings'; section?: 'key' | 'library' | 'engine' | 'appearance' | 'updates' | 'proxy' }
  | { name: 'player'; itemId: string; back: ScreenName }
  | { name: 'firstRun' }

export interface CatalogState {
  models: CatalogModel[]
  fetchedAt: number | null
  problem: string | null
  loading: boolean
  /** The catalog could not be loaded at all (no cached copy). */
  error: string | null
}

interface AppState {
  info: AppInfo | null
  key: KeyStatus | null
  engine: EngineStatus | null
  settings: Settings | null
  catalog: CatalogState
  route: Route
  helpOpen: boolean
  /** The user chose to look around without a key (library works offline). */
  skippedKey: boolean
  navigate(route: Route): void
  setHelpOpen(open: boolean): void
}

export const useApp = create<AppState>((set) => ({
  info: null,
  key: null,
  engine: null,
  settings: null,
  catalog: { models: [], fetchedAt: null, problem: null, loading: true, error: null },
  route: { name: 'compose' },
  helpOpen: false,
  skippedKey: false,
  navigate(route) {
    set({ route })
  },
  setHelpOpen(helpOpen) {
    set({ helpOpen })
  }
}))

const NO_FAVORITES: readonly string[] = Object.freeze([])

/** The favourite model ids, the same empty array until settings arrive (a fresh [] on every call
 * would make React re-render forever: a selector must return a stable value). */
export const selectFavoriteModels = (s: AppState): readonly string[] => s.settings?.favoriteModels ?? NO_FAVORITES

export function navigate(route: Route): void {
  useApp.getState().navigate(route)
}

/** A model's catalog name ("Seedance 2.0 Fast"), or its id when the catalog does not know it (yet). */
export function useModelName(id: string): string {
  return useApp((s) => s.catalog.models.find((m) => m.id === id)?.name || id)
}

export function modelById(id: string | null | undefined): CatalogModel | undefined {
  if (!id) return undefined
  return useApp.getState().catalog.models.find((m) => m.id === id)
}
