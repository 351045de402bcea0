// The player's "next / previous video": the neighbours of a video in the library's current list
// (its filters and sort), loading the page they are on when the grid has not.
import { libraryClient } from '../clients/libraryClient'
import { useLibrary } from './library'
import { queryOf } from './libraryModel'

/** Where `id` is in the current list (-1 when it is not in what is loaded, or not listed at all). */
export function useLibraryPosition(id: string): { index: number; total: number } {
  const index = useLibrary((s) => s.items.findIndex((x) => x?.id === id))
  const total = useLibrary((s) => s.total ?? 0)
  return { index, total }
}

/** The id `step` places from `id` in the current list, or null at either end or outside the list. */
export async function neighborId(id: string, step: 1 | -1): Promise<string | null> {
  const { items, total, filters } = useLibrary.getState()
  const index = items.findIndex((x) => x?.id === id)
  if (index < 0 || total === null) return null
  const at = index + step
  if (at < 0 || at >= total) return null
  const known = items[at]
  if (known) return known.id
  // Load its page too, so the player knows where the video it steps to is.
  useLibrary.getState().ensure(at, at)
  const { offset: _o, limit: _l, ...q } = queryOf(filters, 0)
  const ids = await libraryClient.ids({ ...q, offset: at, limit: 1 })
  return ids?.[0] ?? null
}
