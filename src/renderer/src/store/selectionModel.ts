// Multi-select over a long, virtualized list: the selection is a set of ids (so it holds cards not
// rendered or not loaded), plus the index of the last plain click, where a shift-click range starts.

export interface Selection {
  ids: ReadonlySet<string>
  /** Index (in the current list) of the last card clicked without Shift; null before any. */
  anchor: number | null
}

export const NO_SELECTION: Selection = { ids: new Set(), anchor: null }

export function toggleSelection(sel: Selection, id: string, index: number): Selection {
  const ids = new Set(sel.ids)
  if (ids.has(id)) ids.delete(id)
  else ids.add(id)
  return { ids, anchor: index }
}

/** The inclusive index range a shift-click at `index` spans (just `index` with no anchor yet). */
export function rangeBounds(anchor: number | null, index: number): [number, number] {
  const from = anchor ?? index
  return [Math.min(from, index), Math.max(from, index)]
}

/** Adds the ids of a shift-click range; the anchor stays, so the next shift-click spans from it again. */
export function withRange(sel: Selection, rangeIds: readonly string[], index: number): Selection {
  const ids = new Set(sel.ids)
  for (const id of rangeIds) ids.add(id)
  return { ids, anchor: sel.anchor ?? index }
}

export function selectAll(allIds: readonly string[]): Selection {
  return { ids: new Set(allIds), anchor: null }
}

/** The ids at `start…end` when all of them are loaded; null when some must be asked for first. */
export function idsInRange(items: readonly ({ id: string } | undefined)[], start: number, end: number): string[] | null {
  const out: string[] = []
  for (let i = start; i <= end; i++) {
    const item = items[i]
    if (!item) return null
    out.push(item.id)
  }
  return out
}

export interface SelectionKeyEvent {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  /** The key belongs to a text field (see lib/isTyping). */
  typing: boolean
  dialogOpen: boolean
}

/** What a key does to the selection: Ctrl/Cmd+A selects all, Escape clears; never while typing or in a dialog. */
export function selectionKey(e: SelectionKeyEvent): 'all' | 'clear' | null {
  if (e.typing || e.dialogOpen || e.altKey) return null
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') return 'all'
  if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey) return 'clear'
  return null
}
