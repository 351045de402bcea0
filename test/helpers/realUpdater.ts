// The real electron-updater in plain Node: a packaged app's updater (an app adapter in place of
// Electron's `app`) whose HTTP goes through Node's http instead of Electron's net module — the
// rest (feed parsing, version compare, download, sha512 check, cache) is electron-updater as shipped.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DebUpdater, type AppUpdater } from 'electron-updater'
import type { AppAdapter } from 'electron-updater/out/AppAdapter'

const require = createRequire(import.meta.url)
type Executor = { createRequest(options: unknown, callback: (response: unknown) => void): unknown }
const { NodeHttpExecutor } = require('builder-util') as { NodeHttpExecutor: new () => Executor }
const { ElectronHttpExecutor } = require('electron-updater/out/electronHttpExecutor') as { ElectronHttpExecutor: new () => Executor }

/** electron-updater's own HTTP executor (downloads, checksums, progress) sending through Node's http. */
class NodeNetExecutor extends ElectronHttpExecutor {
  private readonly node = new NodeHttpExecutor()
  override createRequest(options: unknown, callback: (response: unknown) => void): unknown {
    return this.node.createRequest(options, callback)
  }
}

/**
 * A packaged app at `version` whose app-update.yml (what electron-builder writes from `publish`)
 * says `config`. `dir`: its folder (the cache is `<dir>/cache/<updaterCacheDirName>`).
 */
export function realUpdater(config: string, version = '0.1.0'): { updater: AppUpdater; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cvs-updater-'))
  writeFileSync(join(dir, 'app-update.yml'), config)
  const app: AppAdapter = {
    version,
    name: 'Comet Video Studio',
    isPackaged: true,
    appUpdateConfigPath: join(dir, 'app-update.yml'),
    userDataPath: join(dir, 'userData'),
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => {},
    quit: () => {},
    onQuit: () => {}
  }
  const updater = new DebUpdater(null, app)
  ;(updater as unknown as { httpExecutor: unknown }).httpExecutor = new NodeNetExecutor()
  return { updater, dir }
}

/** An app-update.yml for a generic feed at `url`. */
export const genericFeedConfig = (url: string): string => `provider: generic\nurl: ${url}\nupdaterCacheDirName: comet-video-studio-updater\n`
