// The desktop conventions, wired to Electron: the application menu, the tray icon, OS
// notifications, closing to the tray and saying on quit that work resumes next time. What each
// shows and decides is plain Node in src/app (appMenu, trayModel, windowPolicy, notificationPolicy,
// mainTexts); this file only carries it out.
import { app, type BrowserWindow, type IpcMainEvent, ipcMain, Menu, type MenuItemConstructorOptions, type NativeImage, nativeImage, Notification, shell, Tray } from 'electron'
import { readFileSync } from 'node:fs'
import { buildAppMenu, commandNavigation, HELP_LINKS, type AppCommand } from '../app/appMenu'
import { checkSend } from '../app/dispatch'
import { KeptNotifications } from '../app/keptNotifications'
import type { QuitReason } from '../app/quitPolicy'
import { isSafeExternalUrl } from '../app/securityPolicy'
import type { Studio } from '../app/studio'
import { trayIconFiles, trayModel, windowTitle, type TrayCommand, type TrayIconFile, type TrayItem } from '../app/trayModel'
import { decideWindowClose, quitNotice } from '../app/windowPolicy'
import type { Logger } from '../core/ports'
import { wireName } from '../shared/ipc/contract'
import { ACTIVE_STATES } from '../shared/jobStates'
import trayColor16 from '../../resources/tray/tray-16.png?asset'
import trayColor32 from '../../resources/tray/tray-32.png?asset'
import trayTemplate16 from '../../resources/tray/trayTemplate-16.png?asset'
import trayTemplate32 from '../../resources/tray/trayTemplate-32.png?asset'
import dragIconFile from '../../resources/drag-icon.png?asset'

const TRAY_ASSETS: Record<TrayIconFile, string> = {
  'tray-16.png': trayColor16,
  'tray-32.png': trayColor32,
  'trayTemplate-16.png': trayTemplate16,
  'trayTemplate-32.png': trayTemplate32
}

/** The Windows notification identity: the installer's appId (build/electron-builder.json). */
const APP_USER_MODEL_ID = 'com.cometvideostudio.app'

export interface DesktopDeps {
  studio(): Studio | null
  window(): BrowserWindow | null
  /** Brings the window back (making it again when it was closed). */
  showWindow(): void
  logger: Logger
  /** "Check for Updates…" in the menu: set by the updates wiring (setCheckForUpdates) when this run can update itself. */
  onCheckForUpdates?: () => void
}

export class Desktop {
  private tray: Tray | null = null
  private quitting = false
  private toldAboutTray = false
  private menuKey = ''
  private trayKey = ''
  private onCheckForUpdates: (() => void) | undefined
  /** Notifications shown and not yet clicked (a bounded set): kept referenced, or a click from the notification center may be lost. */
  private readonly live = new KeptNotifications<Notification>(() => Date.now())

  constructor(private readonly deps: DesktopDeps) {
    this.onCheckForUpdates = deps.onCheckForUpdates
  }

  /** Builds the menu and the tray once the app is ready and the studio runs; keeps them current from its pushes. */
  start(): void {
    if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID)
    this.createTray()
    this.refresh()
    this.deps.studio()?.onPush((event) => {
      if (event === 'jobs.changed' || event === 'engine.status' || event === 'settings.changed') this.refresh()
    })
  }

  /** The updates wiring adds "Check for Updates…" (src/app/updates.ts decides what a check does). */
  setCheckForUpdates(fn: (() => void) | undefined): void {
    this.onCheckForUpdates = fn
    this.menuKey = ''
    this.refresh()
  }

  /** A desktop notification; a click brings the window forward, then `onClick` shows where it points. */
  notify(title: string, body: string, onClick?: () => void): void {
    if (!Notification.isSupported()) return
    const n = new Notification({ title, body })
    this.live.keep(n)
    n.on('click', () => {
      this.live.drop(n)
      this.deps.showWindow()
      onClick?.()
    })
    n.show()
  }

  /** The person is looking at the window (no notification then). */
  windowFocused(): boolean {
    const win = this.deps.window()
    return !!win && !win.isDestroyed() && win.isVisible() && !win.isMinimized() && win.isFocused()
  }

  /** Closing the window while videos are being made hides it to the tray when the setting says so. */
  attachWindow(win: BrowserWindow): void {
    // Windows ending the session (shutdown, log off): let the window close instead of hiding it.
    win.on('session-end', () => {
      this.quitting = true
    })
    win.on('close', (event) => {
      const studio = this.deps.studio()
      if (!studio) return
      const settings = studio.engine.settings
      const decision = decideWindowClose({
        platform: process.platform,
        quitting: this.quitting,
        active: studio.runningCount(),
        keepRunningInTray: settings.keepRunningInTray,
        trayShown: this.tray !== null && !this.tray.isDestroyed(),
        toldAboutTray: this.toldAboutTray,
        notifications: settings.notifications,
        lang: studio.lang
      })
      if (decision.action === 'close') return
      event.preventDefault()
      win.hide()
      if (decision.notice) {
        this.toldAboutTray = true
        this.notify(decision.notice.title, decision.notice.body)
      }
    })
  }

  /** The app is quitting: windows close for real, and work in flight is said to resume next time (not on the update restart). */
  beforeQuit(reason: QuitReason = 'quit'): void {
    if (this.quitting) return
    this.quitting = true
    const studio = this.deps.studio()
    if (!studio) return
    const notice = quitNotice({ active: studio.runningCount(), notifications: studio.engine.settings.notifications, lang: studio.lang, reason })
    if (notice) this.notify(notice.title, notice.body)
  }

  dispose(): void {
    this.tray?.destroy()
    this.tray = null
  }

  private createTray(): void {
    try {
      const spec = trayIconFiles(process.platform)
      const image = nativeImage.createEmpty()
      for (const { scale, file } of spec.images) image.addRepresentation({ scaleFactor: scale, buffer: readFileSync(TRAY_ASSETS[file]) })
      if (spec.template) image.setTemplateImage(true)
      this.tray = new Tray(image)
      // Windows: a click on the icon shows the window (the menu is on the right click).
      this.tray.on('click', () => {
        if (process.platform === 'win32') this.deps.showWindow()
      })
    } catch (err) {
      // No tray on this desktop: closing the window then quits, as it always did.
      this.deps.logger.log('warn', `tray: ${err instanceof Error ? err.message : String(err)}`)
      this.tray = null
    }
  }

  /** Rebuilds what changed: the menu on a new language or pause, the tray on any count. */
  private refresh(): void {
    const studio = this.deps.studio()
    if (!studio) return
    const lang = studio.lang
    const status = studio.engine.status()
    const paused = status.heldByPerson !== null
    const menuKey = `${lang}|${paused}|${this.onCheckForUpdates ? 1 : 0}`
    if (menuKey !== this.menuKey) {
      this.menuKey = menuKey
      const template = buildAppMenu({ platform: process.platform, lang, paused, packaged: app.isPackaged, run: (c) => this.run(c), onCheckForUpdates: this.onCheckForUpdates })
      Menu.setApplicationMenu(Menu.buildFromTemplate(template))
    }
    const active = ACTIVE_STATES.reduce((n, s) => n + (status.counts[s] ?? 0), 0)
    const win = this.deps.window()
    if (win && !win.isDestroyed()) win.setTitle(windowTitle(lang, active))
    app.setBadgeCount(active)
    if (!this.tray || this.tray.isDestroyed()) return
    const model = trayModel({ lang, active, paused })
    const trayKey = JSON.stringify(model)
    if (trayKey === this.trayKey) return
    this.trayKey = trayKey
    this.tray.setToolTip(model.tooltip)
    if (process.platform === 'darwin') this.tray.setTitle(model.title)
    this.tray.setContextMenu(Menu.buildFromTemplate(model.items.map((item) => this.trayItem(item))))
  }

  private trayItem(item: TrayItem): MenuItemConstructorOptions {
    if (item.type === 'separator') return { type: 'separator' }
    if (item.type === 'status') return { label: item.label, enabled: false }
    return { label: item.label, enabled: item.enabled, click: () => this.runTray(item.command) }
  }

  private runTray(command: TrayCommand): void {
    if (command === 'showWindow') this.deps.showWindow()
    else if (command === 'quit') app.quit()
    else this.run(command)
  }

  /** A menu or tray command: a screen to show (the page does it), or something main does itself. */
  private run(command: AppCommand): void {
    const studio = this.deps.studio()
    if (!studio) return
    const to = commandNavigation(command)
    if (to) {
      this.deps.showWindow()
      studio.navigate(to)
      return
    }
    if (command === 'pauseAll') studio.engine.pauseNewWork()
    else if (command === 'resume') studio.engine.resumeNewWork()
    else if (command === 'apiDocs' || command === 'keyConsole') {
      const url = HELP_LINKS[command]
      if (isSafeExternalUrl(url)) void shell.openExternal(url)
    }
  }
}

/**
 * Drag-out: the page prevents its own `dragstart` and sends `drag.start` with a job or library item
 * id (a send, not an invoke, so the OS drag starts while the mouse is still down). Only our own
 * page may ask; main finds the video in the library itself (src/app/dragOut.ts).
 */
export function wireDragOut(studio: Studio, trusted: (event: IpcMainEvent) => boolean, logger: Logger): void {
  ipcMain.on(wireName('drag.start'), (event, payload: unknown) => {
    if (!trusted(event)) return
    const ref = checkSend('drag.start', payload)
    if (!ref) return
    void studio
      .dragFile(ref)
      .then((found) => {
        if (!found || event.sender.isDestroyed()) return
        event.sender.startDrag({ file: found.file, icon: dragIcon(found.icon) })
      })
      .catch((err: unknown) => logger.log('warn', `drag: ${err instanceof Error ? err.message : String(err)}`))
  })
}

/** What a dragged video shows under the pointer: its poster, else the app's icon. */
export function dragIcon(poster: string | null): NativeImage {
  const image = poster ? nativeImage.createFromPath(poster) : null
  if (image && !image.isEmpty()) return image.resize({ width: 160 })
  // Read through Node's fs, which reads inside app.asar where the packaged app keeps resources/.
  return nativeImage.createFromBuffer(readFileSync(dragIconFile))
}
