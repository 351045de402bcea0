// Tells an image's type and pixel size from its first bytes. The content decides, never the
// file name: a PDF renamed `.png` is not an image. Nothing here decodes pixels, and nothing
// here touches Node, because the renderer uses it too (drag-and-drop previews).
import type { ImageType } from './modelTypes'

export type ImageHeader =
  | { type: ImageType; width: number; height: number }
  /** A recognised format whose size could not be read (truncated or damaged header). */
  | { type: ImageType; width: null; height: null }

export const IMAGE_MIME: Record<ImageType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp'
}

/** What a caller reads first. Enough for every format but JPEG, whose size can sit behind large metadata. */
export const HEADER_PROBE_BYTES = 64 * 1024

/** A parse outcome plus, when more of the file would answer the question, how many bytes to read. */
interface Inspection {
  header: ImageHeader | null
  /** Total byte count from the start of the file that would let the parse finish; null when more cannot help. */
  needBytes: number | null
}

export function parseImageHeader(bytes: Uint8Array): ImageHeader | null {
  return inspect(bytes).header
}

/**
 * How many bytes from the file start the parse needs, when the given bytes were not enough
 * (a JPEG whose frame header lies past an EXIF thumbnail or ICC profile). Null when the bytes
 * already answer, or when reading more cannot help (not an image, damaged).
 */
export function headerBytesNeeded(bytes: Uint8Array): number | null {
  return inspect(bytes).needBytes
}

function inspect(b: Uint8Array): Inspection {
  if (startsWith(b, PNG_SIGNATURE)) return parsePng(b)
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return parseJpeg(b)
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return parseWebp(b)
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return parseGif(b)
  if (ascii(b, 0, 2) === 'BM') return parseBmp(b)
  return { header: null, needBytes: null }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function parsePng(b: Uint8Array): Inspection {
  // The first chunk must be IHDR: length 13, then width and height as big-endian u32.
  if (b.length < 24) return unsized('png', 24)
  if (u32be(b, 8) !== 13 || ascii(b, 12, 4) !== 'IHDR') return unsized('png')
  return sized('png', u32be(b, 16), u32be(b, 20))
}

// SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG extension) and CC (DAC) share the range but do not.
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
}

function parseJpeg(b: Uint8Array): Inspection {
  let i = 2
  while (true) {
    if (i >= b.length) return unsized('jpeg', i + 10)
    if (b[i] !== 0xff) return unsized('jpeg') // not at a marker: damaged
    // Any number of 0xFF fill bytes may precede a marker code.
    while (i < b.length && b[i] === 0xff) i++
    if (i >= b.length) return unsized('jpeg', i + 10)
    const marker = b[i]
    // Standalone markers have no length: TEM, RST0..7, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i++
      continue
    }
    // End of image or start of scan before any frame header: there is no size to find.
    if (marker === 0xd9 || marker === 0xda || marker === 0x00) return unsized('jpeg')
    // Segment: marker at i, 2-byte length (which counts itself) at i+1.
    if (i + 2 >= b.length) return unsized('jpeg', i + 10)
    const length = (b[i + 1] << 8) | b[i + 2]
    if (length < 2) return unsized('jpeg')
    if (isStartOfFrame(marker)) {
      // precision (1), height (2), width (2)
      if (i + 7 >= b.length) return unsized('jpeg', i + 8)
      return sized('jpeg', (b[i + 6] << 8) | b[i + 7], (b[i + 4] << 8) | b[i + 5])
    }
    i += 1 + length
  }
}

function parseWebp(b: Uint8Array): Inspection {
  const chunk = ascii(b, 12, 4)
  if (chunk === 'VP8 ') {
    // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (top 2 bits are scale).
    if (b.length < 30) return unsized('webp', 30)
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return unsized('webp')
    return sized('webp', u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff)
  }
  if (chunk === 'VP8L') {
    // Lossless: signature 0x2F, then width-1 and height-1 as 14-bit fields packed little-endian.
    if (b.length < 25) return unsized('webp', 25)
    if (b[20] !== 0x2f) return unsized('webp')
    const width = 1 + (b[21] | ((b[22] & 0x3f) << 8))
    const height = 1 + ((b[22] >> 6) | (b[23] << 2) | ((b[24] & 0x0f) << 10))
    return sized('webp', width, height)
  }
  if (chunk === 'VP8X') {
    // Extended: flags (1) + reserved (3), then canvas width-1 and height-1 as 24-bit little-endian.
    if (b.length < 30) return unsized('webp', 30)
    return sized('webp', 1 + u24le(b, 24), 1 + u24le(b, 27))
  }
  return b.length < 16 ? unsized('webp', 30) : unsized('webp')
}

function parseGif(b: Uint8Array): Inspection {
  if (b.length < 10) return unsized('gif', 10)
  return sized('gif', u16le(b, 6), u16le(b, 8))
}

// DIB header sizes in the wild: OS/2 core (12), OS/2 v2 (16, 64), Windows v1..v5 (40, 52, 56, 108, 124).
const BMP_DIB_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124])

function parseBmp(b: Uint8Array): Inspection {
  if (b.length < 18) return unsized('bmp', 26)
  const dib = u32le(b, 14)
  // Two letters "BM" are a weak signature (plain text can start with them): demand a real DIB header.
  if (!BMP_DIB_SIZES.has(dib)) return { header: null, needBytes: null }
  if (dib === 12) {
    if (b.length < 22) return unsized('bmp', 22)
    return sized('bmp', u16le(b, 18), u16le(b, 20))
  }
  if (b.length < 26) return unsized('bmp', 26)
  // Height is negative for top-down bitmaps.
  return sized('bmp', Math.abs(i32le(b, 18)), Math.abs(i32le(b, 22)))
}

function sized(type: ImageType, width: number, height: number): Inspection {
  // A zero dimension is not a picture anyone can upload: treat it as a damaged header.
  if (!(width > 0 && height > 0)) return unsized(type)
  return { header: { type, width, height }, needBytes: null }
}

function unsized(type: ImageType, needBytes: number | null = null): Inspection {
  return { header: { type, width: null, height: null }, needBytes }
}

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  if (b.length < sig.length) return false
  return sig.every((v, i) => b[i] === v)
}

function ascii(b: Uint8Array, at: number, len: number): string {
  if (b.length < at + len) return ''
  return String.fromCharCode(...b.subarray(at, at + len))
}

function u16le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8)
}

function u24le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)
}

function u32le(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0
}

function i32le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)
}

function u32be(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0
}
