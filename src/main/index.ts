// The Electron shell: one window, the media protocol, the IPC contract, the keychain, and the
// desktop conventions (menu, tray, notifications, drag-out: ./desktop.ts). Everything that
// matters runs in the Studio services (plain Node) it wires up.
import { app, BrowserWindow, dialog, ipcMain, protocol, shell, type WebFrameMain } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EVENT_CHANNELS, INVOKE_CHANNELS, wireName } from '../shared/ipc/contract'
import { msg } from '../shared/messages'
import { defaultLibraryDir } from '../core/paths'
import type { Logger } from '../core/ports'
import { KEYTAR_SERVICE, keytarBackend, SecretStore } from '../core/secrets/secretStore'
import { keyAccount, keyFileName } from '../core/secrets/keyVault'
import { safeStorageBackend } from './safeStorageBackend'
import { desktopProxyOptions } from './proxyPorts'
import { hardenSession, hardenWindow } from './security'
import { isSafeExternalUrl, isTrustedSender, rendererUrl, secureWebPreferences } from '../app/securityPolicy'
import { dispatch, wireError } from '../app/dispatch'
import { createHandlers } from '../app/handlers'
import { serveMedia } from '../app/mediaServer'
import { Studio } from '../app/studio'
import { loadWindowState, trackWindowState } from './windowState'
import { QuitSequence } from '../app/quitPolicy'
import { Desktop, wireDragOut } from './desktop'
import { appUpdater, applyUpdaterProxy, checkFromMenu } from './updater'

const here = fileURLToPath(new URL('.', import.meta.url))

// Scripts and tests may point the app at another data folder; the CLI reads the same variable.
if (process.env.COMET_VIDEO_HOME?.trim()) app.setPath('userData', process.env.COMET_VIDEO_HOME.trim())

protocol.registerSchemesAsPrivileged([{ scheme: 'media', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } }])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let win: BrowserWindow | null = null
  let studio: Studio | null = null

  const logger: Logger = {
    log(level, message) {
      if (level === 'debug' && !process.env.COMET_VIDEO_DEBUG) return
      const line = `[${level}] ${message}`
      if (level === 'error' || level === 'warn') console.error(line)
      else console.log(line)
    }
  }

  const pageUrl = rendererUrl({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, bundledFile: join(here, '../renderer/index.html') })
  const appUrl = (): string => pageUrl

  // The menu, the tray, notifications, closing to the tray; the window's title and badge count.
  const desktop = new Desktop({ studio: () => studio, window: () => win, showWindow: () => focusWindow(), logger })

  // Quitting and the update restart stop the engine cleanly first (src/app/quitPolicy.ts).
  const quit = new QuitSequence({
    stop: () => studio?.stop() ?? Promise.resolve(),
    exit: () => app.exit(0),
    onQuitting: (reason) => desktop.beforeQuit(reason),
    releaseInstanceLock: () => app.releaseSingleInstanceLock(),
    onStopFailed: (err) => logger.log('error', `stopping: ${err instanceof Error ? err.message : String(err)}`)
  })

  /** Only our own page, in our own window's main frame, may call main. */
  const trustedFrame = (frame: WebFrameMain | null | undefined): boolean =>
    !!win && isTrustedSender({ frameUrl: frame?.url, isMainFrame: !!frame && frame === win.webContents.mainFrame, appUrl: appUrl() })

  const createWindow = (): void => {
    const stateFile = join(app.getPath('userData'), 'window-state.json')
    const state = loadWindowState(stateFile)
    win = new BrowserWindow({
      ...(state.positioned ? state.bounds : { width: state.bounds.width, height: state.bounds.height }),
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'Comet Video Studio',
      backgroundColor: '#111318',
      webPreferences: secureWebPreferences(join(here, '../preload/index.cjs'))
    })
    if (state.maximized) win.maximize()
    trackWindowState(win, stateFile)
    hardenWindow(win, appUrl)
    desktop.attachWindow(win)
    win.once('ready-to-show', () => win?.show())
    win.on('closed', () => {
      win = null
    })
    void win.loadURL(appUrl())
  }

  const focusWindow = (): void => {
    if (!win) createWindow()
    if (win?.isMinimized()) win.restore()
    win?.show()
    win?.focus()
  }

  app.on('second-instance', () => {
    if (quit.acceptsSecondInstance()) focusWindow()
  })

  app.whenReady().then(async () => {
    hardenSession()
    const userData = app.getPath('userData')
    const secrets = new SecretStore({
      envKey: process.env.COMETAPI_KEY ?? null,
      backends: [keytarBackend(), safeStorageBackend(join(userData, 'cometapi-key.enc'))]
    })
    studio = new Studio({
      dataDir: userData,
      defaultLibraryDir: defaultLibraryDir(process.env),
      secrets,
      // Each other named key: its own keychain entry, else its own fallback file.
      keyBackendsFor: (id) => [keytarBackend(KEYTAR_SERVICE, keyAccount(id)), safeStorageBackend(join(userData, keyFileName(id)))],
      // Manual proxy > HTTPS_PROXY & co. > the system's > direct (src/core/http/proxy.ts).
      proxy: desktopProxyOptions(userData),
      version: app.getVersion(),
      platform: process.platform,
      systemLocale: app.getLocale(),
      logger,
      // The app's own updates (src/app/updates.ts): none in development and unpackaged runs.
      updater: appUpdater(app.isPackaged, logger),
      shell: {
        openPath: async (p) => (await shell.openPath(p)) === '',
        showItemInFolder: (p) => shell.showItemInFolder(p),
        trashItem: (p) => shell.trashItem(p),
        chooseFolder: async () => {
          const r = await dialog.showOpenDialog({ properties: ['openDirectory', 'createDirectory'] })
          return r.canceled || !r.filePaths[0] ? null : r.filePaths[0]
        },
        chooseSaveFile: async (defaultName) => {
          const r = await dialog.showSaveDialog({ defaultPath: join(app.getPath('videos'), defaultName), properties: ['createDirectory', 'showOverwriteConfirmation'] })
          return r.canceled || !r.filePath ? null : r.filePath
        },
        openExternal: async (url) => {
          if (isSafeExternalUrl(url)) await shell.openExternal(url)
        },
        notify: (title, body, onClick) => desktop.notify(title, body, onClick),
        isWindowFocused: () => desktop.windowFocused()
      }
    })
    const s = studio
    const handlers = createHandlers(s)
    protocol.handle('media', (request) => {
      const url = new URL(request.url)
      return serveMedia(request, `/${url.host}${url.pathname}`, s.media)
    })
    for (const channel of INVOKE_CHANNELS) {
      ipcMain.handle(wireName(channel), async (event, payload: unknown) => {
        if (!trustedFrame(event.senderFrame)) return { ok: false, error: wireError('forbidden', msg('ipc.forbidden')) }
        return dispatch(handlers, channel, payload, logger)
      })
    }
    wireDragOut(s, (event) => trustedFrame(event.senderFrame), logger)
    // The app's own updates follow the proxy setting too (electron-updater has its own session).
    applyUpdaterProxy(app.isPackaged, s.engine.settings.proxy, logger)
    s.onPush((event, payload) => {
      if (event === 'settings.changed') applyUpdaterProxy(app.isPackaged, s.engine.settings.proxy, logger)
      if (!EVENT_CHANNELS.includes(event)) return
      if (event === 'app.navigate') {
        // A notification or menu command: bring the window forward; a window just made gets it once loaded.
        focusWindow()
        const wc = win?.webContents
        if (wc?.isLoadingMainFrame()) wc.once('did-finish-load', () => wc.send(wireName(event), payload))
        else wc?.send(wireName(event), payload)
        return
      }
      win?.webContents.send(wireName(event), payload)
    })
    // The update restart: the engine stops, then the installer starts (and its quit goes through).
    // If the installer does not take over (it failed, or Squirrel.Mac refused it), the engine is
    // stopped for good in this process: the failure shows for a minute, then the app starts again.
    let relaunch: ReturnType<typeof setTimeout> | null = null
    const relaunchLater = (): void => {
      relaunch ??= setTimeout(() => {
        app.relaunch()
        app.exit(0)
      }, 60_000).unref()
    }
    s.updates.setInstallHook(async (quitAndInstall) => {
      try {
        if (await quit.forUpdate(quitAndInstall)) relaunchLater()
      } catch (err) {
        relaunchLater()
        throw err
      }
    })
    s.start()
    desktop.start()
    desktop.setCheckForUpdates(checkFromMenu(s.updates, focusWindow))
    createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow()
    })
  })

  // Quitting while jobs run loses nothing: the engine stops cleanly and resumes next launch. Every
  // quit is held until that stop has finished; then the app exits (or the installer's quit goes on).
  app.on('before-quit', (event) => {
    if (quit.beforeQuit(studio !== null)) event.preventDefault()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
