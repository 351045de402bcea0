// The browser test host: runs the real Studio services (engine, handlers, media) in Node, serves the
// built renderer, and implements the preload API over a local WebSocket — so Debian's Chromium can
// drive the real app without the Electron binary.
import { standInFileBackend } from '../../helpers/safeStorage'
import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { mkdir, rename } from 'node:fs/promises'
import http from 'node:http'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocketServer, type WebSocket } from 'ws'
import { EVENT_CHANNELS } from '../../../src/shared/ipc/contract'
import { resolveInside } from '../../../src/core/library/naming'
import type { Logger } from '../../../src/core/ports'
import { SecretStore, keytarBackend, type SecretBackend } from '../../../src/core/secrets/secretStore'
import { keyAccount, keyFileName } from '../../../src/core/secrets/keyVault'
import { checkSend, dispatch } from '../../../src/app/dispatch'
import type { DragFile } from '../../../src/app/dragOut'
import { createHandlers } from '../../../src/app/handlers'
import { serveMedia } from '../../../src/app/mediaServer'
import { Studio, type StudioOptions } from '../../../src/app/studio'
import { PROXY_CREDENTIALS_FILE, ProxyCredentialStore } from '../../../src/core/secrets/proxyCredentials'
import type { PosterFrames } from '../../../src/core/library/posterFrames'
import type { Updater } from '../../../src/app/updates'
import { decodeWire, stringifyWire } from './wire'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

export interface HostOptions {
  dataDir: string
  apiUrl: string
  port?: number
  /** Folder standing in for where dropped files live (the browser cannot give real paths). */
  dropRoot: string
  rendererDir?: string
  /** What the folder picker answers. */
  chooseFolderResult?: string | null
  /** What the save dialog answers (null: canceled). */
  saveFileResult?: string | null
  envKey?: string | null
  /** Use the real OS keychain under this service name (else an encrypted-file stand-in in dataDir). */
  keychainService?: string
  /** Which safeStorage backend the key file stands in for ('basic_text': Linux without a keyring, obfuscation only). */
  safeStorageBackend?: 'basic_text' | 'gnome_libsecret'
  priorSeconds?: number
  systemLocale?: string
  logger?: Logger
  /** How landed videos get posters (default: the installed ffmpeg; null: none, the renderer makes them). */
  posterFrames?: PosterFrames | null
  /** Watched folders' waits: how long a new file must stay unchanged, the retries (tests shorten them). */
  watchTiming?: StudioOptions['watchTiming']
  /** The app's own updater (a scripted one in tests); absent: this run does not update itself. */
  updater?: Updater
  updateTiming?: { firstCheckDelayMs?: number; recheckIntervalMs?: number }
  /** What the proxy environment variables say for a URL (default: nothing, whatever this machine has). */
  proxyEnvironment?: (url: string) => string
}

export interface HostRecord {
  opened: string[]
  shown: string[]
  external: string[]
  /** Each OS notification shown, with what a click on it does. */
  notifications: { title: string; body: string; click: () => void }[]
  /** Every path handed to the OS trash, in order. */
  trashed: string[]
  /** The default names the save dialog was opened with. */
  saveDialogs: string[]
  /** What each drag-out would have handed the OS (webContents.startDrag): the file and its icon, or null when refused. */
  drags: (DragFile | null)[]
}

export interface Host {
  url: string
  studio: Studio
  record: HostRecord
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

export async function startHost(o: HostOptions): Promise<Host> {
  const rendererDir = o.rendererDir ?? join(ROOT, 'out/renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`No built renderer at ${rendererDir}: run \`npx electron-vite build\` first.`)
  await mkdir(o.dataDir, { recursive: true })
  const record: HostRecord = { opened: [], shown: [], external: [], notifications: [], trashed: [], saveDialogs: [], drags: [] }
  const backends: SecretBackend[] = []
  if (o.keychainService) backends.push(keytarBackend(o.keychainService))
  backends.push(standInFileBackend(join(o.dataDir, 'cometapi-key.test'), o.safeStorageBackend))
  const secrets = new SecretStore({ envKey: o.envKey ?? null, backends })
  const trashDir = join(o.dataDir, 'trash')
  const studio = new Studio({
    dataDir: o.dataDir,
    defaultLibraryDir: join(o.dataDir, 'library'),
    secrets,
    // Named keys like the app keeps them: their own keychain entry when the test has a keychain, else their own file.
    keyBackendsFor: (id) => [
      ...(o.keychainService ? [keytarBackend(o.keychainService, keyAccount(id))] : []),
      standInFileBackend(join(o.dataDir, `${keyFileName(id)}.test`), o.safeStorageBackend)
    ],
    version: '0.1.0-test',
    platform: process.platform,
    systemLocale: o.systemLocale ?? 'en-US',
    logger: o.logger,
    posterFrames: o.posterFrames,
    watchTiming: o.watchTiming,
    updater: o.updater,
    updateTiming: o.updateTiming,
    // The proxy as the app has it, without this machine's environment: credentials in their own stand-in file.
    proxy: { environment: o.proxyEnvironment ?? (() => ''), credentials: new ProxyCredentialStore({ backends: [standInFileBackend(join(o.dataDir, `${PROXY_CREDENTIALS_FILE}.test`), o.safeStorageBackend)] }) },
    pushIntervalMs: 150,
    engine: {
      settingsOverrides: { baseUrl: o.apiUrl },
      timing: {
        priorSeconds: o.priorSeconds ? () => o.priorSeconds : undefined,
        poll: o.priorSeconds ? { minIntervalMs: 250, maxIntervalMs: 3000 } : undefined,
        watchIntervalMs: 300
      }
    },
    shell: {
      openPath: async (p) => {
        record.opened.push(p)
        return true
      },
      showItemInFolder: (p) => void record.shown.push(p),
      trashItem: async (p) => {
        record.trashed.push(p)
        await mkdir(trashDir, { recursive: true })
        await rename(p, join(trashDir, `${Date.now()}-${randomBytes(3).toString('hex')}-${p.split(/[\\/]/).pop()}`))
      },
      chooseFolder: async () => o.chooseFolderResult ?? null,
      chooseSaveFile: async (name) => {
        record.saveDialogs.push(name)
        return o.saveFileResult ?? null
      },
      openExternal: async (url) => void record.external.push(url),
      notify: (title, body, click) => void record.notifications.push({ title, body, click })
    }
  })
  const handlers = createHandlers(studio)
  const logger: Logger = o.logger ?? { log: () => {} }

  const indexHtml = (): string => {
    const html = readFileSync(join(rendererDir, 'index.html'), 'utf8')
    // The app's CSP, widened only by what the host needs: its own media route and bridge socket.
    const withCsp = html
      .replace("img-src 'self'", `img-src 'self' http://127.0.0.1:${port}`)
      .replace("media-src 'self'", `media-src 'self' http://127.0.0.1:${port}`)
      .replace("connect-src 'self'", `connect-src 'self' ws://127.0.0.1:${port}`)
    // The bridge must define window.api before the app's module script runs.
    return withCsp.replace('<head>', '<head>\n    <script src="/__bridge.js"></script>')
  }
  const bridgeJs = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'bridge.js'), 'utf8')

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (url.pathname === '/' || url.pathname === '/index.html') {
        res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' })
        res.end(indexHtml())
        return
      }
      if (url.pathname === '/__bridge.js') {
        const config = { mediaBase: `http://127.0.0.1:${port}/media`, dropRoot: o.dropRoot, sep: '/' }
        res.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'no-store' })
        res.end(`window.__HOST__ = ${JSON.stringify(config)};\n${bridgeJs}`)
        return
      }
      if (url.pathname.startsWith('/media/')) {
        const headers = new Headers()
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
        const response = await serveMedia(new Request(`http://127.0.0.1${url.pathname}`, { method: req.method, headers }), url.pathname.slice('/media'.length), studio.media)
        res.writeHead(response.status, Object.fromEntries(response.headers.entries()))
        if (!response.body) {
          res.end()
          return
        }
        const reader = response.body.getReader()
        req.on('close', () => void reader.cancel().catch(() => {}))
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          if (!res.write(value)) await new Promise((r) => res.once('drain', r))
        }
        res.end()
        return
      }
      const file = resolveInside(rendererDir, decodeURIComponent(url.pathname.replace(/^\/+/, '')))
      if (file && existsSync(file)) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        createReadStream(file).pipe(res)
        return
      }
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
    })().catch((err: unknown) => {
      logger.log('error', `host: ${err instanceof Error ? err.message : String(err)}`)
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })

  const sockets = new Set<WebSocket>()
  const wss = new WebSocketServer({ server, path: '/__bridge', maxPayload: 64 * 1024 * 1024 })
  wss.on('connection', (ws) => {
    sockets.add(ws)
    ws.on('close', () => sockets.delete(ws))
    ws.on('message', (data) => {
      void (async () => {
        let msg: { id?: unknown; channel?: unknown; payload?: unknown; send?: unknown }
        try {
          msg = decodeWire(JSON.parse(String(data))) as typeof msg
        } catch {
          return
        }
        // Anything but a request object (null, a number, an array) is dropped, like garbage.
        if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return
        // A one-way message (Electron's ipcRenderer.send): checked like main checks it, no reply.
        if (msg.send === 'drag.start') {
          const ref = checkSend('drag.start', msg.payload)
          record.drags.push(ref ? await studio.dragFile(ref) : null)
          return
        }
        const result = await dispatch(handlers, msg.channel, msg.payload, logger)
        if (ws.readyState === ws.OPEN) ws.send(stringifyWire({ id: msg.id, result }))
      })()
    })
  })
  studio.onPush((event, payload) => {
    if (!EVENT_CHANNELS.includes(event)) return
    const text = stringifyWire({ event, payload })
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text)
  })

  await new Promise<void>((r) => server.listen(o.port ?? 0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  studio.start()
  return {
    url: `http://127.0.0.1:${port}/`,
    studio,
    record,
    async close() {
      for (const ws of sockets) ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
      await new Promise<void>((r) => server.close(() => r()))
      server.closeAllConnections()
      await studio.stop()
    }
  }
}
