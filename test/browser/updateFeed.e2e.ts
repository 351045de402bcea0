// The update feed `npm run dist` writes (latest*.yml beside the installer) and the feed address it
// packs into the app (resources/app-update.yml) — when an Electron binary is installed, which
// electron-builder packages. Our CI machines cannot download it (ELECTRON_SKIP_BINARY_DOWNLOAD=1),
// so there this test says so and skips, as the Electron smoke test (electron.e2e.ts) does.
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UpdateController, type UpdaterEvent } from '../../src/app/updates'
import { systemClock } from '../../src/core/ports'
import { updaterPort } from '../../src/main/updater'
import { genericFeedConfig, realUpdater } from '../helpers/realUpdater'
import { ROOT, tempDir } from './e2e'

const require = createRequire(import.meta.url)
const yaml = require('js-yaml') as { load: (text: string) => unknown }

function electronBinary(): string | null {
  try {
    const path = require('electron') as unknown as string
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

/** The one installer per platform whose feed the test checks (the zip: what macOS updates from). */
const TARGET: Record<string, string[]> = { linux: ['--linux', 'AppImage'], darwin: ['--mac', 'zip'], win32: ['--win', 'nsis'] }

const binary = electronBinary()
const reason = !binary
  ? 'no Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1), and electron-builder packages it'
  : !TARGET[process.platform]
    ? `no installer target for ${process.platform}`
    : ''
if (reason) console.warn(`Skipping the update feed test (npm run dist): ${reason}.`)

interface FeedFile {
  url: string
  sha512: string
  size: number
}
interface Feed {
  version: string
  files: FeedFile[]
  path: string
  sha512: string
  releaseDate: string
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
}

const sha512 = (file: string): string => createHash('sha512').update(readFileSync(file)).digest('base64')

describe.skipIf(!!reason)(`the update feed npm run dist writes${reason ? ` — skipped: ${reason}` : ''}`, () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  const config = JSON.parse(readFileSync(join(ROOT, 'build/electron-builder.json'), 'utf8')) as { publish: Record<string, string>[] }
  let out = ''
  let feedFile = ''
  let feed: Feed

  beforeAll(() => {
    out = tempDir('cvs-dist-')
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    // The packaging the release uses, into a folder of our own; the Electron it packs is the installed one.
    execFileSync(npm, ['run', 'dist', '--', ...TARGET[process.platform]!, '--publish', 'never', `-c.directories.output=${out}`, `-c.electronDist=${join(ROOT, 'node_modules/electron/dist')}`], {
      cwd: ROOT,
      stdio: 'inherit',
      timeout: 25 * 60_000
    })
    const found = readdirSync(out).filter((f) => /^latest.*\.yml$/.test(f))
    expect(found).toHaveLength(1)
    feedFile = join(out, found[0]!)
    feed = yaml.load(readFileSync(feedFile, 'utf8')) as Feed
  }, 30 * 60_000)

  afterAll(() => {
    // `npm run dist` rebuilt the native modules for Electron: the Node suites need them back.
    spawnSync(process.execPath, [join(ROOT, 'scripts/native-abi.js'), 'node'], { cwd: ROOT, stdio: 'inherit' })
  }, 10 * 60_000)

  it('names this version and lists the installer with its true size and sha512', () => {
    expect(feed.version).toBe(pkg.version)
    expect(Number.isNaN(Date.parse(feed.releaseDate))).toBe(false)
    expect(feed.files.length).toBeGreaterThan(0)
    for (const f of feed.files) {
      const file = join(out, f.url)
      expect({ file: f.url, exists: existsSync(file) }).toEqual({ file: f.url, exists: true })
      expect(statSync(file).size).toBe(f.size)
      expect(sha512(file)).toBe(f.sha512)
    }
    expect(feed.path).toBe(feed.files[0]!.url)
    expect(feed.sha512).toBe(feed.files[0]!.sha512)
  })

  it('packs the feed address of build/electron-builder.json into the app (resources/app-update.yml)', () => {
    const packed = walk(out).filter((f) => f.endsWith(`${join('resources', 'app-update.yml')}`) || f.endsWith(join('Resources', 'app-update.yml')))
    expect(packed.map((f) => relative(out, f))).toHaveLength(1)
    const appUpdate = yaml.load(readFileSync(packed[0]!, 'utf8')) as Record<string, string>
    const { provider, owner, repo } = config.publish[0]!
    expect(appUpdate).toMatchObject({ provider, owner, repo, updaterCacheDirName: expect.any(String) })
  })

  it('electron-updater, served the folder as a feed, offers this version to an older install', async () => {
    const server = http.createServer((req, res) => {
      const file = join(out, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
      if (!file.startsWith(out) || !existsSync(file) || statSync(file).isDirectory()) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-length': statSync(file).size })
      createReadStream(file).pipe(res)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const { updater } = realUpdater(genericFeedConfig(`http://127.0.0.1:${(server.address() as { port: number }).port}/`), '0.0.1')
      const port = updaterPort(updater, { log: () => {} })
      const events: UpdaterEvent[] = []
      port.on((e) => events.push(e))
      const c = new UpdateController({ updater: port, currentVersion: '0.0.1', downloads: { count: () => 0, onChange: () => () => {} }, automatic: () => false, clock: systemClock, logger: { log: () => {} } })
      await c.check('manual')
      expect(events.find((e) => e.type === 'available')).toEqual({ type: 'available', version: pkg.version })
      c.stop()
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
  })
})
