// Makes the small images the desktop shell needs from the app icon (build/icons/512x512.png), with
// the ffmpeg the app already ships (@ffmpeg-installer) for decoding and encoding PNG:
//   resources/tray/tray-16.png, tray-32.png            the tray icon (Windows, Linux): the app icon, small
//   resources/tray/trayTemplate-16.png, -32.png        the macOS menu-bar icon: the icon's white glyph
//                                                      (sparkle and video frame) in black, a template image
//   resources/drag-icon.png                            what a dragged video shows when it has no poster
// Run `node scripts/make-tray-icons.mjs` after changing the app icon; the results are committed.
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const ffmpeg = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg').path
const SOURCE = join(ROOT, 'build/icons/512x512.png')
const SIZE = 512

/** The PNG's pixels as RGBA bytes. */
function decode(file, size) {
  return execFileSync(ffmpeg, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${size}x${size}`, '-'], { maxBuffer: 64 * 1024 * 1024 })
}

function encode(rgba, w, h, file) {
  mkdirSync(dirname(file), { recursive: true })
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${w}x${h}`, '-i', '-', '-frames:v', '1', '-pix_fmt', 'rgba', file], { input: rgba })
}

/** Box-filter downscale of a square RGBA image (alpha-weighted, so edges do not darken). */
function downscale(rgba, from, to) {
  const out = Buffer.alloc(to * to * 4)
  const f = from / to
  for (let y = 0; y < to; y++) {
    for (let x = 0; x < to; x++) {
      let r = 0, g = 0, b = 0, a = 0, n = 0
      for (let sy = Math.floor(y * f); sy < Math.floor((y + 1) * f); sy++) {
        for (let sx = Math.floor(x * f); sx < Math.floor((x + 1) * f); sx++) {
          const i = (sy * from + sx) * 4
          const al = rgba[i + 3] / 255
          r += rgba[i] * al
          g += rgba[i + 1] * al
          b += rgba[i + 2] * al
          a += al
          n++
        }
      }
      const o = (y * to + x) * 4
      out[o] = a ? Math.round(r / a) : 0
      out[o + 1] = a ? Math.round(g / a) : 0
      out[o + 2] = a ? Math.round(b / a) : 0
      out[o + 3] = Math.round((a / n) * 255)
    }
  }
  return out
}

/** The icon's white glyph as black with alpha, cropped to a square around it with a small margin. */
function glyph(rgba, size) {
  const mask = Buffer.alloc(size * size * 4)
  let minX = size, minY = size, maxX = 0, maxY = 0
  for (let p = 0; p < size * size; p++) {
    const i = p * 4
    // Whiteness: how far the darkest channel is above the gradient's brightest (~0.6).
    const w = Math.max(0, Math.min(1, (Math.min(rgba[i], rgba[i + 1], rgba[i + 2]) / 255 - 0.62) / 0.3)) * (rgba[i + 3] / 255)
    mask[i + 3] = Math.round(w * 255)
    if (w > 0.5) {
      const x = p % size
      const y = Math.floor(p / size)
      minX = Math.min(minX, x)
      maxX = Math.max(maxX, x)
      minY = Math.min(minY, y)
      maxY = Math.max(maxY, y)
    }
  }
  const side = Math.ceil(Math.max(maxX - minX, maxY - minY) * 1.22)
  const side2 = side - (side % 32) + 32 // a multiple of 32, so both sizes filter evenly
  const cx = Math.round((minX + maxX) / 2)
  const cy = Math.round((minY + maxY) / 2)
  const out = Buffer.alloc(side2 * side2 * 4)
  for (let y = 0; y < side2; y++) {
    for (let x = 0; x < side2; x++) {
      const sx = cx - side2 / 2 + x
      const sy = cy - side2 / 2 + y
      if (sx < 0 || sy < 0 || sx >= size || sy >= size) continue
      out[(y * side2 + x) * 4 + 3] = mask[(sy * size + sx) * 4 + 3]
    }
  }
  return { rgba: out, side: side2 }
}

const icon = decode(SOURCE, SIZE)
for (const px of [16, 32]) encode(downscale(icon, SIZE, px), px, px, join(ROOT, `resources/tray/tray-${px}.png`))
const g = glyph(icon, SIZE)
for (const px of [16, 32]) encode(downscale(g.rgba, g.side, px), px, px, join(ROOT, `resources/tray/trayTemplate-${px}.png`))
encode(downscale(icon, SIZE, 64), 64, 64, join(ROOT, 'resources/drag-icon.png'))
console.log('wrote resources/tray/tray-{16,32}.png, resources/tray/trayTemplate-{16,32}.png, resources/drag-icon.png')
