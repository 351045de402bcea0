// The security decisions of the shell as plain data and functions, so tests can check them
// without Electron (Electron's security checklist: isolation, sandbox, CSP, permissions, navigation).

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: media:",
  "media-src 'self' blob: media:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'"
].join('; ')

export function secureWebPreferences(preload: string): {
  preload: string
  contextIsolation: true
  sandbox: true
  nodeIntegration: false
  nodeIntegrationInWorker: false
  nodeIntegrationInSubFrames: false
  webSecurity: true
  allowRunningInsecureContent: false
  webviewTag: false
  experimentalFeatures: false
  spellcheck: true
} {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    spellcheck: true
  }
}

/** Permissions the renderer may use: writing the clipboard (copy task id) and full screen for the player. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write', 'fullscreen'])

export function isAllowedPermission(permission: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission)
}

/** Only http(s) links leave the app, and only to the user's browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname && !u.username && !u.password
  } catch {
    return false
  }
}

/** The window never navigates away from the app's own page. */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const a = new URL(url)
    const b = new URL(appUrl)
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname
  } catch {
    return false
  }
}

/** Only our own page, loaded in our window's main frame, may call main (no iframe, no page it navigated to). */
export function isTrustedSender(sender: { frameUrl: string | null | undefined; isMainFrame: boolean; appUrl: string }): boolean {
  return sender.isMainFrame && !!sender.frameUrl && isAppUrl(sender.frameUrl, sender.appUrl)
}

/**
 * The page the window loads: always the bundled file in a packaged app. Only a development run
 * (not packaged) honours electron-vite's ELECTRON_RENDERER_URL, and only on loopback, so no
 * environment variable can point an installed app's privileged window at another page.
 */
export function rendererUrl(o: { isPackaged: boolean; devServerUrl: string | undefined; bundledFile: string }): string {
  const bundled = new URL(`file://${o.bundledFile}`).href
  if (o.isPackaged || !o.devServerUrl) return bundled
  try {
    const u = new URL(o.devServerUrl)
    return (u.protocol === 'http:' || u.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) ? u.href : bundled
  } catch {
    return bundled
  }
}
