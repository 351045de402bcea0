// Wires the security policy into Electron: CSP on every response, permissions denied but for the
// few the app uses, no navigation, no new windows (http(s) links open in the browser).
import { type BrowserWindow, session, shell } from 'electron'
import { CONTENT_SECURITY_POLICY, isAllowedPermission, isAppUrl, isSafeExternalUrl } from '../app/securityPolicy'

export function hardenSession(): void {
  const ses = session.defaultSession
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(isAllowedPermission(permission)))
  ses.setPermissionCheckHandler((_wc, permission) => isAllowedPermission(permission))
  ses.setDevicePermissionHandler(() => false)
}

export function hardenWindow(win: BrowserWindow, appUrl: () => string): void {
  const wc = win.webContents
  wc.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl())) event.preventDefault()
  })
  wc.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl())) event.preventDefault()
  })
  wc.on('will-attach-webview', (event) => event.preventDefault())
  wc.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}
