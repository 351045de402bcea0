// Finds the images under dropped or named paths (files and whole folders): symlink loops and the
// same folder twice are walked once, hidden entries skipped, at most 10,000 files; each image is
// probed from its header and fingerprinted so the same picture twice is noticed. The desktop app's
// file inspector and the CLI's batch both start here.
import { createHash } from 'node:crypto'
import { open, readdir, realpath, stat } from 'node:fs/promises'
import { basename, isAbsolute, join } from 'node:path'
import type { RejectedFile } from '../../shared/ipc/contract'
import type { ImageInfo } from '../../shared/modelTypes'
import { probeImage } from './imageProbe'

const MAX_FILES = 10_000
const MAX_DEPTH = 16
const SAMPLE = 64 * 1024
/** Image headers are read a few at a time. */
const PROBE_WORKERS = 16

/**
 * A fingerprint of the content: the whole file when small, else its size, first and last 64 KB
 * (two different photos never share those; reading every byte of 1,000 files would be slow).
 */
async function fingerprint(path: string, size: number): Promise<string> {
  const hash = createHash('sha256')
  const fh = await open(path, 'r')
  try {
    if (size <= 4 * SAMPLE) {
      const buf = Buffer.alloc(size)
      await fh.read(buf, 0, size, 0)
      hash.update(buf)
    } else {
      const head = Buffer.alloc(SAMPLE)
      const tail = Buffer.alloc(SAMPLE)
      await fh.read(head, 0, SAMPLE, 0)
      await fh.read(tail, 0, SAMPLE, size - SAMPLE)
      hash.update(String(size)).update(head).update(tail)
    }
  } finally {
    await fh.close()
  }
  return hash.digest('hex').slice(0, 16)
}

export interface Collected {
  files: string[]
  rejected: RejectedFile[]
  folders: number
}

/** Every file under `paths` (absolute), in name order, each real file once. */
export async function collectFiles(paths: string[]): Promise<Collected> {
  const out: Collected = { files: [], rejected: [], folders: 0 }
  const seenDirs = new Set<string>()
  const seenFiles = new Set<string>()
  const reject = (path: string, code: string, reason: string): void => {
    out.rejected.push({ path, name: basename(path), code, reason })
  }
  const tooMany = (path: string): void => reject(path, 'tooMany', `Only the first ${MAX_FILES.toLocaleString('en')} files of a drop are used.`)
  const addFile = (path: string, real: string): void => {
    if (seenFiles.has(real)) return
    seenFiles.add(real)
    if (out.files.length >= MAX_FILES) tooMany(path)
    else out.files.push(path)
  }
  const walk = async (path: string, depth: number): Promise<void> => {
    let st
    try {
      st = await stat(path) // follows symlinks; a dangling one fails here
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      reject(path, code === 'ELOOP' ? 'symlinkLoop' : code === 'EACCES' ? 'unreadable' : 'missing', code === 'EACCES' ? 'Permission denied.' : 'The file is gone or its link leads nowhere.')
      return
    }
    if (st.isFile()) {
      addFile(path, await realpath(path))
      return
    }
    if (!st.isDirectory()) {
      reject(path, 'notFile', 'Not a regular file (a device or pipe).')
      return
    }
    const realDir = await realpath(path)
    if (seenDirs.has(realDir)) return // a symlink loop or the same folder dropped twice
    seenDirs.add(realDir)
    if (depth > MAX_DEPTH) {
      reject(path, 'tooDeep', `Folders nested deeper than ${MAX_DEPTH} levels are not searched.`)
      return
    }
    out.folders++
    let entries
    try {
      entries = await readdir(path, { withFileTypes: true })
    } catch {
      reject(path, 'unreadable', 'This folder cannot be read.')
      return
    }
    entries.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
    for (const e of entries) {
      if (e.name.startsWith('.')) continue
      if (out.files.length >= MAX_FILES) {
        tooMany(join(path, e.name))
        return
      }
      // The directory listing already says what most entries are: only links and odd types need a stat.
      if (e.isFile()) addFile(join(path, e.name), join(realDir, e.name))
      else await walk(join(path, e.name), depth + 1)
    }
  }
  for (const p of paths) {
    if (!isAbsolute(p) || p.includes('\u0000')) {
      reject(p, 'badPath', 'Not a file path the app can use.')
      continue
    }
    await walk(p, 0)
  }
  return out
}

/** Runs `fn` over items with at most `n` at a time, keeping order. */
async function mapLimit<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker))
  return out
}

export interface ScannedImage {
  path: string
  info: ImageInfo
  /** Content fingerprint. */
  hash: string
  /** The first image with the same content, when this one repeats it. */
  duplicateOf: string | null
}

export interface ImageScan {
  images: ScannedImage[]
  rejected: RejectedFile[]
  scanned: { folders: number; files: number }
}

/** The usable images under `paths` (absolute), and every file that is not one, with the reason. */
export async function scanImages(paths: string[]): Promise<ImageScan> {
  const { files, rejected, folders } = await collectFiles(paths)
  const probed = await mapLimit(files, PROBE_WORKERS, async (path) => {
    try {
      const info = await probeImage(path)
      const hash = info.type && info.bytes > 0 ? await fingerprint(path, info.bytes) : ''
      return { path, info, hash, error: null as string | null }
    } catch (err) {
      return { path, info: null, hash: '', error: err instanceof Error ? err.message : String(err) }
    }
  })
  const images: ScannedImage[] = []
  const firstByHash = new Map<string, string>()
  for (const p of probed) {
    if (!p.info) {
      rejected.push({ path: p.path, name: basename(p.path), code: 'unreadable', reason: p.error ?? 'Could not read the file.' })
      continue
    }
    if (p.info.bytes === 0) {
      rejected.push({ path: p.path, name: basename(p.path), code: 'empty', reason: 'The file is empty (0 bytes).' })
      continue
    }
    if (!p.info.type) {
      const looksNamed = /\.(png|jpe?g|webp|gif|bmp)$/i.test(p.path)
      rejected.push({
        path: p.path,
        name: basename(p.path),
        code: 'notImage',
        reason: looksNamed ? 'Named like an image, but its content is not one.' : 'Not an image.'
      })
      continue
    }
    const duplicateOf = firstByHash.get(p.hash) ?? null
    if (!duplicateOf) firstByHash.set(p.hash, p.path)
    images.push({ path: p.path, info: p.info, hash: p.hash, duplicateOf })
  }
  return { images, rejected, scanned: { folders, files: files.length } }
}
