// Serves library videos, posters and dropped-image thumbnails to the renderer, with HTTP Range so
// <video> can seek. Plain web Request → Response: Electron's protocol.handle and the browser test
// host both call it. From the library folder only what libraryFiles allows (videos and posters);
// otherwise only a path the person dropped, or one a job was created with.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { Readable } from 'node:stream'
import { type LibraryFile, posterInsideLibrary, videoInsideLibrary } from './libraryFiles'

const TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp'
}

export interface MediaSources {
  libraryRoot(): string
  /** Poster path relative to the library root, for a library item id. */
  posterOf(id: string): string | null
  /** Absolute path of a dropped image, for its opaque token. */
  imageOf(token: string): string | null
  /** Absolute path of a job's source image (only paths a job was created with). */
  jobImageOf(jobId: string, index: number): string | null
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } })
}

function fromLibrary(file: LibraryFile, request: Request): Promise<Response> | Response {
  if (file.ok) return serveFile(file.path, request)
  return file.why === 'missing' ? plain(404, 'Not found') : plain(403, 'Forbidden')
}

/** Parses `bytes=a-b`, `bytes=a-`, `bytes=-n` for a file of `size` bytes; null when unsatisfiable. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | 'none' | null {
  if (!header) return 'none'
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return 'none'
  let start: number
  let end: number
  if (m[1] === '') {
    const n = Number(m[2])
    if (n === 0) return null
    start = Math.max(0, size - n)
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  }
  if (start >= size || start > end) return null
  return { start, end }
}

async function serveFile(abs: string, request: Request): Promise<Response> {
  let st
  try {
    st = await stat(abs)
  } catch {
    return plain(404, 'Not found')
  }
  if (!st.isFile()) return plain(404, 'Not found')
  const type = TYPES[extname(abs).toLowerCase()] ?? 'application/octet-stream'
  const range = parseRange(request.headers.get('range'), st.size)
  // CORS lets the renderer draw frames and images onto a canvas (posters, resize/crop).
  const common = {
    'content-type': type,
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
    'last-modified': st.mtime.toUTCString(),
    'access-control-allow-origin': '*',
    'x-content-type-options': 'nosniff'
  }
  if (range === null) return new Response(null, { status: 416, headers: { ...common, 'content-range': `bytes */${st.size}` } })
  const head = request.method === 'HEAD'
  if (range === 'none') {
    const body = head || st.size === 0 ? null : (Readable.toWeb(createReadStream(abs)) as ReadableStream<Uint8Array>)
    return new Response(body, { status: 200, headers: { ...common, 'content-length': String(st.size) } })
  }
  const body = head ? null : (Readable.toWeb(createReadStream(abs, { start: range.start, end: range.end })) as ReadableStream<Uint8Array>)
  return new Response(body, {
    status: 206,
    headers: { ...common, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${st.size}` }
  })
}

/**
 * Routes: `/library/<file name>`, `/poster/<item id>`, `/image/<token>`, `/jobimage/<job id>/<n>`. `pathname` is the part
 * after the scheme's host (Electron: media://library/…, test host: http://127.0.0.1:port/media/library/…).
 */
export async function serveMedia(request: Request, pathname: string, sources: MediaSources): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed')
  // Decoded once, whole, before anything looks at it: `%2E%2F.partial` is `./.partial` to every
  // check below, and `%252e` stays the literal name `%2e` (never decoded twice into a dot).
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return plain(400, 'Bad path')
  }
  const [kind, ...rest] = decoded.replace(/^\/+/, '').split('/')
  const root = sources.libraryRoot()
  if (kind === 'library') return fromLibrary(await videoInsideLibrary(root, rest.join('/')), request)
  if (kind === 'poster' && rest.length === 1) {
    const rel = sources.posterOf(rest[0])
    if (!rel) return plain(404, 'No poster')
    return fromLibrary(await posterInsideLibrary(root, rel), request)
  }
  if (kind === 'jobimage' && rest.length === 2 && /^\d{1,2}$/.test(rest[1])) {
    const abs = sources.jobImageOf(rest[0], Number(rest[1]))
    if (!abs) return plain(404, 'No such image')
    return serveFile(abs, request)
  }
  if (kind === 'image' && rest.length === 1) {
    const abs = sources.imageOf(rest[0])
    if (!abs) return plain(404, 'Unknown image')
    return serveFile(abs, request)
  }
  return plain(404, 'Not found')
}
