// A loopback CometAPI that speaks every video family in the documented shapes
// (test/fixtures/cometapi/API.md), with a request log, scripted outcomes and fault injection,
// so the real client can be tested end to end. This file: routing, auth, faults, bookkeeping.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { catalogReply, defaultCatalog } from './catalog'
import { afterReply, faultReply, FaultPlan, HTML_PAGE, notExistReply, type ChosenFault } from './faults'
import { serveFile } from './files'
import { filesRoute } from './filesRoute'
import { klingRoutes } from './families/kling'
import { openAiVideosRoutes } from './families/openaiVideos'
import { runwayRoutes } from './families/runway'
import { volcRoutes } from './families/volc'
import { xaiRoutes } from './families/xai'
import { cometErrorOld, html, invalidToken, json, type Reply } from './reply'
import { type Ctx, makeCtx, type Route } from './router'
import { FakeState, resolveOptions } from './state'
import type { FakeCometApi, FakeOptions, FaultConfig, InjectRule, LogEntry, Outcome } from './types'

export type { CreateThenFault, FakeCometApi, FakeOptions, FakeTask, Family, FaultConfig, FaultName, InjectRule, LogEntry, Outcome, RequestKind } from './types'
export { DEFAULT_CREATE_THEN_FAULTS } from './faults'

const MAX_BODY = 64 * 1024 * 1024

type StreamFault = 'reset' | 'truncate' | null

const catalogRoute: Route = {
  methods: ['GET'],
  pattern: /^\/api\/models\/?$/,
  family: null,
  auth: false,
  kind: 'catalog',
  handle: (ctx) => catalogReply(ctx.state.opts.catalog)
}

// The OpenAI-style authenticated model list (API.md §7: "the authenticated alternative"); the app
// calls it to test a key before saving it.
const v1ModelsRoute: Route = {
  methods: ['GET'],
  pattern: /^\/v1\/models\/?$/,
  family: null,
  auth: true,
  kind: 'other',
  handle: (ctx) => {
    const rows = (ctx.state.opts.catalog ?? defaultCatalog()) as { id?: string }[]
    return json(200, { object: 'list', data: rows.filter((r) => r.id).map((r) => ({ id: r.id, object: 'model', created: 1_773_000_000, owned_by: 'cometapi' })) })
  }
}

const ROUTES: Route[] = [catalogRoute, v1ModelsRoute, filesRoute, ...openAiVideosRoutes, ...runwayRoutes, ...klingRoutes, ...xaiRoutes, ...volcRoutes]

const REDIRECT_BODY =
  '<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

function findRoute(method: string, path: string): { route: Route; params: string[] } | null {
  for (const route of ROUTES) {
    if (!route.methods.includes(method)) continue
    const m = route.pattern.exec(path)
    if (!m) continue
    const params = m.slice(1).map((p) => {
      try {
        return decodeURIComponent(p)
      } catch {
        return p
      }
    })
    return { route, params }
  }
  return null
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY) chunks.push(c)
    })
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function bearerToken(header: string | undefined): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? null
}

export async function startFakeCometApi(opts: FakeOptions = {}): Promise<FakeCometApi> {
  const state = new FakeState(resolveOptions(opts))
  const plan = new FaultPlan(opts.faults ?? null, opts.seed ?? 1)
  const log: LogEntry[] = []
  const hanging = new Set<ServerResponse>()
  let seq = 0
  let inFlight = 0
  let maxInFlight = 0
  const revoked = new Set<string>()
  /** On the fake's clock; null = downloads are not being refused. */
  let refuseUntil: number | null = null

  /** Writes a JSON/text reply; a stream fault sends half the announced body, then ends or resets the socket. */
  function sendBuffered(res: ServerResponse, entry: LogEntry, reply: Exclude<Reply, { type: 'file' }>, cut: StreamFault = null): void {
    const buf = Buffer.from(reply.type === 'json' ? JSON.stringify(reply.body) : reply.body)
    const contentType = reply.type === 'json' ? 'application/json; charset=utf-8' : reply.contentType
    res.writeHead(reply.status, { ...reply.headers, 'Content-Type': contentType, 'Content-Length': buf.length })
    entry.status = reply.status
    if (!cut) {
      res.end(buf)
      entry.bytesSent = buf.length
      return
    }
    const part = buf.subarray(0, Math.floor(buf.length / 2))
    entry.bytesSent = part.length
    res.write(part, () => (cut === 'truncate' ? res.socket?.end() : res.socket?.resetAndDestroy()))
  }

  async function send(req: IncomingMessage, res: ServerResponse, entry: LogEntry, reply: Reply, fault: ChosenFault | null): Promise<void> {
    const streamFault = fault?.name === 'reset' || fault?.name === 'truncate' ? fault.name : null
    if (reply.type !== 'file') return sendBuffered(res, entry, reply, streamFault)
    const result = await serveFile(req, res, reply.path, reply.contentType, streamFault, (n) => (entry.bytesSent += n), state.opts.fileBytesPerSecond)
    entry.status = result.status
  }

  function hang(res: ServerResponse): void {
    hanging.add(res)
    res.once('close', () => hanging.delete(res))
  }

  function reset(req: IncomingMessage): void {
    req.socket.resetAndDestroy()
  }

  /** 200 video/mp4 announcing 5 GB: a valid MP4 start, then nothing until the client gives up. */
  function hugeFile(res: ServerResponse, entry: LogEntry): void {
    const head = Buffer.alloc(64 * 1024)
    Buffer.from([0, 0, 0, 24]).copy(head, 0)
    head.write('ftypisom', 4, 'ascii')
    head.write('isomiso2', 16, 'ascii')
    head.writeUInt32BE(1, 24)
    head.write('mdat', 28, 'ascii')
    head.writeBigUInt64BE(5_000_000_000n - 24n, 32)
    res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': '5000000000', 'Accept-Ranges': 'bytes' })
    entry.status = 200
    entry.bytesSent = head.length
    res.write(head)
    hang(res)
  }

  /** Rewrites a JSON reply after its handler ran (the server acted, then answered oddly). */
  function distort(reply: Reply, fault: ChosenFault | null): Reply {
    if (reply.type !== 'json' || !fault) return reply
    if (fault.name === 'malformed-json') {
      const text = JSON.stringify(reply.body)
      return { type: 'text', status: reply.status, contentType: 'application/json; charset=utf-8', body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) }
    }
    if (fault.name === 'unknown-status') {
      const rewrite = (v: unknown, key: string): unknown => {
        if (Array.isArray(v)) return v.map((x) => rewrite(x, ''))
        if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrite(x, k)]))
        return (key === 'status' || key === 'task_status') && typeof v === 'string' ? 'WIBBLING' : v
      }
      return { ...reply, body: rewrite(reply.body, '') }
    }
    return reply
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    res.once('close', () => inFlight--)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const method = req.method ?? 'GET'
    const entry: LogEntry = {
      seq: ++seq,
      at: Date.now(),
      method,
      path: url.pathname,
      kind: 'other',
      family: null,
      model: null,
      taskId: null,
      externalId: null,
      prompt: null,
      status: 0,
      fault: null,
      created: false,
      range: req.headers.range ?? null,
      bytesSent: 0,
      authorization: req.headers.authorization ?? null
    }
    log.push(entry)
    try {
      await respond(req, res, url, entry)
    } catch (err) {
      if (res.headersSent) return void res.destroy()
      sendBuffered(res, entry, cometErrorOld(500, `fake server error: ${err instanceof Error ? err.message : String(err)}`))
    }
  }

  async function respond(req: IncomingMessage, res: ServerResponse, url: URL, entry: LogEntry): Promise<void> {
    const method = entry.method
    const body = await readBody(req)
    if (body === null) {
      return sendBuffered(res, entry, json(413, { error: { code: '', message: 'request entity too large', type: 'comet_api_error' } }))
    }
    const match = findRoute(method, url.pathname)
    const token = bearerToken(req.headers.authorization)
    const isRevoked = token !== null && revoked.has(token)
    const apiKey = token !== null && !isRevoked && state.opts.keys.includes(token) ? token : null
    const ctx: Ctx | null = match ? makeCtx(state, req, url, match.params, body, apiKey) : null
    if (match && ctx) {
      const { route } = match
      entry.kind = typeof route.kind === 'function' ? route.kind(ctx) : route.kind
      entry.family = route.familyOf ? route.familyOf(ctx) : route.family
      const d = route.describe?.(ctx) ?? {}
      entry.model = d.model ?? null
      entry.prompt = d.prompt ?? null
      entry.taskId = d.taskId ?? null
      entry.externalId = d.externalId ?? null
      if (route.auth && !apiKey) {
        if (isRevoked) entry.fault = 'key-revoked'
        return sendBuffered(res, entry, invalidToken())
      }
      // Another account's task is, to this key, a task that does not exist.
      const owner = state.opts.tasksByKey && route.auth && entry.taskId ? state.tasks.get(entry.taskId)?.apiKey : undefined
      if (owner !== undefined && owner !== apiKey) {
        const missing = notExistReply(entry.kind, entry.family)
        if (missing.type !== 'file') {
          entry.fault = 'other-key'
          return sendBuffered(res, entry, missing)
        }
      }
    }
    const streamed = entry.kind === 'file' || entry.kind === 'content'
    // A refusal window is the state of the world: it wins over scripted rules and dice (and consumes neither).
    const refusing = streamed && refuseUntil !== null && state.now() < refuseUntil
    const fault: ChosenFault | null = refusing ? { name: 'file-refused' } : plan.choose(entry.kind, entry.family)
    entry.fault = fault?.name ?? null
    if (fault) {
      if (fault.name === 'timeout') return hang(res)
      if (fault.name === 'reset' && !streamed) return reset(req)
      if (fault.name === 'html') return sendBuffered(res, entry, html(200, HTML_PAGE))
      if (fault.name === 'huge-file') return hugeFile(res, entry)
      const pre = faultReply(fault, { kind: entry.kind, family: entry.family, model: entry.model })
      if (pre && pre.type !== 'file') return sendBuffered(res, entry, pre)
    }
    let reply: Reply
    if (!match || !ctx) {
      reply =
        state.opts.unknownPath === 'redirect' ? html(301, REDIRECT_BODY, { Location: 'https://www.cometapi.com/' }) : html(200, HTML_PAGE)
    } else {
      reply = await match.route.handle(ctx)
      if (ctx.created) {
        entry.created = true
        entry.taskId = ctx.created.id
        entry.model ??= ctx.created.model
        entry.externalId ??= ctx.created.externalId
      }
    }
    const latency = state.opts.latencyMs[entry.kind]
    if (latency) await new Promise((r) => setTimeout(r, latency))
    if (fault?.name === 'create-then-timeout') return hang(res)
    if (fault?.name === 'create-then-reset') return reset(req)
    const after = fault ? afterReply(fault, reply, entry.family) : null
    if (after) return send(req, res, entry, after, null)
    await send(req, res, entry, distort(reply, fault), fault)
  }

  const server = createServer((req, res) => void handle(req, res))
  const listen = (p: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
  const dropEverything = (): void => {
    for (const res of hanging) res.socket?.destroy()
    hanging.clear()
    server.closeAllConnections()
  }
  await listen(opts.port ?? 0)
  const port = (server.address() as AddressInfo).port
  let offline = false
  const url = `http://127.0.0.1:${port}`
  state.baseUrl = url

  return {
    url,
    port,
    log,
    tasks: state.tasks,
    get maxInFlight() {
      return maxInFlight
    },
    set maxInFlight(v: number) {
      maxInFlight = v
    },
    get inFlight() {
      return inFlight
    },
    creates: () => log.filter((e) => e.created),
    createCountsByPrompt() {
      const counts = new Map<string, number>()
      for (const t of state.tasks.values()) counts.set(t.prompt, (counts.get(t.prompt) ?? 0) + 1)
      return counts
    },
    taskIdsByPrompt: (prompt: string) => [...state.tasks.values()].filter((t) => t.prompt === prompt).map((t) => t.id),
    setFaults: (f: FaultConfig | null) => plan.set(f),
    injectOnce: (rule: InjectRule) => plan.inject(rule),
    refuseDownloadsFor(ms: number) {
      refuseUntil = ms > 0 ? state.now() + ms : null
    },
    revokeKey: (key: string) => void revoked.add(key),
    restoreKey: (key: string) => void revoked.delete(key),
    setOptions(o: Partial<FakeOptions>) {
      state.opts = resolveOptions(o, state.opts)
      if (o.faults !== undefined) plan.set(o.faults)
    },
    finishTask(id: string, outcome: Outcome = 'success') {
      const task = state.tasks.get(id)
      if (!task) throw new Error(`fake CometAPI: no task ${id}`)
      task.outcome = outcome
      task.forcedAt = state.now()
    },
    clearLog() {
      log.splice(0)
      maxInFlight = inFlight
    },
    fileUrl: (name: string, ttlMs?: number) => state.signedUrl(name, ttlMs ?? state.opts.resultUrlTtlMs).url,
    async goOffline() {
      if (offline) return
      offline = true
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      dropEverything()
      await closed
    },
    async goOnline() {
      if (!offline) return
      await listen(port)
      offline = false
    },
    async close() {
      const closed = offline ? Promise.resolve() : new Promise<void>((resolve) => server.close(() => resolve()))
      dropEverything()
      await closed
      await state.files.cleanup()
    }
  }
}
