// One download GET through a proxy, over node:http with proxy-agent's agent (an HTTP proxy
// forwards http:// links and tunnels https:// ones with CONNECT; SOCKS tunnels both). It offers
// the same Response as the direct client in httpClient.ts, which stays the fast path when no proxy
// is in the way. The address guard still judges the link itself (httpClient.ts checks every hop);
// the proxy connects to it, so the name is resolved here only to refuse one that resolves to an
// address downloads never go to, and a name this computer cannot resolve is left to the proxy.
// Where the agent resolves the name itself (a SOCKS proxy given addresses), it uses the guard's
// lookup too, so the address it hands the proxy is one the guard judged.
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { ProxyRoute } from '../http/proxy'
import { type ProxyAgents, type ProxyFailure, proxyDetail, proxyFailureOf } from '../http/proxyAgents'
import { proxyError, proxyForwards } from '../http/transport'
import { proxyMessage } from '../http/apiError'
import type { DestinationGuard } from './addressPolicy'
import { bareHost } from './addressPolicy'
import { DownloadError } from './downloadError'
import type { BodyHandler, OpenOptions, Response } from './httpClient'

/** The proxy's failure as a download error: the link was never reached, so it is tried again later. */
export function proxyDownloadError(failure: ProxyFailure, route: Pick<ProxyRoute, 'display' | 'source'>, target: string, extra: { status?: number; detail?: string } = {}): DownloadError {
  const err = proxyError(failure, route, target, extra)
  const sentence = proxyMessage(err)
  return new DownloadError(sentence?.text ?? err.message, 'network', true, { code: `PROXY_${failure.toUpperCase()}`, sentence: sentence ?? undefined })
}

/** Refuses a link whose name resolves (here) to an address downloads never go to. */
async function checkName(url: URL, guard: DestinationGuard): Promise<void> {
  const host = bareHost(url)
  if (net.isIP(host)) return // judged by guard.check already
  await new Promise<void>((resolve, reject) => {
    guard.lookup(host, { all: true }, (err) => {
      if (err instanceof DownloadError) reject(err)
      else resolve() // resolvable or not, the proxy resolves it for itself
    })
  })
}

export async function proxiedGet(url: URL, headers: Record<string, string>, opts: OpenOptions, route: ProxyRoute, agents: ProxyAgents): Promise<Response> {
  await checkName(url, opts.guard)
  return new Promise<Response>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new DownloadError('The download was canceled.', 'canceled', false))
    const isHttps = url.protocol === 'https:'
    let tunnel = false
    let refusedWith: number | null = null
    let phase: 'head' | 'waiting' | 'body' | 'done' = 'head'
    let handler: BodyHandler | null = null
    let failure: Error | null = null
    let res: http.IncomingMessage | null = null
    const request = (isHttps ? https : http).request(url, {
      method: 'GET',
      headers: { ...headers, Connection: 'close' },
      agent: agents.agentFor(route, true),
      // A SOCKS proxy that takes addresses (socks5://, PAC SOCKS/SOCKS4) has the agent resolve the
      // name: through the guard, so the address connected to is the one judged (no DNS rebinding).
      lookup: opts.guard.lookup
    })

    const fail = (err: Error): void => {
      if (phase === 'done' || failure) return
      const before = phase
      failure = err
      phase = 'done'
      cleanup()
      if (before === 'head') reject(err)
      else handler?.error(err)
    }
    const onAbort = (): void => fail(new DownloadError('The download was canceled.', 'canceled', false))
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    const connectTimer = setTimeout(() => {
      if (tunnel) fail(new DownloadError(`${url.host} did not answer within ${Math.round(opts.connectTimeoutMs / 1000)} s; the download will try again.`, 'timeout', true))
      else fail(proxyDownloadError('timeout', route, url.host))
    }, opts.connectTimeoutMs)
    const cleanup = (): void => {
      clearTimeout(connectTimer)
      opts.signal?.removeEventListener('abort', onAbort)
      res?.socket?.setTimeout(0)
      request.destroy()
    }
    const idle = (): void => {
      fail(new DownloadError(`The download from ${url.host} stalled (no data for ${Math.round(opts.idleTimeoutMs / 1000)} s); it continues from where it stopped.`, 'timeout', true))
    }

    request.on('proxyConnect', (answer: { statusCode?: number }) => {
      // http-proxy-agent sends one too, without a status, once it is connected to the proxy.
      if (typeof answer.statusCode === 'number' && answer.statusCode !== 200) refusedWith = answer.statusCode
    })
    request.on('socket', () => {
      tunnel = true
    })
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof DownloadError) return fail(err)
      if (!tunnel) {
        const f = proxyFailureOf(err)
        return fail(proxyDownloadError(f, route, url.host, f === 'failed' ? { detail: proxyDetail(err) } : {}))
      }
      const code = err.code ?? 'ECONNRESET'
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
        return fail(new DownloadError(`The secure connection to ${url.host} could not be verified (${code}); a proxy or security software may be intercepting HTTPS.`, 'network', false, { code }))
      }
      fail(new DownloadError(`The connection to ${url.host} through the proxy ${route.display} broke during the download; it continues from where it stopped.`, 'network', true, { code }))
    })
    request.on('response', (incoming) => {
      res = incoming
      // A 407 is the proxy's own only when it forwards the request itself; inside a tunnel it is the far end's.
      if (refusedWith !== null || (incoming.statusCode === 407 && proxyForwards(route, isHttps))) {
        const status = refusedWith ?? incoming.statusCode ?? 0
        incoming.resume()
        return fail(proxyDownloadError(status === 407 ? 'auth' : 'target', route, url.host, { status }))
      }
      clearTimeout(connectTimer)
      phase = 'waiting'
      incoming.pause()
      const flat: Record<string, string> = {}
      for (const [k, v] of Object.entries(incoming.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v
      let ended = false
      incoming.on('data', (chunk: Buffer) => {
        if (phase !== 'body' || !handler) return
        let more: boolean
        try {
          more = handler.data(chunk, 0, chunk.length)
        } catch (err) {
          return fail(err as Error)
        }
        if (!more && phase === 'body') {
          incoming.pause()
          incoming.socket?.setTimeout(0)
        }
      })
      incoming.on('end', () => {
        ended = true
        if (phase !== 'body') return
        if (!incoming.complete) return fail(cutShort(url.host))
        phase = 'done'
        cleanup()
        handler?.end()
      })
      incoming.on('close', () => {
        if (!ended && phase === 'body') fail(cutShort(url.host))
      })
      incoming.on('error', () => fail(cutShort(url.host)))
      incoming.socket?.on('timeout', idle)
      const response: Response = {
        status: incoming.statusCode ?? 0,
        headers: flat,
        url,
        readBody(h) {
          handler = h
          if (failure) return h.error(failure)
          if (phase !== 'waiting') return
          phase = 'body'
          if (ended) {
            phase = 'done'
            cleanup()
            return h.end()
          }
          response.resume()
        },
        resume() {
          if (phase !== 'body') return
          incoming.socket?.setTimeout(opts.idleTimeoutMs)
          incoming.resume()
        },
        close(err) {
          if (err) return fail(err)
          phase = 'done'
          cleanup()
        }
      }
      resolve(response)
    })
    request.end()
  })
}

function cutShort(host: string): DownloadError {
  return new DownloadError(`${host} closed the connection before the video was complete; the download continues from where it stopped.`, 'network', true, { code: 'ECONNRESET' })
}
