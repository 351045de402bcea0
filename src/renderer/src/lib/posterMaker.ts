// Makes a library poster in the renderer: a hidden video seeks to ~0.5 s, the frame is drawn to
// a canvas and encoded as a JPEG under 200 KB, then main stores it (library.poster).
import { mediaUrl } from '../api'
import { libraryClient } from '../clients/libraryClient'
import type { LibraryItem } from '../shared'
import { useLibrary } from '../store/library'
import { POSTER_MAX_BYTES, POSTER_QUALITIES, posterSize, posterTime } from './crop'
import { PosterQueue } from './posterQueue'

function once(target: EventTarget, ok: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => {
      cleanup()
      reject(new Error('timeout'))
    }, timeoutMs)
    const onOk = (): void => {
      cleanup()
      resolve()
    }
    const onErr = (): void => {
      cleanup()
      reject(new Error('media error'))
    }
    const cleanup = (): void => {
      window.clearTimeout(timer)
      target.removeEventListener(ok, onOk)
      target.removeEventListener('error', onErr)
    }
    target.addEventListener(ok, onOk)
    target.addEventListener('error', onErr)
  })
}

async function encode(canvas: HTMLCanvasElement): Promise<Uint8Array<ArrayBuffer>> {
  for (const q of POSTER_QUALITIES) {
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', q))
    if (blob && blob.size <= POSTER_MAX_BYTES) return new Uint8Array(await blob.arrayBuffer())
  }
  throw new Error('poster too large')
}

export async function makePoster(item: LibraryItem): Promise<LibraryItem> {
  const video = document.createElement('video')
  video.crossOrigin = 'anonymous'
  video.muted = true
  video.preload = 'metadata'
  video.playsInline = true
  try {
    video.src = mediaUrl('library', item.fileName)
    await once(video, 'loadedmetadata', 15_000)
    video.currentTime = posterTime(video.duration)
    await once(video, 'seeked', 15_000)
    const { width, height } = posterSize(video.videoWidth, video.videoHeight)
    const canvas = document.createElement('canvas')
    canvas.width = width
    canvas.height = height
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('no canvas')
    ctx.drawImage(video, 0, 0, width, height)
    const bytes = await encode(canvas)
    return await libraryClient.savePoster(item.id, bytes)
  } finally {
    video.removeAttribute('src')
    video.load()
  }
}

/** One queue for the whole app: two posters at a time, each item once, only while its card is visible. */
export const posterQueue = new PosterQueue(async (id) => {
  const item = useLibrary.getState().items.find((x) => x?.id === id)
  if (!item || item.poster) return
  const updated = await makePoster(item)
  useLibrary.getState().put(updated)
}, 2)
