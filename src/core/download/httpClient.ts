// A minimal HTTP/1.1 GET client over node:net / node:tls for large downloads.
//
// Why not node:http: its body path hands us 64 KiB chunks through a stream per chunk; here a
// plain TCP socket reads straight into one reusable 1 MiB buffer (`onread`) and the caller
// writes each read to disk before the next one, which is what lets a download beat `curl -o`
// on loopback and still fsync. TLS sockets use ordinary 'data' events: their `onread` keeps
// delivering after a pause, and decryption, not copying, is their cost anyway.
// Only what a download needs: GET, Connection: close, Content-Length, chunked or
// read-until-close bodies, 1xx skipped, redirects followed by openResponse().
import net from 'node:net'
import tls from 'node:tls'
import { msg } from '../../shared/messages'
import { ProxyConfigError, type ProxyDecider } from '../http/proxy'
import { type ProxyAgents, sharedProxyAgents } from '../http/proxyAgents'
import type { DestinationGuard } from './addressPolicy'
import { ChunkedDecoder } from './chunked'
import { DownloadError, networkError } from './downloadError'
import { proxiedGet } from './proxiedGet'
import { decideBounded, TransportError } from '../http/transport'

export interface ResponseHead {
  status: number
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>
}

export interface BodyHandler {
  /** Body bytes in `buf[start, end)` (valid only during the call); return false to pause until resume(). */
  data(buf: Buffer, start: number, end: number): boolean
  end(): void
  error(err: Error): void
}

export interface OpenOptions {
  headers: Record<string, string>
  /** Until the response headers arrive. */
  connectTimeoutMs: number
  /** No byte for this long while reading the body. */
  idleTimeoutMs: number
  maxRedirects: number
  /** Judges every hop's URL, and resolves its host when connecting. */
  guard: DestinationGuard
  signal?: AbortSignal
  readBufferBytes?: number
  /** Decides each hop's proxy; a proxied hop goes through node:http and proxy-agent (proxiedGet.ts). */
  proxy?: ProxyDecider
  agents?: ProxyAgents
}

export interface Response extends ResponseHead {
  /** Where the answer came from after redirects. */
  url: URL
  /** Starts delivering the body to `handler`. */
  readBody(handler: BodyHandler): void
  /** Continues after `data` returned false. */
  resume(): void
  /** Closes the connection; with an error, the body handler hears it. */
  close(err?: Error): void
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** Credentials that must not follow a redirect to another origin (e.g. the API key to a CDN). */
const PRIVATE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization'])
const MAX_HEAD_BYTES = 64 * 1024
const DEFAULT_READ_BUFFER = 1024 * 1024

/** GET `start`, following redirects; resolves once the final response's headers are in. */
export async function openResponse(start: URL, opts: OpenOptions): Promise<Response> {
  let url = start
  let headers = { ...opts.headers }
  for (let hop = 0; ; hop++) {
    const refused = await opts.guard.check(url)
    if (refused) throw refused
    const res = await getOnce(url, headers, opts)
    const location = res.headers.location
    if (!REDIRECTS.has(res.status) || !location) return res
    res.close()
    if (hop >= opts.maxRedirects) {
      throw new DownloadError(
        `The download link redirected more than ${opts.maxRedirects} times; downloads follow at most ${opts.maxRedirects} redirects.`,
        'refused',
        false,
        { status: res.status }
      )
    }
    let next: URL
    try {
      next = new URL(location, url)
    } catch {
      throw new DownloadError(`${url.host} redirected the download to an invalid address.`, 'http', false, { status: res.status })
    }
    if (next.origin !== url.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !PRIVATE_HEADERS.has(k.toLowerCase())))
    }
    url = next
  }
}

export function canceled(): DownloadError {
  return new DownloadError('The download was canceled.', 'canceled', false)
}

async function getOnce(url: URL, headers: Record<string, string>, opts: OpenOptions): Promise<Response> {
  if (opts.proxy) {
    let route
    try {
      route = await decideBounded(opts.proxy, url, opts)
    } catch (err) {
      if (err instanceof TransportError) {
        if (err.code === 'canceled') throw canceled()
        const sentence = msg('proxy.decideTimeout', { target: url.host, source: 'system' })
        throw new DownloadError(sentence.text, 'network', true, { code: 'PROXY_TIMEOUT', sentence })
      }
      if (!(err instanceof ProxyConfigError)) throw err
      const sentence = msg('proxy.invalid', { proxy: err.proxy, detail: err.reason })
      throw new DownloadError(sentence.text, 'network', true, { code: 'PROXY_INVALID', sentence })
    }
    if (route) {
      requestText(url, headers) // refuses a malformed header as the direct path does
      return proxiedGet(url, headers, opts, route, opts.agents ?? sharedProxyAgents)
    }
  }
  return directGet(url, headers, opts)
}

function directGet(url: URL, headers: Record<string, string>, opts: OpenOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(canceled())
    let request: string
    try {
      request = requestText(url, headers)
    } catch (err) {
      return reject(err)
    }
    new Exchange(url, request, opts, resolve, reject)
  })
}

function requestText(url: URL, headers: Record<string, string>): string {
  const lines = [`GET ${url.pathname || '/'}${url.search} HTTP/1.1`, `Host: ${url.host}`]
  const seen = new Set(['host', 'connection'])
  for (const [name, value] of Object.entries(headers)) {
    // A CR or LF would let a value inject headers: refuse (without echoing it, it may be a secret).
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
      throw new DownloadError(`The download request header "${/^[\x20-\x7e]{1,64}$/.test(name) ? name : '?'}" is malformed.`, 'http', false)
    }
    if (seen.has(name.toLowerCase())) continue
    seen.add(name.toLowerCase())
    lines.push(`${name}: ${value}`)
  }
  lines.push('Connection: close', '', '')
  return lines.join('\r\n')
}

type Framing = { kind: 'length'; remaining: number } | { kind: 'chunked'; decoder: ChunkedDecoder } | { kind: 'close' }

/** One request/response on its own connection. */
class Exchange implements Response {
  status = 0
  headers: Record<string, string> = {}
  private readonly socket: net.Socket
  private phase: 'head' | 'waiting' | 'body' | 'done' = 'head'
  private head: Buffer[] = []
  private headBytes = 0
  private framing: Framing = { kind: 'close' }
  private handler: BodyHandler | null = null
  /** Bytes not yet handed over, in order: the rest of the head's last read, a read paused mid-way… */
  private queue: { buf: Buffer; start: number; end: number }[] = []
  /** The handler asked us to wait (its data() returned false) until resume(). */
  private held = false
  private eof = false
  private failure: Error | null = null
  private readonly connectTimer: ReturnType<typeof setTimeout>

  constructor(
    readonly url: URL,
    request: string,
    private readonly opts: OpenOptions,
    private readonly onHead: (res: Response) => void,
    private readonly onFail: (err: Error) => void
  ) {
    const host = url.hostname.replace(/^\[|\]$/g, '')
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
    if (url.protocol === 'https:') {
      this.socket = tls.connect({ host, port, lookup: opts.guard.lookup, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] })
      this.socket.on('data', (chunk: Buffer) => {
        if (!this.onRead(chunk, true)) this.socket.pause()
      })
    } else {
      const onread = {
        buffer: Buffer.allocUnsafe(opts.readBufferBytes ?? DEFAULT_READ_BUFFER),
        // Returning false pauses the socket, so the buffer is not refilled until resume().
        callback: (n: number, buf: Uint8Array): boolean => this.onRead(Buffer.from(buf.buffer, buf.byteOffset, n), false)
      }
      this.socket = net.connect({ host, port, onread, lookup: opts.guard.lookup })
    }
    this.socket.write(request)
    // A refusal from the guard's lookup arrives here as the socket's error, and stays a refusal.
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.fail(err instanceof DownloadError ? err : networkError(err, url.host)))
    this.socket.on('end', () => this.onEof())
    this.socket.on('close', () => this.onEof())
    this.socket.on('timeout', () => this.fail(stalled(url.host, opts.idleTimeoutMs)))
    this.connectTimer = setTimeout(() => {
      this.fail(new DownloadError(`${url.host} did not answer within ${Math.round(opts.connectTimeoutMs / 1000)} s; the download will try again.`, 'timeout', true))
    }, opts.connectTimeoutMs)
    opts.signal?.addEventListener('abort', this.onAbort, { once: true })
  }

  readBody(handler: BodyHandler): void {
    this.handler = handler
    if (this.failure) return handler.error(this.failure)
    if (this.phase !== 'waiting') return
    this.phase = 'body'
    if (this.bodyIsEmpty()) return this.finish()
    this.resume()
  }

  resume(): void {
    if (this.phase !== 'body') return
    this.held = false
    while (this.queue.length) {
      const p = this.queue.shift() as { buf: Buffer; start: number; end: number }
      if (!this.feed(p.buf, p.start, p.end)) return
    }
    if (this.phase !== 'body') return
    if (this.eof) return this.onEof()
    this.socket.setTimeout(this.opts.idleTimeoutMs)
    this.socket.resume()
  }

  close(err?: Error): void {
    if (err) return this.fail(err)
    this.phase = 'done'
    this.cleanup()
  }

  private onAbort = (): void => {
    this.fail(canceled())
  }

  /** `owned`: the chunk is ours to keep; otherwise it is the socket's buffer, reused after this call. */
  private onRead(chunk: Buffer, owned: boolean): boolean {
    if (this.phase === 'head') return this.readHead(chunk)
    if (this.phase === 'done') return false
    // Bytes that arrive while we wait for readBody() or for the handler to resume.
    if (this.phase === 'waiting' || this.held || this.queue.length) {
      const copy = owned ? chunk : Buffer.from(chunk)
      this.queue.push({ buf: copy, start: 0, end: copy.length })
      return false
    }
    return this.feed(chunk, 0, chunk.length)
  }

  private readHead(chunk: Buffer): boolean {
    this.head.push(Buffer.from(chunk))
    this.headBytes += chunk.length
    for (;;) {
      const all = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head)
      this.head = [all]
      const end = all.indexOf('\r\n\r\n')
      if (end === -1) {
        if (this.headBytes > MAX_HEAD_BYTES) this.fail(malformed(this.url.host))
        return this.phase === 'head'
      }
      try {
        this.parseHead(all.subarray(0, end).toString('latin1'))
      } catch {
        this.fail(malformed(this.url.host))
        return false
      }
      const rest = all.subarray(end + 4)
      this.head = [rest]
      this.headBytes = rest.length
      if (this.status >= 100 && this.status < 200) continue // 100 Continue, 103 Early Hints
      this.head = []
      if (rest.length) this.queue.push({ buf: rest, start: 0, end: rest.length })
      this.phase = 'waiting'
      clearTimeout(this.connectTimer)
      this.socket.setTimeout(0)
      this.onHead(this)
      return false // paused until readBody()
    }
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n')
    const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0])
    if (!m) throw new Error('bad status line')
    this.status = Number(m[1])
    const headers: Record<string, string> = {}
    let last = ''
    for (const line of lines.slice(1)) {
      if (/^[ \t]/.test(line) && last) {
        headers[last] += ' ' + line.trim()
        continue
      }
      const colon = line.indexOf(':')
      if (colon <= 0) throw new Error('bad header line')
      const name = line.slice(0, colon).trim().toLowerCase()
      const value = line.slice(colon + 1).trim()
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value
      last = name
    }
    this.headers = headers
    const te = headers['transfer-encoding']?.toLowerCase()
    const cl = headers['content-length']
    if (te && te.split(',').map((s) => s.trim()).includes('chunked')) this.framing = { kind: 'chunked', decoder: new ChunkedDecoder() }
    else if (cl !== undefined) {
      if (!/^\d+$/.test(cl)) throw new Error('bad content-length')
      this.framing = { kind: 'length', remaining: Number(cl) }
    } else this.framing = { kind: 'close' }
  }

  private bodyIsEmpty(): boolean {
    return this.status === 204 || this.status === 304 || (this.framing.kind === 'length' && this.framing.remaining === 0)
  }

  /** Hands body bytes to the handler; false when paused or finished (the socket must not read on). */
  private feed(buf: Buffer, start: number, end: number): boolean {
    const handler = this.handler as BodyHandler
    const f = this.framing
    while (start < end && this.phase === 'body') {
      let from = start
      let to = end
      if (f.kind === 'length') {
        to = Math.min(end, start + f.remaining)
        f.remaining -= to - from
        start = to
      } else if (f.kind === 'chunked') {
        let step
        try {
          step = f.decoder.step(buf, start, end)
        } catch {
          this.fail(malformed(this.url.host))
          return false
        }
        start = step.pos
        if (step.done) {
          this.finish()
          return false
        }
        if (!step.data) continue
        ;[from, to] = step.data
      } else {
        start = end
      }
      let more = true
      try {
        more = to > from ? handler.data(buf, from, to) : true
      } catch (err) {
        this.fail(err as Error)
        return false
      }
      if (f.kind === 'length' && f.remaining === 0) {
        this.finish()
        return false
      }
      if (!more) {
        if (this.phase !== 'body') return false
        if (start < end) this.queue.unshift({ buf, start, end })
        this.held = true
        this.socket.setTimeout(0)
        return false
      }
    }
    return this.phase === 'body'
  }

  private onEof(): void {
    this.eof = true
    if (this.phase === 'done' || this.phase === 'waiting') return // waiting: judged once the body is read
    // Paused with bytes in hand: resume() delivers them, then comes back here.
    if (this.phase === 'body' && (this.queue.length || this.held)) return
    if (this.phase === 'body' && this.framing.kind === 'close') return this.finish()
    const what = this.phase === 'head' ? 'without answering' : 'before the video was complete'
    this.fail(
      new DownloadError(`${this.url.host} closed the connection ${what}; the download continues from where it stopped.`, 'network', true, { code: 'ECONNRESET' })
    )
  }

  private finish(): void {
    if (this.phase === 'done') return
    this.phase = 'done'
    this.cleanup()
    this.handler?.end()
  }

  private fail(err: Error): void {
    if (this.phase === 'done' || this.failure) return
    const before = this.phase
    this.failure = err
    this.phase = 'done'
    this.cleanup()
    if (before === 'head') this.onFail(err)
    else this.handler?.error(err)
  }

  private cleanup(): void {
    clearTimeout(this.connectTimer)
    this.opts.signal?.removeEventListener('abort', this.onAbort)
    this.socket.setTimeout(0)
    this.socket.destroy()
  }
}

function stalled(host: string, ms: number): DownloadError {
  return new DownloadError(`The download from ${host} stalled (no data for ${Math.round(ms / 1000)} s); it continues from where it stopped.`, 'timeout', true)
}

function malformed(host: string): DownloadError {
  return new DownloadError(`${host} sent a malformed HTTP response; the download will try again.`, 'http', true)
}
