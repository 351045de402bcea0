// Whether the OS drag over the window is our own video going out (lib/dragOut.ts wires it to the
// window's events). The page never learns for sure where an OS drag ended: it may be dropped in
// another app, while another app has focus, so none of the page's events fire. Any sign that it
// is over ends it (a drop, the button up, the drag leaving the window, the window losing or
// gaining focus), and so does a time limit: a real drop of images must never be refused for a
// drag that ended long ago.
const LIMIT_MS = 30_000

export interface DragLeavePoint {
  clientX: number
  clientY: number
  relatedTarget: unknown
}

export class OutgoingDrag {
  private since: number | null = null

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limitMs = LIMIT_MS
  ) {}

  start(): void {
    this.since = this.now()
  }

  end(): void {
    this.since = null
  }

  active(): boolean {
    if (this.since === null) return false
    if (this.now() - this.since > this.limitMs) this.since = null
    return this.since !== null
  }

  /** A dragleave: the drag left the window when it went to no element, at or past the window's edge. */
  dragLeave(e: DragLeavePoint, view: { width: number; height: number }): void {
    if (e.relatedTarget !== null && e.relatedTarget !== undefined) return
    if (e.clientX <= 0 || e.clientY <= 0 || e.clientX >= view.width || e.clientY >= view.height) this.end()
  }
}
