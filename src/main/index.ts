// The Electron shell: one window, the media protocol, the IPC contract, notifications and the
// keychain. Everything that matters runs in the Studio services (plain Node) it wires up.
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, shell } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EVENT_CHANNELS, INVOKE_CHANNELS, wireName } from '../shared/ipc/contract'
import { msg } from '../shared/messages'
import { defaultLibraryDir } from '../core/paths'
import type { Logger } from '../core/ports'
import { keytarBackend, SecretStore } from '../core/secrets/secretStore'
import { safeStorageBackend } from './safeStorageBackend'
import { hardenSession, hardenWindow } from './security'
import { isSafeExternalUrl, isTrustedSender, rendererUrl, secureWebPreferences } from '../app/securityPolicy'
import { dispatch, wireError } from '../app/dispatch'
import { createHandlers } from '../app/handlers'
import { serveMedia } from '../app/mediaServer'
import { Studio } from '../app/studio'
import { loadWindowState, trackWindowState } from './windowState'

const here = fileURLToPath(new URL('.', import.meta.url))

// Scripts and tests may point the app at another data folder; the CLI reads the same variable.
if (process.env.COMET_VIDEO_HOME?.trim()) app.setPath('userData', process.env.COMET_VIDEO_HOME.trim())

protocol.registerSchemesAsPrivileged([{ scheme: 'media', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } }])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let win: BrowserWindow | null = null
  let studio: Studio | null = null
  let quitting = false

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

  const updateTitle = (): void => {
    if (!win || !studio) return
    const n = studio.runningCount()
    win.setTitle(n ? `Comet Video Studio — ${n} running` : 'Comet Video Studio')
    app.setBadgeCount(n)
  }

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

  app.on('second-instance', focusWindow)

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
      version: app.getVersion(),
      platform: process.platform,
      systemLocale: app.getLocale(),
      logger,
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
        notify: (title, body, onClick) => {
          if (!Notification.isSupported()) return
          const n = new Notification({ title, body })
          n.on('click', () => {
            focusWindow()
            onClick()
          })
          n.show()
        }
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
        // Only our own page, in our own window's main frame, may call.
        const frame = event.senderFrame
        if (!win || !isTrustedSender({ frameUrl: frame?.url, isMainFrame: !!frame && frame === win.webContents.mainFrame, appUrl: appUrl() })) {
          return { ok: false, error: wireError('forbidden', msg('ipc.forbidden')) }
        }
        return dispatch(handlers, channel, payload, logger)
      })
    }
    s.onPush((event, payload) => {
      if (!EVENT_CHANNELS.includes(event)) return
      win?.webContents.send(wireName(event), payload)
      if (event === 'jobs.changed' || event === 'engine.status') updateTitle()
      if (event === 'focus.job') focusWindow()
    })
    s.start()
    createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow()
    })
  })

  // Quitting while jobs run loses nothing: the engine stops cleanly and resumes next launch.
  app.on('before-quit', (event) => {
    if (quitting || !studio) return
    event.preventDefault()
    quitting = true
    void studio.stop().finally(() => app.exit(0))
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
