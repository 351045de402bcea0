// "Resize/crop to W×H": decode the image from the media route, crop it to the target's shape (centred
// or at the position the person chose), scale to exactly W×H, encode, and have main save the copy.
import { mediaUrl } from '../api'
import { filesClient } from '../clients/filesClient'
import type { FixTarget, ImageCard } from '../shared'
import { useMediaCache } from '../store/mediaCache'
import { cropRect, fixedMime, type CropPosition } from './crop'

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image()
    img.crossOrigin = 'anonymous'
    img.decoding = 'async'
    img.onload = () => resolve(img)
    img.onerror = () => reject(new Error('The image could not be loaded for resizing.'))
    img.src = src
  })
}

function toBlob(canvas: HTMLCanvasElement, mime: string): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The resized image could not be encoded.'))), mime, 0.92)
  })
}

/** Crops and scales `card` to `target` (by default the fix main worked out), kept at `position`. */
export async function fixImage(card: ImageCard, target: FixTarget | null = card.fix, position: CropPosition = 'center'): Promise<ImageCard> {
  if (!target) throw new Error('Nothing to fix.')
  const { width, height } = target
  const img = await loadImage(mediaUrl('image', card.token))
  const crop = cropRect(img.naturalWidth, img.naturalHeight, width, height, position)
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('The image could not be drawn.')
  ctx.imageSmoothingEnabled = true
  ctx.imageSmoothingQuality = 'high'
  ctx.drawImage(img, crop.sx, crop.sy, crop.sw, crop.sh, 0, 0, width, height)
  const mime = fixedMime(card.info.type)
  const blob = await toBlob(canvas, mime)
  const bytes = new Uint8Array(await blob.arrayBuffer())
  const fixed = await filesClient.saveFixedImage({ sourceName: card.name, mime, bytes })
  useMediaCache.getState().rememberCards([fixed])
  return fixed
}
