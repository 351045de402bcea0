// Library posters: where one is written (`.posters/<id>.jpg`, recorded with the item and its
// sidecar), and the worker that makes one with ffmpeg when a video lands. The worker runs one
// poster at a time beside the job stages, never inside them: a poster is not a job transition, and
// a job is completed whether or not its poster was made (the renderer makes it on first view then).
import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { LibraryItem } from '../../shared/library'
import { msg } from '../../shared/messages'
import type { Logger } from '../ports'
import { type Library, LibraryError, type MediaInfo } from './library'
import type { PosterFrames } from './posterFrames'

export const POSTERS_FOLDER = '.posters'

/** Writes a poster for a library item (atomically) and records it, with any media info, on the item. */
export async function storePoster(library: Pick<Library, 'root' | 'get' | 'setMediaInfo'>, id: string, jpeg: Uint8Array, info: Omit<MediaInfo, 'poster'> = {}): Promise<LibraryItem> {
  if (!library.get(id)) throw new LibraryError(msg('library.gone'), 'not_found')
  const dir = join(library.root, POSTERS_FOLDER)
  await mkdir(dir, { recursive: true })
  const rel = `${POSTERS_FOLDER}/${id}.jpg`
  // A unique temporary name: the renderer and the worker may write the same poster at once.
  const tmp = join(dir, `${id}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, jpeg)
    await rename(tmp, join(library.root, rel))
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  return library.setMediaInfo(id, { ...info, poster: rel })
}

export interface PosterWorkerPorts {
  library: Library
  /** Null: this engine makes no posters (the renderer does, as a card is first shown). */
  frames: PosterFrames | null
  logger: Logger
  /** The item changed (its poster and media info): tell the front ends. */
  changed(itemIds: string[]): void
}

/** Makes posters for landed videos, one at a time, each item once. */
export class PosterWorker {
  private queue: string[] = []
  private queued = new Set<string>()
  private running: Promise<void> | null = null
  private ac = new AbortController()
  private saidUnavailable = false

  constructor(private readonly ports: PosterWorkerPorts) {}

  /** A video landed in the library: make its poster soon (nothing when it has one). */
  landed(itemId: string): void {
    if (!this.ports.frames || this.ac.signal.aborted || this.queued.has(itemId)) return
    this.queued.add(itemId)
    this.queue.push(itemId)
    this.running ??= this.drain().finally(() => {
      this.running = null
    })
  }

  /** Resolves when nothing is queued or being made. */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  /** Stops: the poster being made is abandoned, the queue dropped (the renderer makes those later). */
  async stop(): Promise<void> {
    this.ac.abort(new Error('engine stopping'))
    this.queue = []
    this.queued.clear()
    await this.idle()
  }

  /** After stop(), a new run. */
  renew(): void {
    if (this.ac.signal.aborted) this.ac = new AbortController()
  }

  private async drain(): Promise<void> {
    for (let id = this.queue.shift(); id !== undefined; id = this.queue.shift()) {
      try {
        await this.make(id)
      } catch (err) {
        if (!this.ac.signal.aborted) this.ports.logger.log('warn', `poster for ${id} not made: ${err instanceof Error ? err.message : String(err)}`)
      } finally {
        this.queued.delete(id)
      }
    }
  }

  private async make(id: string): Promise<void> {
    const { library, frames, logger } = this.ports
    const item = library.get(id)
    if (!item || item.poster || !frames) return
    const signal = this.ac.signal
    const r = await frames.grab(library.absolutePath(item), signal)
    if (signal.aborted) return
    if (r.kind === 'unavailable') {
      if (!this.saidUnavailable) logger.log('info', `poster for ${id}: ffmpeg unavailable (${r.detail}); posters are made when the library first shows a video`)
      this.saidUnavailable = true
      return
    }
    if (r.kind === 'unreadable') {
      logger.log('warn', `poster for ${id} not made: ffmpeg could not read ${item.fileName}: ${r.detail}`)
      return
    }
    // The item may have gone (deleted) or got a poster from the renderer while ffmpeg ran.
    const now = library.get(id)
    if (!now) return
    const { width, height, durationS } = r.frame
    if (now.poster) library.setMediaInfo(id, { width, height, durationS })
    else await storePoster(library, id, r.frame.jpeg, { width, height, durationS })
    this.ports.changed([id])
  }
}
