// Real proxies on loopback for the proxy tests, each counting what it forwarded:
// - an HTTP proxy (the `proxy` package: absolute-URI forwarding and CONNECT tunnels), optionally
//   asking for Basic credentials (407 otherwise);
// - a small SOCKS5 server (RFC 1928 CONNECT, no-auth or RFC 1929 user/password), test-only: no
//   maintained package offers a SOCKS5 server, and this one only needs to tunnel on loopback.
//   It reads the request lines of the plain HTTP it tunnels, so a test can see what went through.
import { createServer as createHttpServer, type IncomingMessage } from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { createProxy } from 'proxy'

export interface Forwarded {
  method: string
  /** Absolute URL for a forwarded request, `host:port` for a CONNECT. */
  url: string
}

export interface CountingProxy {
  url: string
  host: string
  port: number
  /** Requests it let through (after authentication). */
  forwarded: Forwarded[]
  /** Requests it answered 407. */
  refused: Forwarded[]
  /** Client connections accepted. */
  connections: number
  /** Ask for these Basic credentials from now on (null: none). */
  requireAuth(credentials: { username: string; password: string } | null): void
  /** Forwarded requests whose path starts with `prefix` (absolute-URI requests only). */
  paths(prefix?: string): string[]
  close(): Promise<void>
}

function basicOk(req: IncomingMessage, want: { username: string; password: string }): boolean {
  const header = req.headers['proxy-authorization']
  if (typeof header !== 'string' || !header.startsWith('Basic ')) return false
  return Buffer.from(header.slice(6), 'base64').toString('utf8') === `${want.username}:${want.password}`
}

/** An HTTP proxy on 127.0.0.1 (`port` 0: any free one). */
export async function startHttpProxy(port = 0): Promise<CountingProxy> {
  const server = createProxy(createHttpServer())
  const sockets = new Set<net.Socket>()
  let auth: { username: string; password: string } | null = null
  const p: CountingProxy = {
    url: '',
    host: '127.0.0.1',
    port: 0,
    forwarded: [],
    refused: [],
    connections: 0,
    requireAuth(c) {
      auth = c
    },
    paths(prefix = '/') {
      return p.forwarded
        .filter((f) => f.method !== 'CONNECT')
        .map((f) => new URL(f.url).pathname)
        .filter((path) => path.startsWith(prefix))
    },
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    }
  }
  server.authenticate = (req) => {
    const entry = { method: req.method ?? '', url: req.url ?? '' }
    if (auth && !basicOk(req, auth)) {
      p.refused.push(entry)
      return false
    }
    p.forwarded.push(entry)
    return true
  }
  server.on('connection', (s: net.Socket) => {
    p.connections++
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  p.port = (server.address() as AddressInfo).port
  p.url = `http://127.0.0.1:${p.port}`
  return p
}

export interface SocksTunnel {
  /** `host:port` as the client asked for it (a name stays a name: the proxy resolves it). */
  target: string
  /** HTTP request lines seen going through ("POST /v1/videos"). */
  requests: string[]
}

export interface CountingSocks {
  url: string
  port: number
  tunnels: SocksTunnel[]
  /** Handshakes refused for wrong or missing credentials. */
  refusedAuth: number
  requests(): string[]
  requireAuth(credentials: { username: string; password: string } | null): void
  close(): Promise<void>
}

const REQUEST_LINE = /(?:^|\r\n)(GET|POST|PUT|DELETE|HEAD|PATCH) (\S+) HTTP\/1\.[01]\r\n/g

/** A SOCKS5 server on 127.0.0.1. */
export async function startSocks5(): Promise<CountingSocks> {
  let auth: { username: string; password: string } | null = null
  const sockets = new Set<net.Socket>()
  const s: CountingSocks = {
    url: '',
    port: 0,
    tunnels: [],
    refusedAuth: 0,
    requests: () => s.tunnels.flatMap((t) => t.requests),
    requireAuth(c) {
      auth = c
    },
    async close() {
      for (const c of sockets) c.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    }
  }

  const server = net.createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    let buf = Buffer.alloc(0)
    let stage: 'greeting' | 'auth' | 'request' | 'open' = 'greeting'
    const take = (n: number): Buffer | null => {
      if (buf.length < n) return null
      const out = buf.subarray(0, n)
      buf = buf.subarray(n)
      return out
    }
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk])
      for (;;) {
        if (stage === 'greeting') {
          if (buf.length < 2 || buf.length < 2 + buf[1]) return
          const methods = [...buf.subarray(2, 2 + buf[1])]
          take(2 + buf[1])
          const want = auth ? 0x02 : 0x00
          if (!methods.includes(want)) {
            if (auth) s.refusedAuth++
            client.end(Buffer.from([0x05, 0xff]))
            return
          }
          client.write(Buffer.from([0x05, want]))
          stage = auth ? 'auth' : 'request'
        } else if (stage === 'auth') {
          if (buf.length < 2) return
          const ulen = buf[1]
          if (buf.length < 3 + ulen || buf.length < 3 + ulen + buf[2 + ulen]) return
          const plen = buf[2 + ulen]
          const msg = take(3 + ulen + plen) as Buffer
          const user = msg.subarray(2, 2 + ulen).toString('utf8')
          const pass = msg.subarray(3 + ulen, 3 + ulen + plen).toString('utf8')
          const ok = !!auth && user === auth.username && pass === auth.password
          client.write(Buffer.from([0x01, ok ? 0x00 : 0x01]))
          if (!ok) {
            s.refusedAuth++
            client.end()
            return
          }
          stage = 'request'
        } else if (stage === 'request') {
          if (buf.length < 5) return
          const atyp = buf[3]
          const len = atyp === 0x01 ? 4 : atyp === 0x04 ? 16 : 1 + buf[4]
          if (buf.length < 4 + len + 2) return
          const req = take(4 + len + 2) as Buffer
          let host: string
          if (atyp === 0x01) host = [...req.subarray(4, 8)].join('.')
          else if (atyp === 0x04) host = (req.subarray(4, 20).toString('hex').match(/.{4}/g) as string[]).join(':')
          else host = req.subarray(5, 5 + req[4]).toString('utf8')
          const port = req.readUInt16BE(4 + len)
          const tunnel: SocksTunnel = { target: `${host}:${port}`, requests: [] }
          stage = 'open'
          client.off('data', onData)
          client.pause()
          const upstream = net.connect({ host, port })
          upstream.on('connect', () => {
            s.tunnels.push(tunnel)
            client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0, 0]))
            const sniff = (data: Buffer): void => {
              for (const m of data.toString('latin1').matchAll(REQUEST_LINE)) tunnel.requests.push(`${m[1]} ${m[2]}`)
            }
            if (buf.length) {
              sniff(buf)
              upstream.write(buf)
            }
            client.on('data', sniff)
            client.pipe(upstream)
            upstream.pipe(client)
            client.resume()
          })
          upstream.on('error', () => {
            // 0x05: connection refused by the target.
            if (!client.destroyed) client.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0]))
          })
          upstream.on('close', () => client.destroy())
          client.on('close', () => upstream.destroy())
          return
        } else return
      }
    }
    client.on('data', onData)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  s.port = (server.address() as AddressInfo).port
  s.url = `socks5h://127.0.0.1:${s.port}`
  return s
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as AddressInfo).port
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

export interface GatedRelay {
  port: number
  /** Connections whose answer reached the limit and are held there. */
  held(): number
  close(): Promise<void>
}

/**
 * A TCP relay on 127.0.0.1 in front of `upstreamPort` (a proxy) that lets each connection's answer
 * through only up to `limit` bytes and then holds it (the upstream paused) until closed: a
 * download through it is caught mid-way for certain, whatever the machine's speed.
 */
export async function startGatedRelay(upstreamPort: number, limit: number): Promise<GatedRelay> {
  const sockets = new Set<net.Socket>()
  let held = 0
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: upstreamPort })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => s.destroy())
    }
    let passed = 0
    client.pipe(upstream)
    upstream.on('data', (chunk: Buffer) => {
      if (passed >= limit) return
      const room = limit - passed
      client.write(chunk.subarray(0, room))
      passed += Math.min(room, chunk.length)
      if (passed >= limit) {
        held++
        upstream.pause()
      }
    })
    upstream.on('end', () => client.end())
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    held: () => held,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    }
  }
}
