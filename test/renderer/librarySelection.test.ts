// Selecting across cards the virtualized grid has not loaded: a shift-click range or Ctrl/Cmd+A
// asks main for the ids it lacks, in the current filters and sort; a new filter clears the selection.
import { beforeEach, describe, expect, it } from 'vitest'
import type { LibraryItem } from '../../src/shared/library'
import { useLibrary } from '../../src/renderer/src/store/library'
import { clearSelection, extendSelection, selectAllListed, toggleSelected, useLibrarySelection } from '../../src/renderer/src/store/librarySelection'

const TOTAL = 450
const allIds = Array.from({ length: TOTAL }, (_, i) => `v${i}`)
const asked: { channel: string; request: Record<string, unknown> }[] = []

beforeEach(() => {
  asked.length = 0
  ;(globalThis as { window?: unknown }).window = {
    api: {
      invoke: async (channel: string, request: Record<string, unknown>) => {
        asked.push({ channel, request })
        if (channel !== 'library.ids') return { ok: false, error: { code: 'x', message: 'unexpected' } }
        const offset = (request.offset as number | undefined) ?? 0
        const limit = request.limit as number | undefined
        return { ok: true, value: allIds.slice(offset, limit === undefined ? undefined : offset + limit) }
      },
      on: () => () => {}
    }
  }
  // Only the first page (100 cards) is loaded.
  const items: (LibraryItem | undefined)[] = new Array(TOTAL)
  for (let i = 0; i < 100; i++) items[i] = { id: allIds[i] } as LibraryItem
  useLibrary.setState({ items, total: TOTAL, filters: { ...useLibrary.getState().filters, search: 'kite', favorite: true } })
  clearSelection()
})

describe('library selection over unloaded cards', () => {
  it('a range inside the loaded cards needs no request', async () => {
    toggleSelected('v2', 2)
    await extendSelection(40)
    expect(useLibrarySelection.getState().ids.size).toBe(39)
    expect(asked).toEqual([])
  })

  it('a range reaching unloaded cards asks main for exactly that span, in the current query', async () => {
    toggleSelected('v10', 10)
    await extendSelection(320)
    const sel = useLibrarySelection.getState()
    expect(sel.ids.size).toBe(311)
    expect(sel.ids.has('v320') && sel.ids.has('v10') && !sel.ids.has('v321')).toBe(true)
    expect(asked).toEqual([{ channel: 'library.ids', request: { sort: 'newest', search: 'kite', favorite: true, offset: 10, limit: 311 } }])
  })

  it('Ctrl/Cmd+A takes every listed video, loaded or not; another filter clears it', async () => {
    await selectAllListed()
    expect(useLibrarySelection.getState().ids.size).toBe(TOTAL)
    expect(asked).toEqual([{ channel: 'library.ids', request: { sort: 'newest', search: 'kite', favorite: true } }])
    useLibrary.setState({ filters: { ...useLibrary.getState().filters, search: 'fox' } })
    expect(useLibrarySelection.getState().ids.size).toBe(0)
  })
})
