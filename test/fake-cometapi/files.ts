// Result files: signed URLs, Range/If-Range, and large generated files streamed from disk
// (benchmarks ask for 1 GiB: it must never sit in memory).
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, open, rename, rm, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURE_DIR = resolve(fileURLToPath(new URL('../fixtures/videos/', import.meta.url)))

/** Only plain `<id>.mp4|webm` names: anything else (`..`, slashes, NUL) never reaches the disk. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*\.(mp4|webm)$/

export const contentTypeOf = (name: string): string => (name.endsWith('.webm') ? 'video/webm' : 'video/mp4')

export function safeFixturePath(name: string): string | null {
  if (!SAFE_NAME.test(name)) return null
  const p = resolve(FIXTURE_DIR, name)
  return p.startsWith(FIXTURE_DIR + sep) ? p : null
}

export const isSafeName = (name: string): boolean => SAFE_NAME.test(name)

// An ISO-BMFF `ftyp` box (isom, minor 0x200, isom/iso2/avc1/mp41), so generated files sniff as MP4.
const FTYP_BOX = Buffer.concat([
  Buffer.from([0, 0, 0, 32]),
  Buffer.from('ftypisom', 'ascii'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isomiso2avc1mp41', 'ascii')
])

function mp4Header(size: number): Buffer {
  const rest = size - FTYP_BOX.length
  if (rest < 16) return FTYP_BOX.subarray(0, Math.max(0, size))
  // An `mdat` box spanning the rest keeps the file a structurally valid ISO-BMFF stream.
  if (rest <= 0xffffffff) {
    const h = Buffer.alloc(8)
    h.writeUInt32BE(rest, 0)
    h.write('mdat', 4, 'ascii')
    return Buffer.concat([FTYP_BOX, h])
  }
  const h = Buffer.alloc(16)
  h.writeUInt32BE(1, 0)
  h.write('mdat', 4, 'ascii')
  h.writeBigUInt64BE(BigInt(rest), 8)
  return Buffer.concat([FTYP_BOX, h])
}

export class FileStore {
  readonly secret = createHmac('sha256', String(Math.random())).update(String(Date.now())).digest()
  private dir: Promise<string> | null = null
  private generated = new Map<number, Promise<string>>()

  sign(name: string, exp: number): string {
    return createHmac('sha256', this.secret).update(`${name}\n${exp}`).digest('hex').slice(0, 32)
  }

  verify(name: string, exp: string | null, sig: string | null, now: number): 'ok' | 'expired' | 'invalid' {
    if (!exp || !sig || !/^\d+$/.test(exp) || !/^[0-9a-f]{32}$/.test(sig)) return 'invalid'
    const want = Buffer.from(this.sign(name, Number(exp)))
    if (!timingSafeEqual(want, Buffer.from(sig))) return 'invalid'
    return Number(exp) < now ? 'expired' : 'ok'
  }

  /** Path of a file of exactly `bytes` bytes, generated once per size on first use. */
  generatedFile(bytes: number): Promise<string> {
    let p = this.generated.get(bytes)
    if (!p) {
      p = this.generate(bytes)
      this.generated.set(bytes, p)
      // A failed generation (e.g. close() removed the dir mid-write) must not poison later requests.
      p.catch(() => this.generated.delete(bytes))
    }
    return p
  }

  private async generate(bytes: number): Promise<string> {
    this.dir ??= mkdtemp(join(tmpdir(), 'comet-fake-'))
    const dir = await this.dir
    const final = join(dir, `generated-${bytes}.mp4`)
    const tmp = `${final}.part`
    const header = mp4Header(bytes)
    const chunk = Buffer.alloc(1 << 20)
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff
    const fh = await open(tmp, 'w')
    try {
      await fh.write(header)
      let left = bytes - header.length
      while (left > 0) {
        const n = Math.min(left, chunk.length)
        await fh.write(chunk, 0, n)
        left -= n
      }
    } finally {
      await fh.close()
    }
    await rename(tmp, final)
    return final
  }

  async cleanup(): Promise<void> {
    if (this.dir) await rm(await this.dir, { recursive: true, force: true })
  }
}

type Range = { start: number; end: number } | 'unsatisfiable' | null

/** Single `bytes=` ranges only; multi-range or malformed headers are ignored (full 200), as RFC 9110 allows. */
export function parseRange(header: string, size: number): Range {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return null
  if (m[1] === '') {
    const suffix = Number(m[2])
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(m[1])
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (start >= size) return 'unsatisfiable'
  if (m[2] !== '' && Number(m[2]) < start) return null
  return { start, end }
}

export interface ServeResult {
  status: number
  bytesSent: number
}

/**
 * Streams `path` with HTTP range semantics. `fault` `reset` destroys the socket after part of
 * the body, `truncate` announces the full length and ends the socket early.
 */
export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  contentType: string,
  fault: 'reset' | 'truncate' | null,
  onBytes: (n: number) => void,
  bytesPerSecond: number | null = null
): Promise<ServeResult> {
  const st = await stat(path)
  const size = st.size
  const etag = `"${size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`
  const lastModified = st.mtime.toUTCString()
  const base: Record<string, string | number> = {
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': lastModified,
    'Cache-Control': 'private, max-age=0'
  }
  const rangeHeader = req.headers.range
  const ifRange = req.headers['if-range']
  const rangeApplies = rangeHeader !== undefined && (ifRange === undefined || ifRange === etag || ifRange === lastModified)
  const range = rangeApplies ? parseRange(rangeHeader, size) : null
  if (range === 'unsatisfiable') {
    const body = JSON.stringify({ error: { message: 'Requested range not satisfiable', type: 'invalid_request_error' } })
    res.writeHead(416, { ...base, 'Content-Range': `bytes */${size}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
    res.end(body)
    onBytes(Buffer.byteLength(body))
    return { status: 416, bytesSent: Buffer.byteLength(body) }
  }
  const start = range ? range.start : 0
  const end = range ? range.end : size - 1
  const length = end - start + 1
  const status = range ? 206 : 200
  res.writeHead(status, {
    ...base,
    'Content-Type': contentType,
    'Content-Length': length,
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {})
  })
  if (req.method === 'HEAD' || length <= 0) {
    res.end()
    return { status, bytesSent: 0 }
  }
  const toSend = fault ? Math.floor(length / 2) : length
  const sent = await pump(res, path, start, toSend, onBytes, bytesPerSecond)
  const socket = res.socket
  if (!fault) res.end()
  else if (fault === 'truncate') socket?.end()
  else socket?.resetAndDestroy()
  return { status, bytesSent: sent }
}

/** Copies `count` bytes from `start` with backpressure; resolves after the last write flushed. */
function pump(res: ServerResponse, path: string, start: number, count: number, onBytes: (n: number) => void, bytesPerSecond: number | null): Promise<number> {
  return new Promise((done) => {
    let sent = 0
    if (count <= 0) return done(0)
    const chunkSize = bytesPerSecond ? Math.max(1024, Math.min(256 * 1024, Math.floor(bytesPerSecond / 10))) : 256 * 1024
    const rs = createReadStream(path, { start, end: start + count - 1, highWaterMark: chunkSize })
    let last: Promise<void> = Promise.resolve()
    const finish = (): void => void last.then(() => done(sent))
    // The stream resumes only when the socket drained and, when throttled, the pause is over.
    let waits = 0
    const release = (): void => {
      if (--waits === 0) rs.resume()
    }
    rs.on('data', (chunk) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      last = new Promise((ok) => {
        const more = res.write(buf, () => ok())
        if (!more) {
          waits++
          res.once('drain', release)
        }
      })
      sent += buf.length
      onBytes(buf.length)
      if (bytesPerSecond) {
        waits++
        setTimeout(release, (buf.length / bytesPerSecond) * 1000)
      }
      if (waits > 0) rs.pause()
    })
    rs.on('end', finish)
    rs.on('error', finish)
    res.on('close', () => {
      rs.destroy()
      done(sent)
    })
  })
}
