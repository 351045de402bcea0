// The real electron-updater, wired to the Updater port by src/main/updater.ts, driven by the real
// UpdateController against a local generic update feed (latest-linux.yml and a package, as
// electron-builder publishes them), in plain Node (test/helpers/realUpdater.ts).
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AppUpdater } from 'electron-updater'
import { UpdateController, type UpdaterEvent } from '../../src/app/updates'
import { systemClock } from '../../src/core/ports'
import { checkFromMenu, updaterPort } from '../../src/main/updater'
import { genericFeedConfig, realUpdater } from '../helpers/realUpdater'

const PACKAGE = 'comet-video-studio_0.2.0_amd64.deb'
const bytes = randomBytes(600 * 1024)
const sha512 = (b: Buffer): string => createHash('sha512').update(b).digest('base64')

interface Feed {
  /** What latest*.yml says (null: 404). */
  yml: string | null
  /** Bytes per second for the package (null: full speed). */
  rate: number | null
  requests: string[]
}

function latestYml(version: string, sha = sha512(bytes), size = bytes.length): string {
  return [
    `version: ${version}`,
    'files:',
    `  - url: ${PACKAGE}`,
    `    sha512: ${sha}`,
    `    size: ${size}`,
    `path: ${PACKAGE}`,
    `sha512: ${sha}`,
    "releaseDate: '2026-11-24T12:00:00.000Z'",
    ''
  ].join('\n')
}

const feed: Feed = { yml: null, rate: null, requests: [] }
let server: http.Server
let feedUrl = ''
const dirs: string[] = []
const closers: (() => void)[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    feed.requests.push(path)
    if (/^\/latest.*\.yml$/.test(path)) {
      if (feed.yml === null) return void res.writeHead(404).end('not found')
      return void res.writeHead(200, { 'content-type': 'text/yaml' }).end(feed.yml)
    }
    if (path === `/${PACKAGE}`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length })
      if (!feed.rate) return void res.end(bytes)
      // Slowly, so progress is reported while the file is written.
      const chunk = Math.max(1024, Math.floor(feed.rate / 10))
      let at = 0
      const next = (): void => {
        if (at >= bytes.length || res.destroyed) return void res.end()
        res.write(bytes.subarray(at, at + chunk))
        at += chunk
        setTimeout(next, 100)
      }
      return next()
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  feedUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
})
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()))
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
afterEach(() => {
  for (const c of closers.splice(0)) c()
  feed.requests.length = 0
  feed.rate = null
})

function updaterAt(url: string): { updater: AppUpdater; cache: string } {
  const { updater, dir } = realUpdater(genericFeedConfig(url))
  dirs.push(dir)
  return { updater, cache: join(dir, 'cache', 'comet-video-studio-updater') }
}

function controller(u: AppUpdater, o: { automatic?: boolean } = {}) {
  const logs: string[] = []
  const port = updaterPort(u, { log: (level, message) => void logs.push(`${level} ${message}`) })
  const events: UpdaterEvent[] = []
  closers.push(port.on((e) => events.push(e)))
  const c = new UpdateController({
    updater: port,
    currentVersion: '0.1.0',
    downloads: { count: () => 0, onChange: () => () => {} },
    automatic: () => o.automatic ?? true,
    clock: systemClock,
    logger: { log: (level, message) => void logs.push(`${level} ${message}`) }
  })
  closers.push(() => c.stop())
  return { c, events, logs }
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('electron-updater through the port, against a local feed', () => {
  it('finds a newer version, downloads it in the background with progress, verifies it and is ready to install', async () => {
    feed.yml = latestYml('0.2.0')
    feed.rate = 256 * 1024
    const { updater, cache } = updaterAt(feedUrl)
    const { c, events } = controller(updater)
    const found = await c.check('manual')
    expect(found).toMatchObject({ phase: 'downloading', version: '0.2.0', notice: true })
    await until('some progress', () => (c.state.progress?.percent ?? 0) > 0)
    expect(c.state.phase).toBe('downloading')
    expect(c.state.progress!.total).toBe(bytes.length)
    await until('the download', () => c.state.phase !== 'downloading')
    expect(c.state).toMatchObject({ phase: 'ready', version: '0.2.0', failure: null, notice: true })
    expect(events.map((e) => e.type).filter((t, i, a) => t !== a[i - 1])).toEqual(['checking', 'available', 'progress', 'downloaded'])
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThanOrEqual(2)
    // The package is in electron-updater's cache, byte for byte.
    expect(sha512(readFileSync(join(cache, 'pending', PACKAGE)))).toBe(sha512(bytes))
    expect(feed.requests).toEqual(expect.arrayContaining([expect.stringMatching(/^\/latest.*\.yml$/), `/${PACKAGE}`]))
  })

  it('the same version: up to date, nothing downloaded', async () => {
    feed.yml = latestYml('0.1.0')
    const { c, events } = controller(updaterAt(feedUrl).updater)
    expect(await c.check('manual')).toMatchObject({ phase: 'upToDate', version: null, notice: true })
    expect(events.map((e) => e.type)).toEqual(['checking', 'notAvailable'])
    expect(feed.requests).not.toContain(`/${PACKAGE}`)
  })

  it('no feed at the address (404): says the server has nothing to offer', async () => {
    feed.yml = null
    const { c, logs } = controller(updaterAt(feedUrl).updater)
    expect(await c.check('automatic')).toMatchObject({ phase: 'failed', notice: true, failure: { stage: 'check', code: 'update.noFeed' } })
    expect(logs.filter((l) => l.startsWith('warn updates: check failed'))).toHaveLength(1)
  })

  it('a feed that is not update information: says it could not be read', async () => {
    feed.yml = 'version: [this is: not, an update'
    const { c } = controller(updaterAt(feedUrl).updater)
    expect(await c.check('manual')).toMatchObject({ phase: 'failed', failure: { stage: 'check', code: 'update.badFeed' } })
  })

  it('nobody listening at the feed: says the server could not be reached, naming why', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as { port: number }).port
    await new Promise<void>((r) => closed.close(() => r()))
    const { c } = controller(updaterAt(`http://127.0.0.1:${port}/`).updater)
    expect(await c.check('manual')).toMatchObject({ phase: 'failed', failure: { stage: 'check', code: 'update.offline', params: { detail: 'ECONNREFUSED' } } })
  })

  it('a package that does not match its checksum is thrown away and said so', async () => {
    feed.yml = latestYml('0.2.0', sha512(randomBytes(16)))
    const { updater, cache } = updaterAt(feedUrl)
    const { c } = controller(updater)
    await c.check('manual')
    await until('the download to end', () => c.state.phase !== 'downloading')
    expect(c.state).toMatchObject({ phase: 'failed', progress: null, failure: { stage: 'download', code: 'update.checksum' } })
    expect(() => readFileSync(join(cache, 'pending', PACKAGE))).toThrow()
  })
})

describe('"Check for Updates…" in the application menu', () => {
  it('brings the window forward and checks on demand (the answer shows even with automatic checks off)', async () => {
    feed.yml = latestYml('0.1.0')
    const { c } = controller(updaterAt(feedUrl).updater, { automatic: false })
    const shown: string[] = []
    const click = checkFromMenu(c, () => void shown.push('window'))
    expect(click).toBeTypeOf('function')
    click!()
    expect(shown).toEqual(['window'])
    await until('the answer', () => c.state.phase === 'upToDate')
    expect(c.state.notice).toBe(true)
    // With automatic checks off, the menu's check is the one that asked the feed.
    expect(feed.requests.filter((p) => p.endsWith('.yml'))).toHaveLength(1)
  })

  it('is left out of the menu where the app cannot update itself', () => {
    const c = new UpdateController({ updater: null, currentVersion: '0.1.0', downloads: { count: () => 0, onChange: () => () => {} }, automatic: () => true, clock: systemClock, logger: { log: () => {} } })
    expect(checkFromMenu(c, () => {})).toBeUndefined()
  })
})
