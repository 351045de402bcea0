// Which library cards are selected. Ids, not positions, so a selection spans cards the virtualized
// grid does not render or has not loaded; a range or "all" asks main for the ids it lacks.
import { create } from 'zustand'
import { libraryClient } from '../clients/libraryClient'
import { useLibrary } from './library'
import { queryOf } from './libraryModel'
import { NO_SELECTION, idsInRange, rangeBounds, selectAll, toggleSelection, withRange, type Selection } from './selectionModel'

export const useLibrarySelection = create<Selection>(() => NO_SELECTION)

export function clearSelection(): void {
  useLibrarySelection.setState(NO_SELECTION, true)
}

export function toggleSelected(id: string, index: number): void {
  useLibrarySelection.setState(toggleSelection(useLibrarySelection.getState(), id, index), true)
}

/** Drops videos that are gone (deleted one by one) from the selection. */
export function forgetSelected(ids: readonly string[]): void {
  const sel = useLibrarySelection.getState()
  if (!ids.some((id) => sel.ids.has(id))) return
  const next = new Set(sel.ids)
  for (const id of ids) next.delete(id)
  useLibrarySelection.setState({ ids: next, anchor: null }, true)
}

/** The current query without paging, for asking main about ids. */
function idsQuery(offset?: number, limit?: number): Parameters<typeof libraryClient.ids>[0] {
  const { offset: _o, limit: _l, ...q } = queryOf(useLibrary.getState().filters, 0)
  return { ...q, ...(offset !== undefined ? { offset } : {}), ...(limit !== undefined ? { limit } : {}) }
}

/** Shift-click at `index`: adds everything from the anchor to it. */
export async function extendSelection(index: number): Promise<void> {
  const sel = useLibrarySelection.getState()
  const [start, end] = rangeBounds(sel.anchor, index)
  const generation = useLibrary.getState().generation
  const ids = idsInRange(useLibrary.getState().items, start, end) ?? (await libraryClient.ids(idsQuery(start, end - start + 1)))
  if (!ids || useLibrary.getState().generation !== generation) return
  useLibrarySelection.setState(withRange(useLibrarySelection.getState(), ids, index), true)
}

/** Ctrl/Cmd+A: every video the current filters list, loaded or not. */
export async function selectAllListed(): Promise<void> {
  const { items, total, generation } = useLibrary.getState()
  if (!total) return
  const ids = idsInRange(items, 0, total - 1) ?? (await libraryClient.ids(idsQuery()))
  if (!ids || useLibrary.getState().generation !== generation) return
  useLibrarySelection.setState(selectAll(ids), true)
}

// Another filter or sort is another list: what was selected in the old one is not in view.
useLibrary.subscribe((s, prev) => {
  if (s.filters !== prev.filters && useLibrarySelection.getState().ids.size) clearSelection()
})
