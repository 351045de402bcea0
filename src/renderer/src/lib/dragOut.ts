// Dragging a finished video out of the window (into a file manager, an editor): the page's own drag
// is cancelled and main starts the OS's, with the real file — named here only by its job or
// library item. While that drag passes over our own window, the drop overlay must not offer to
// make a batch of it.
import type { DragEvent } from 'react'
import { appClient } from '../clients/appClient'
import type { DragRef } from '../shared'
import { OutgoingDrag } from './outgoingDrag'

const outgoing = new OutgoingDrag()

/** `onDragStart` of a finished video's row, card or player. */
export function dragVideoOut(e: DragEvent, ref: DragRef): void {
  e.preventDefault()
  e.stopPropagation()
  outgoing.start()
  appClient.startDrag(ref)
}

/** A drag of our own video is under way (the OS reports it like any file dragged in). */
export function isOutgoingDrag(): boolean {
  return outgoing.active()
}

// The OS drag ends with a drop somewhere. The page sees it land on us (drop), or the pointer move
// again with the button up (until the OS drag starts the button is still down, so a move then
// does not count), or the button released when main started no drag at all. A drop in another
// app shows none of these: the drag leaving the window, the window's focus changing and a time
// limit end it too (./outgoingDrag.ts).
const done = (): void => outgoing.end()
if (typeof window !== 'undefined') {
  window.addEventListener('pointermove', (e) => e.buttons === 0 && done(), true)
  window.addEventListener('pointerup', done, true)
  window.addEventListener('drop', done, true)
  window.addEventListener('blur', done)
  window.addEventListener('focus', done)
  window.addEventListener('dragleave', (e) => outgoing.dragLeave(e, { width: window.innerWidth, height: window.innerHeight }), true)
}
