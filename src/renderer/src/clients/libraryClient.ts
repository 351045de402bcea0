// The library.* channels and their event. Actions the person started toast a failure and resolve
// null; the grid's loads throw quietly (the screen shows its own error or simply retries later).
import { attempt, invoke, onEvent } from '../api'
import type { EventOf, LibraryQuery, RequestOf } from '../shared'

const quiet = { quiet: true }

export const libraryClient = {
  list: (query: LibraryQuery) => invoke('library.list', query, quiet),
  get: (id: string) => invoke('library.get', { id }, quiet),
  facets: () => invoke('library.facets', {}, quiet),
  favorite: (id: string, favorite: boolean) => attempt('library.favorite', { id, favorite }),
  /** Posters are made in the background: a failure is not the person's business. */
  savePoster: (id: string, bytes: RequestOf<'library.poster'>['bytes']) => invoke('library.poster', { id, bytes }, quiet),
  delete: (id: string) => attempt('library.delete', { id }),
  rescan: () => attempt('library.rescan', {}),
  showInFolder: (id: string) => attempt('library.showInFolder', { id }),
  /** The ids a query lists from `offset` (all when no `limit`): for selecting cards not loaded yet. */
  ids: (query: RequestOf<'library.ids'>) => attempt('library.ids', query),
  favoriteMany: (ids: string[], favorite: boolean) => attempt('library.favoriteMany', { ids, favorite }),
  tagMany: (ids: string[], add: string[]) => attempt('library.tagMany', { ids, add }),
  deleteMany: (ids: string[]) => attempt('library.deleteMany', { ids }),
  /** Main asks for the folder; null when the person closed the dialog (or it failed, with a toast). */
  exportMany: (ids: string[]) => attempt('library.export', { ids }),
  saveCopy: (id: string) => attempt('library.saveCopy', { id }),
  openFolder: () => attempt('library.openFolder', {}),
  onChanged: (listener: (change: EventOf<'library.changed'>) => void) => onEvent('library.changed', listener)
}
