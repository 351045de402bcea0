// Where the ffmpeg and ffprobe shipped with the app are (@ffmpeg-installer/ffmpeg,
// @ffprobe-installer/ffprobe). In a packaged app they are asarUnpack'ed (build/electron-builder.json):
// the packages report a path inside app.asar, which cannot be executed, so it is pointed at
// app.asar.unpacked. A platform without them, or a build that left them out, gives null.
import { createRequire } from 'node:module'
import type { FfmpegBinaries } from '../core/library/posterFrames'

/** `…/app.asar/…` → `…/app.asar.unpacked/…`; any other path unchanged. */
export function unpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2')
}

function binary(pkg: string): string | null {
  try {
    const mod = createRequire(import.meta.url)(pkg) as { path?: unknown }
    return typeof mod.path === 'string' ? unpackedPath(mod.path) : null
  } catch {
    // The package throws for an unsupported platform or a missing binary.
    return null
  }
}

export function installedFfmpeg(): FfmpegBinaries {
  return { ffmpeg: binary('@ffmpeg-installer/ffmpeg'), ffprobe: binary('@ffprobe-installer/ffprobe') }
}
