// Where the app keeps its data. The CLI must find the same folder Electron's app.getPath('userData')
// gives the desktop app, so both share one database and one library.
import { homedir } from 'node:os'
import { join } from 'node:path'

export const PRODUCT_NAME = 'Comet Video Studio'

/** Electron's appData folder for this platform. */
export function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME || join(homedir(), '.config')
}

/** `COMET_VIDEO_HOME` when set (scripts, tests), else the desktop app's user-data folder. */
export function resolveDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const home = env.COMET_VIDEO_HOME?.trim()
  return home ? home : join(appDataDir(env, platform), PRODUCT_NAME)
}

/** The library folder used until the user picks another: inside COMET_VIDEO_HOME, else ~/Videos. */
export function defaultLibraryDir(env: NodeJS.ProcessEnv): string {
  const home = env.COMET_VIDEO_HOME?.trim()
  return home ? join(home, 'library') : join(homedir(), 'Videos', PRODUCT_NAME)
}
