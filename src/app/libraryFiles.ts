// Which files of the library folder may leave it: to the renderer (the media scheme) or to the OS
// ("Open", "Show in folder"), which runs what it is given with its default app. The names come from
// places others can write — a URL the page builds, a job row, a sidecar JSON someone dropped in the
// folder — so one rule for all of them: a video, or a poster in `.posters/`, that is a regular file
// inside the library once every symlink is resolved, with no hidden part on the way to it.
import { realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep, win32 } from 'node:path'
import { VIDEO_CONTAINERS } from '../shared/library'

export const VIDEO_EXTENSIONS: readonly string[] = [...new Set([...VIDEO_CONTAINERS, 'm4v'])].map((e) => `.${e}`)
export const POSTER_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp']
/** The one hidden folder anything is served from: the posters the app makes. */
export const POSTERS_DIR = '.posters'

/** APFS and NTFS, the usual disks of macOS and Windows, see `.PARTIAL` and `.partial` as one folder. */
export const CASE_INSENSITIVE_DISKS = process.platform === 'darwin' || process.platform === 'win32'

export type LibraryFile =
  | { ok: true; path: string }
  /** `missing`: a name that would be allowed, with nothing there; `refused`: never allowed. */
  | { ok: false; why: 'refused' | 'missing' }

export interface CheckOptions {
  caseInsensitive?: boolean
}

const REFUSED: LibraryFile = { ok: false, why: 'refused' }
const MISSING: LibraryFile = { ok: false, why: 'missing' }

/**
 * A part of a path we would make ourselves: no `.`/`..`, nothing hidden, no separator of any OS,
 * no NUL or control character, no `:` (a Windows drive or alternate data stream), and no trailing dot
 * or space (Windows drops them, so `clip.mp4.` is `clip.mp4` there but not here).
 */
function visible(part: string): boolean {
  // eslint-disable-next-line no-control-regex
  return part !== '' && !part.startsWith('.') && !/[\\/:\u0000-\u001f\u007f]/.test(part) && !/[. ]$/.test(part)
}

function hasExtension(name: string, allowed: readonly string[]): boolean {
  return allowed.includes(extname(name).toLowerCase())
}

/** `child`'s parts below `parent`, or null when it is not strictly inside. */
export function partsInside(parent: string, child: string, caseInsensitive = CASE_INSENSITIVE_DISKS): string[] | null {
  const p = caseInsensitive ? parent.toLowerCase() : parent
  const c = caseInsensitive ? child.toLowerCase() : child
  const rel = relative(p, c)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) || win32.isAbsolute(rel)) return null
  // Parts from the real path, so a checked name keeps its case (the lowered copy only decided).
  const depth = rel.split(sep).length
  return child.split(sep).slice(-depth)
}

function sameName(a: string, b: string, fold: boolean): boolean {
  return fold ? a.toLowerCase() === b.toLowerCase() : a === b
}

async function realFile(abs: string): Promise<LibraryFile> {
  try {
    const real = await realpath(abs)
    return (await stat(real)).isFile() ? { ok: true, path: real } : REFUSED
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOENT' || code === 'ENOTDIR' ? MISSING : REFUSED
  }
}

async function realRoot(root: string): Promise<string | null> {
  try {
    return await realpath(root)
  } catch {
    return null
  }
}

/** The real path of the video `name` (relative to the library root, `/`-separated), when it may be served or opened. */
export async function videoInsideLibrary(root: string, name: string, o: CheckOptions = {}): Promise<LibraryFile> {
  if (typeof name !== 'string') return REFUSED
  const parts = name.split('/')
  if (!parts.every(visible) || !hasExtension(name, VIDEO_EXTENSIONS)) return REFUSED
  const base = await realRoot(root)
  if (!base) return MISSING
  const found = await realFile(resolve(base, ...parts))
  if (!found.ok) return found
  // Where a symlink really leads must pass the same rule: no hidden folder, no other file type.
  const real = partsInside(base, found.path, o.caseInsensitive)
  if (!real || !real.every(visible) || !hasExtension(found.path, VIDEO_EXTENSIONS)) return REFUSED
  return found
}

/** `abs` (e.g. a job's file, `<library>/<name>`) checked as `videoInsideLibrary` checks a name. */
export async function videoAtPath(root: string, abs: string, o: CheckOptions = {}): Promise<LibraryFile> {
  const rel = relative(resolve(root), resolve(abs))
  if (rel === '' || isAbsolute(rel)) return REFUSED
  return videoInsideLibrary(root, rel.split(sep).join('/'), o)
}

/** The real path of a poster (`.posters/<name>.jpg`, as a sidecar records it), when it may be served. */
export async function posterInsideLibrary(root: string, rel: string, o: CheckOptions = {}): Promise<LibraryFile> {
  const fold = o.caseInsensitive ?? CASE_INSENSITIVE_DISKS
  if (typeof rel !== 'string') return REFUSED
  const parts = rel.split('/')
  if (parts.length !== 2 || !sameName(parts[0], POSTERS_DIR, fold) || !visible(parts[1]) || !hasExtension(parts[1], POSTER_EXTENSIONS)) return REFUSED
  const base = await realRoot(root)
  if (!base) return MISSING
  const found = await realFile(resolve(base, ...parts))
  if (!found.ok) return found
  const real = partsInside(base, found.path, fold)
  if (real?.length !== 2 || !sameName(real[0], POSTERS_DIR, fold) || !visible(real[1]) || !hasExtension(found.path, POSTER_EXTENSIONS)) return REFUSED
  return found
}
