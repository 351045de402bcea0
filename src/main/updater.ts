// electron-updater's autoUpdater as the Updater port of src/app/updates.ts, which decides when to
// check, download and install. The feed is the `publish` entry of build/electron-builder.json
// (written into the package as resources/app-update.yml). No electron import here: the port is
// tested in plain Node against the real electron-updater and a local feed.
import electronUpdater, { type AppUpdater, type ProgressInfo, type UpdateDownloadedEvent, type UpdateInfo } from 'electron-updater'
import type { UpdateController, Updater, UpdaterEvent } from '../app/updates'
import type { Logger } from '../core/ports'
import type { ProxySettings } from '../shared/proxy'
import { updaterProxyConfig } from '../app/updaterProxy'

/**
 * Wraps an electron-updater instance. Downloads start when the controller says so (autoDownload
 * off: it does so at once, in the background); a downloaded update also installs when the app quits.
 */
export function updaterPort(u: AppUpdater, logger: Logger): Updater {
  u.autoDownload = false
  u.autoInstallOnAppQuit = true
  u.logger = {
    info: (m?: unknown) => logger.log('info', `updater: ${String(m)}`),
    warn: (m?: unknown) => logger.log('warn', `updater: ${String(m)}`),
    error: (m?: unknown) => logger.log('debug', `updater: ${String(m)}`), // the controller logs each failure once
    debug: (m: string) => logger.log('debug', `updater: ${m}`)
  }
  const listeners = new Set<(e: UpdaterEvent) => void>()
  const emit = (e: UpdaterEvent): void => {
    for (const fn of listeners) fn(e)
  }
  u.on('checking-for-update', () => emit({ type: 'checking' }))
  u.on('update-available', (info: UpdateInfo) => emit({ type: 'available', version: info.version }))
  u.on('update-not-available', (info: UpdateInfo) => emit({ type: 'notAvailable', version: info.version }))
  u.on('download-progress', (p: ProgressInfo) => emit({ type: 'progress', percent: p.percent, transferred: p.transferred, total: p.total, bytesPerSecond: p.bytesPerSecond }))
  u.on('update-downloaded', (info: UpdateDownloadedEvent) => emit({ type: 'downloaded', version: info.version }))
  u.on('error', (error: Error) => emit({ type: 'error', error }))
  return {
    // null: the updater is not active here (not packaged, an AppImage not run as one…).
    checkForUpdates: async () => (await u.checkForUpdates()) !== null,
    downloadUpdate: async () => {
      await u.downloadUpdate()
    },
    quitAndInstall: () => u.quitAndInstall(),
    on: (fn) => {
      listeners.add(fn)
      return () => listeners.delete(fn)
    }
  }
}

/** The packaged app's updater; null in development and unpackaged runs, which do not update themselves. */
export function appUpdater(isPackaged: boolean, logger: Logger): Updater | null {
  return isPackaged ? updaterPort(electronUpdater.autoUpdater, logger) : null
}

/**
 * "Check for Updates…" of the application menu: brings the window forward (the answer shows in its
 * notice), then checks. Undefined when this run cannot update itself: the menu leaves the item out.
 */
export function checkFromMenu(updates: UpdateController, showWindow: () => void): (() => void) | undefined {
  if (updates.state.phase === 'unsupported') return undefined
  return () => {
    showWindow()
    void updates.check('manual')
  }
}

let appliedProxy = ''

/**
 * Points electron-updater's own session at the proxy setting (src/app/updaterProxy.ts): the manual
 * proxy, direct, or the system's. Called at start and on every settings change; only a change is applied.
 */
export function applyUpdaterProxy(isPackaged: boolean, settings: ProxySettings, logger: Logger): void {
  if (!isPackaged) return
  const config = updaterProxyConfig(settings)
  const key = JSON.stringify(config)
  if (key === appliedProxy) return
  appliedProxy = key
  try {
    electronUpdater.autoUpdater.netSession.setProxy(config).catch((err: unknown) => logger.log('warn', `updater: the proxy could not be set (${err instanceof Error ? err.message : String(err)})`))
  } catch (err) {
    logger.log('warn', `updater: the proxy could not be set (${err instanceof Error ? err.message : String(err)})`)
  }
}
