// Readable, portable file names for library videos, and the one path check everyone uses
// before touching a file named by someone else (sidecar, IPC, media protocol).
import { isAbsolute, relative, resolve, sep, win32 } from 'node:path'

export interface LibraryNameInput {
  completedAt: number
  model: string
  prompt: string
  /** A few characters of the job id, so two runs of one prompt in one minute differ. */
  shortId: string
  ext: string
}

/** Longest name we produce, in characters and in UTF-8 bytes (most file systems allow 255 bytes). */
export const MAX_NAME_CHARS = 120
export const MAX_NAME_BYTES = 200
const MAX_SLUG_CHARS = 48
const MAX_MODEL_CHARS = 40

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i
// Characters no file system we ship to accepts, plus controls and NUL.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\:*?"<>|\u0000-\u001f\u007f]/g

/** `2026-11-24 1432 sora-2 a-paper-airplane-glides-3f9a.mp4`; `isTaken` adds ` (2)`, ` (3)`… */
export function libraryFileName(input: LibraryNameInput, isTaken: (name: string) => boolean = () => false): string {
  const ext = sanitizeExt(input.ext)
  const model = slugModel(input.model)
  const shortId = input.shortId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8)
  const head = `${formatStamp(input.completedAt)} ${model}`
  const tail = shortId ? `-${shortId}` : ''
  // Room for the head, the tail, the extension and a ` (99)` suffix.
  const roomChars = MAX_NAME_CHARS - head.length - tail.length - ext.length - 7
  const roomBytes = MAX_NAME_BYTES - utf8Length(head) - tail.length - ext.length - 7
  const slug = truncateSlug(slugify(input.prompt), Math.min(MAX_SLUG_CHARS, roomChars), roomBytes) || 'untitled'
  const stem = sanitizeFileName(`${head} ${slug}${tail}`)
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${stem}.${ext}` : `${stem} (${n}).${ext}`
    if (!isTaken(name)) return name
  }
}

/** Makes any string a file name every desktop OS accepts; never returns an empty or dot-only name. */
export function sanitizeFileName(name: string): string {
  let out = name.normalize('NFC').replace(FORBIDDEN, '-')
  out = out.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '')
  const base = out.split('.')[0].trim()
  if (WINDOWS_DEVICE.test(base)) out = `_${out}`
  out = truncateUtf8(out, MAX_NAME_BYTES)
  if (out.length > MAX_NAME_CHARS) out = [...out].slice(0, MAX_NAME_CHARS).join('')
  out = out.replace(/[.\s]+$/, '')
  return out || 'untitled'
}

/** Letters and digits of any script, in lower case, joined by `-`; emoji and punctuation dropped. */
export function slugify(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    // Variation selectors and keycap marks belong to emoji, which we drop.
    .replace(/[\uFE00-\uFE0F\u{E0100}-\u{E01EF}\p{Me}]/gu, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/(^|-)\p{M}+/gu, '$1')
    .replace(/^-+|-+$/g, '')
}

/** Absolute path of `rel` under `root`, or null when it is absolute, climbs out, is empty or holds NUL. */
export function resolveInside(root: string, rel: string): string | null {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\0')) return null
  if (isAbsolute(rel) || win32.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) return null
  if (rel.split(/[\\/]/).some((part) => part === '..')) return null
  const base = resolve(root)
  const abs = resolve(base, rel)
  const r = relative(base, abs)
  if (r === '' || r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r)) return null
  return abs
}

function formatStamp(ms: number): string {
  const d = new Date(ms)
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}${p(d.getMinutes())}`
}

function slugModel(model: string): string {
  const s = model
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_MODEL_CHARS)
    .replace(/[-.]+$/g, '')
  return s || 'video'
}

function sanitizeExt(ext: string): string {
  const e = ext.replace(/^\./, '').toLowerCase().replace(/[^a-z0-9]/g, '')
  return e.slice(0, 8) || 'mp4'
}

/** Cuts a slug to `maxChars` characters and `maxBytes` UTF-8 bytes, at a `-` when one is near the end. */
function truncateSlug(slug: string, maxChars: number, maxBytes: number): string {
  const chars = [...slug]
  if (chars.length <= maxChars && utf8Length(slug) <= maxBytes) return slug
  let cut = truncateUtf8(chars.slice(0, Math.max(0, maxChars)).join(''), Math.max(0, maxBytes))
  const dash = cut.lastIndexOf('-')
  if (dash >= cut.length * 0.6) cut = cut.slice(0, dash)
  return cut.replace(/-+$/, '')
}

function truncateUtf8(s: string, maxBytes: number): string {
  if (utf8Length(s) <= maxBytes) return s
  let out = ''
  let bytes = 0
  for (const ch of s) {
    const b = utf8Length(ch)
    if (bytes + b > maxBytes) break
    out += ch
    bytes += b
  }
  return out
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}
