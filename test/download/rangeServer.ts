// A tiny HTTP server for the downloader tests: serves one buffer with ETag/Last-Modified,
// Range and If-Range, and misbehaves on request.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type Fault =
  | 'none'
  | 'cut-half' // send half of the body, then drop the connection
  | 'ignore-range' // always answer 200 with the whole body
  | 'stall' // send half, then nothing
  | 'html' // 200 text/html page
  | 'html-as-binary' // an HTML body labelled application/octet-stream
  | 'json' // 200 application/json error body
  | 'huge' // Content-Length: 20 GiB, then close
  | 'lying-total' // always 206, announcing a total 100 bytes larger than the body
  | 'chunked' // no Content-Length, chunked encoding
  | 'slow' // trickle 64 KiB every 20 ms
  | 'redirect' // 302 to /final on the same server
  | 'redirect-loop'
  | 'cross-redirect' // 302 to another origin (set `redirectTo`)
  | 'chain' // `chainHops` redirects (/hop1, /hop2…), then the video
  | number // answer this status with a short text body

export interface RequestLog {
  url: string
  range?: string
  ifRange?: string
  authorization?: string
}

export class RangeServer {
  body: Buffer
  etag = '"v1"'
  lastModified = new Date('2026-01-01T00:00:00Z').toUTCString()
  fault: Fault = 'none'
  redirectTo = ''
  chainHops = 0
  requests: RequestLog[] = []
  /** Body bytes written to the network, over all responses. */
  bytesSent = 0
  private server: http.Server
  private sockets = new Set<import('node:net').Socket>()

  constructor(body: Buffer) {
    this.body = body
    this.server = http.createServer((req, res) => this.handle(req, res))
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((r) => this.server.close(() => r()))
  }

  /** Replaces the served content (a new version: new ETag). */
  setBody(body: Buffer, etag: string): void {
    this.body = body
    this.etag = etag
    this.lastModified = new Date('2026-02-01T00:00:00Z').toUTCString()
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.push({
      url: req.url ?? '',
      range: req.headers.range,
      ifRange: req.headers['if-range'] as string | undefined,
      authorization: req.headers.authorization
    })
    const f = this.fault
    if (typeof f === 'number') {
      res.writeHead(f, { 'content-type': 'text/plain' })
      return void res.end(`status ${f}`)
    }
    if (f === 'redirect' && !req.url?.startsWith('/final')) {
      res.writeHead(302, { location: '/final?sig=abc' })
      return void res.end()
    }
    if (f === 'redirect-loop') {
      res.writeHead(302, { location: `/again${this.requests.length}` })
      return void res.end()
    }
    if (f === 'chain') {
      const hop = Number(/^\/hop(\d+)/.exec(req.url ?? '')?.[1] ?? 0)
      if (hop < this.chainHops) {
        res.writeHead(302, { location: `/hop${hop + 1}` })
        return void res.end()
      }
    }
    if (f === 'cross-redirect') {
      res.writeHead(302, { location: this.redirectTo })
      return void res.end()
    }
    if (f === 'html' || f === 'html-as-binary') {
      res.writeHead(200, { 'content-type': f === 'html' ? 'text/html; charset=utf-8' : 'application/octet-stream' })
      return void res.end('<!DOCTYPE html><html><body>AccessDenied</body></html>')
    }
    if (f === 'json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end('{"error":{"message":"expired"}}')
    }
    if (f === 'huge') {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(20 * 1024 ** 3) })
      res.write(this.body.subarray(0, 1024))
      setTimeout(() => res.socket?.destroy(), 50)
      return
    }

    const size = this.body.length
    let start = 0
    const validators = { etag: this.etag, 'last-modified': this.lastModified, 'accept-ranges': 'bytes' }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    const ifRange = req.headers['if-range']
    const rangeOk = f === 'lying-total' || (m && f !== 'ignore-range' && (!ifRange || ifRange === this.etag || ifRange === this.lastModified))
    if (rangeOk) {
      start = m ? Number(m[1]) : 0
      if (start >= size) {
        res.writeHead(416, { 'content-range': `bytes */${size}` })
        return void res.end()
      }
    }
    const part = this.body.subarray(start)
    const total = f === 'lying-total' ? size + 100 : size
    const headers: Record<string, string> = { 'content-type': 'video/mp4', ...validators }
    if (f !== 'chunked') headers['content-length'] = String(part.length)
    if (rangeOk) headers['content-range'] = `bytes ${start}-${size - 1}/${total}`
    res.writeHead(rangeOk ? 206 : 200, headers)

    if (f === 'cut-half' || f === 'stall') {
      const half = part.subarray(0, Math.floor(size / 2) - start > 0 ? Math.floor(size / 2) - start : Math.floor(part.length / 2))
      this.bytesSent += half.length
      res.write(half, () => {
        if (f === 'cut-half') setTimeout(() => res.socket?.destroy(), 20)
      })
      return
    }
    if (f === 'slow') {
      let off = 0
      const tick = (): void => {
        if (res.destroyed) return
        const piece = part.subarray(off, off + 64 * 1024)
        off += piece.length
        this.bytesSent += piece.length
        if (off >= part.length) return void res.end(piece)
        res.write(piece)
        setTimeout(tick, 20)
      }
      return tick()
    }
    if (f === 'chunked') {
      let off = 0
      while (off < part.length) {
        const piece = part.subarray(off, off + 300_000)
        res.write(piece)
        off += piece.length
      }
      this.bytesSent += part.length
      return void res.end()
    }
    this.bytesSent += part.length
    res.end(part)
  }
}

/** A fake MP4 of `size` bytes: an `ftyp` box, then a deterministic pattern. */
export function fakeMp4(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size)
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff
  b.writeUInt32BE(0x20, 0)
  b.write('ftypisom', 4, 'latin1')
  return b
}
