// The one place API requests touch the network. node:http rather than fetch because the engine
// must know whether a failed request ever reached the server: a create that never connected can be
// sent again, one that did may already have been billed.
import http from 'node:http'
import https from 'node:https'

export interface TransportRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: Uint8Array
  signal?: AbortSignal
  /** Time allowed to open the connection. */
  connectTimeoutMs: number
  /** Longest silence allowed once connected (waiting for headers or between body chunks). */
  readTimeoutMs: number
  /** Largest body we accept (API answers are small JSON). */
  maxBodyBytes: number
  /** Use a new connection: a stale keep-alive socket would make a create's outcome look unknown. */
  freshConnection?: boolean
  /** Called when the request starts going on the wire (connected, first bytes written). */
  onSend?: () => void
}

export interface TransportResponse {
  status: number
  headers: Record<string, string>
  body: Buffer
}

export type TransportErrorCode =
  | 'connect_timeout'
  | 'read_timeout'
  | 'refused'
  | 'dns'
  | 'reset'
  | 'canceled'
  | 'too_large'
  | 'other'

export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: TransportErrorCode,
    /** True once any request byte may have reached the server. */
    readonly sent: boolean
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

export type HttpTransport = (req: TransportRequest) => Promise<TransportResponse>

const keepAliveHttp = new http.Agent({ keepAlive: true, maxSockets: 32 })
const keepAliveHttps = new https.Agent({ keepAlive: true, maxSockets: 32 })

export const nodeHttpTransport: HttpTransport = (req) =>
  new Promise<TransportResponse>((resolve, reject) => {
    const url = new URL(req.url)
    const isHttps = url.protocol === 'https:'
    if (!isHttps && url.protocol !== 'http:') {
      reject(new TransportError(`Unsupported URL scheme ${url.protocol}`, 'other', false))
      return
    }
    if (req.signal?.aborted) {
      reject(new TransportError('Request canceled', 'canceled', false))
      return
    }
    let connected = false
    let settled = false
    const headers: Record<string, string> = { ...req.headers }
    if (req.body) headers['content-length'] = String(req.body.byteLength)
    const request = (isHttps ? https : http).request(url, {
      method: req.method,
      headers,
      agent: req.freshConnection ? false : isHttps ? keepAliveHttps : keepAliveHttp
    })

    const fail = (err: TransportError): void => {
      if (settled) return
      settled = true
      cleanup()
      request.destroy()
      reject(err)
    }
    const onAbort = (): void => fail(new TransportError('Request canceled', 'canceled', connected))
    req.signal?.addEventListener('abort', onAbort, { once: true })

    const connectTimer = setTimeout(() => {
      if (!connected) fail(new TransportError(`Could not connect to ${url.host} within ${req.connectTimeoutMs} ms`, 'connect_timeout', false))
    }, req.connectTimeoutMs)
    let readTimer: ReturnType<typeof setTimeout> | null = null
    const armRead = (): void => {
      if (readTimer) clearTimeout(readTimer)
      readTimer = setTimeout(() => {
        fail(new TransportError(`No answer from ${url.host} for ${req.readTimeoutMs} ms`, 'read_timeout', true))
      }, req.readTimeoutMs)
    }
    const cleanup = (): void => {
      clearTimeout(connectTimer)
      if (readTimer) clearTimeout(readTimer)
      req.signal?.removeEventListener('abort', onAbort)
    }

    request.on('socket', (socket) => {
      const onConnect = (): void => {
        connected = true
        clearTimeout(connectTimer)
        req.onSend?.()
        armRead()
      }
      // A reused keep-alive socket is already connected.
      if (!socket.connecting) onConnect()
      else socket.once(isHttps ? 'secureConnect' : 'connect', onConnect)
    })

    request.on('response', (res) => {
      armRead()
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        armRead()
        size += chunk.length
        if (size > req.maxBodyBytes) {
          fail(new TransportError(`Answer larger than ${req.maxBodyBytes} bytes`, 'too_large', true))
          return
        }
        chunks.push(chunk)
      })
      res.on('end', () => {
        if (settled) return
        settled = true
        cleanup()
        const flat: Record<string, string> = {}
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v
        }
        resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) })
      })
      res.on('error', (err) => fail(new TransportError(`Connection broke while reading the answer: ${err.message}`, 'reset', true)))
      res.on('aborted', () => fail(new TransportError('Connection broke while reading the answer', 'reset', true)))
    })

    request.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? ''
      if (code === 'ECONNREFUSED') fail(new TransportError(`Connection refused by ${url.host}`, 'refused', false))
      else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') fail(new TransportError(`Could not find the host ${url.hostname}`, 'dns', false))
      else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED')
        fail(new TransportError('The connection was reset', 'reset', connected))
      else fail(new TransportError(err.message, 'other', connected))
    })

    if (req.body) request.end(req.body)
    else request.end()
  })
