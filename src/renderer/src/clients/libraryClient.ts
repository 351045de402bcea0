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
  onChanged: (listener: (change: EventOf<'library.changed'>) => void) => onEvent('library.changed', listener)
}
