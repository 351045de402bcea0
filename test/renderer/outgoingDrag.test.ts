// Whether a drag over the window is our own video going out (src/renderer/src/lib/outgoingDrag.ts):
// the drop overlay ignores that one, and must not go on refusing real drops after it ended unseen.
import { describe, expect, it } from 'vitest'
import { OutgoingDrag } from '../../src/renderer/src/lib/outgoingDrag'

const VIEW = { width: 1200, height: 800 }

describe('our own drag-out, as the drop overlay sees it', () => {
  it('is under way from the drag start until the page sees it end (a drop, the button up)', () => {
    const d = new OutgoingDrag(() => 0)
    expect(d.active()).toBe(false)
    d.start()
    expect(d.active()).toBe(true)
    d.end()
    expect(d.active()).toBe(false)
  })

  it('ends when the drag leaves the window (it may end outside, where the page sees nothing), not when it moves between elements', () => {
    const d = new OutgoingDrag(() => 0)
    d.start()
    d.dragLeave({ clientX: 600, clientY: 400, relatedTarget: null }, VIEW)
    d.dragLeave({ clientX: 0, clientY: 400, relatedTarget: {} }, VIEW)
    expect(d.active()).toBe(true)
    for (const p of [
      { clientX: 0, clientY: 400 },
      { clientX: 1200, clientY: 400 },
      { clientX: 600, clientY: -3 },
      { clientX: 600, clientY: 800 }
    ]) {
      d.start()
      d.dragLeave({ ...p, relatedTarget: null }, VIEW)
      expect(d.active(), JSON.stringify(p)).toBe(false)
    }
  })

  it('is forgotten after a time limit, so a real drop later is never refused for it', () => {
    let now = 0
    const d = new OutgoingDrag(() => now, 30_000)
    d.start()
    now = 29_999
    expect(d.active()).toBe(true)
    now = 30_001
    expect(d.active()).toBe(false)
    // A new drag-out starts its own limit.
    d.start()
    now = 40_000
    expect(d.active()).toBe(true)
  })
})
