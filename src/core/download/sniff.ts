// What the first bytes of a download say it is: a video container, or something else to name.
import type { VideoContainer } from '../../shared/library'

/** Bytes worth reading before deciding. */
export const SNIFF_BYTES = 16

const MP4_BOXES = new Set(['moov', 'mdat', 'free', 'wide', 'skip'])
const QUICKTIME_BRANDS = new Set(['qt  '])

/** The container a file starts like, or null when it is not a video we know. */
export function sniffContainer(bytes: Uint8Array): VideoContainer | null {
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm'
  if (bytes.length < 8) return null
  const box = ascii(bytes, 4, 8)
  if (box === 'ftyp') {
    const brand = bytes.length >= 12 ? ascii(bytes, 8, 12) : ''
    return QUICKTIME_BRANDS.has(brand) ? 'mov' : 'mp4'
  }
  if (box === 'pnot') return 'mov'
  if (MP4_BOXES.has(box)) return 'mp4'
  return null
}

/** A few words for what a non-video body looked like: "an HTML page", "a JSON document"… */
export function describeBytes(bytes: Uint8Array): string {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64)).replace(/^\uFEFF/, '').trimStart().toLowerCase()
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head') || head.startsWith('<body')) return 'an HTML page'
  if (head.startsWith('<?xml') || head.startsWith('<')) return 'an XML document'
  if (head.startsWith('{') || head.startsWith('[')) return 'a JSON document'
  if (bytes.length === 0) return 'an empty file'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'a JPEG image'
  if (bytes.length >= 4 && bytes[0] === 0x89 && ascii(bytes, 1, 4) === 'PNG') return 'a PNG image'
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) return 'a ZIP archive'
  const printable = [...bytes.subarray(0, 64)].every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128)
  return printable ? 'a text document' : 'data that is not a video'
}

/** The same judgement from a Content-Type header; null when the header does not rule out a video. */
export function describeContentType(contentType: string | null): string | null {
  if (!contentType) return null
  const mime = contentType.split(';')[0].trim().toLowerCase()
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'an HTML page'
  if (mime === 'application/json' || mime.endsWith('+json')) return 'a JSON document'
  if (mime === 'application/xml' || mime === 'text/xml' || mime.endsWith('+xml')) return 'an XML document'
  if (mime.startsWith('text/')) return 'a text document'
  return null
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let s = ''
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i])
  return s
}
