// Multi-select in the library grid: click toggles, shift-click adds the range from the last click,
// Ctrl/Cmd+A takes all, Escape clears; ranges reach cards that are not loaded (by index).
import { describe, expect, it } from 'vitest'
import { NO_SELECTION, idsInRange, rangeBounds, selectAll, selectionKey, toggleSelection, withRange } from '../../src/renderer/src/store/selectionModel'

const ids = (s: { ids: ReadonlySet<string> }): string[] => [...s.ids].sort()

describe('selection', () => {
  it('toggles one card and remembers it as the anchor', () => {
    const a = toggleSelection(NO_SELECTION, 'a', 0)
    expect(ids(a)).toEqual(['a'])
    expect(a.anchor).toBe(0)
    const b = toggleSelection(a, 'c', 2)
    expect(ids(b)).toEqual(['a', 'c'])
    const c = toggleSelection(b, 'a', 0)
    expect(ids(c)).toEqual(['c'])
    expect(c.anchor).toBe(0)
    expect(ids(a)).toEqual(['a']) // never changed in place
  })

  it('adds a range from the anchor, either way, keeping what was selected', () => {
    expect(rangeBounds(2, 5)).toEqual([2, 5])
    expect(rangeBounds(7, 3)).toEqual([3, 7])
    expect(rangeBounds(null, 4)).toEqual([4, 4])
    const start = toggleSelection(toggleSelection(NO_SELECTION, 'z', 9), 'b', 1)
    const r = withRange(start, ['b', 'c', 'd'], 3)
    expect(ids(r)).toEqual(['b', 'c', 'd', 'z'])
    // The anchor stays, so a second shift-click re-spans from it.
    expect(r.anchor).toBe(1)
    expect(withRange(NO_SELECTION, ['q'], 4).anchor).toBe(4)
  })

  it('reads a range from the loaded cards, or says it must be asked for', () => {
    const item = (id: string): { id: string } => ({ id })
    const sparse: ({ id: string } | undefined)[] = [item('a'), item('b'), undefined, item('d')]
    expect(idsInRange(sparse, 0, 1)).toEqual(['a', 'b'])
    expect(idsInRange(sparse, 1, 3)).toBeNull()
    expect(idsInRange(sparse, 3, 3)).toEqual(['d'])
    expect(idsInRange(sparse, 3, 9)).toBeNull() // past what is loaded
  })

  it('selects all, and maps keys: Ctrl/Cmd+A not while typing, Escape clears', () => {
    expect(ids(selectAll(['x', 'y']))).toEqual(['x', 'y'])
    const key = (k: string, o: { ctrl?: boolean; meta?: boolean; typing?: boolean; dialog?: boolean } = {}) =>
      selectionKey({ key: k, ctrlKey: o.ctrl ?? false, metaKey: o.meta ?? false, altKey: false, typing: o.typing ?? false, dialogOpen: o.dialog ?? false })
    expect(key('a', { ctrl: true })).toBe('all')
    expect(key('A', { meta: true })).toBe('all')
    expect(key('a')).toBeNull()
    expect(key('a', { ctrl: true, typing: true })).toBeNull()
    expect(key('a', { ctrl: true, dialog: true })).toBeNull()
    expect(key('Escape')).toBe('clear')
    expect(key('Escape', { typing: true })).toBeNull()
    expect(key('Escape', { dialog: true })).toBeNull()
  })
})
