// Small lookups that several screens share: image tokens of dropped files (for thumbnails of
// a job's source image) and library items by id (for playing a finished job).
import { create } from 'zustand'
import { libraryClient } from '../clients/libraryClient'
import type { ImageCard, LibraryItem } from '../shared'

interface MediaCacheState {
  /** Image token by local path, learned from files.inspect replies. */
  tokens: Record<string, string>
  items: Record<string, LibraryItem | null>
  rememberCards(cards: ImageCard[]): void
}

export const useMediaCache = create<MediaCacheState>((set) => ({
  tokens: {},
  items: {},
  rememberCards(cards) {
    if (cards.length === 0) return
    set((s) => {
      const tokens = { ...s.tokens }
      for (const c of cards) tokens[c.path] = c.token
      return { tokens }
    })
  }
}))

const inflight = new Map<string, Promise<LibraryItem | null>>()

export function libraryItem(id: string): Promise<LibraryItem | null> {
  const cached = useMediaCache.getState().items[id]
  if (cached !== undefined) return Promise.resolve(cached)
  let p = inflight.get(id)
  if (!p) {
    p = libraryClient
      .get(id)
      .catch(() => null)
      .then((item) => {
        useMediaCache.setState((s) => ({ items: { ...s.items, [id]: item } }))
        inflight.delete(id)
        return item
      })
    inflight.set(id, p)
  }
  return p
}

export function forgetLibraryItems(ids: string[]): void {
  useMediaCache.setState((s) => {
    const items = { ...s.items }
    for (const id of ids) delete items[id]
    return { items }
  })
}
