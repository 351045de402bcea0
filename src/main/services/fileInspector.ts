// Turns dropped paths (files and whole folders) into image cards: header-only probing, a content
// fingerprint to notice the same image twice, the model's checks, and a fix where one exists.
// Every path is checked here: the renderer's word for what a path is counts for nothing.
import { createHash, randomBytes } from 'node:crypto'
import { open, readdir, realpath, stat } from 'node:fs/promises'
import { basename, isAbsolute, join } from 'node:path'
import type { ImageCard, InspectReply, RejectedFile } from '../../shared/ipc/contract'
import type { JobSpec } from '../../shared/jobs'
import type { CatalogModel, ImageInfo } from '../../shared/modelTypes'
import { fixTarget, sizeForImage } from '../../shared/imageFix'
import { validateSpec } from '../../shared/validation'
import { probeImage } from '../core/images/imageProbe'

const MAX_FILES = 10_000
const MAX_DEPTH = 16
const SAMPLE = 64 * 1024

/** Opaque tokens for thumbnails of dropped images: the media route serves only these paths. */
export class ImageTokens {
  private byToken = new Map<string, string>()
  private byPath = new Map<string, string>()

  constructor(private readonly max = 50_000) {}

  tokenFor(path: string): string {
    const known = this.byPath.get(path)
    if (known) return known
    const token = randomBytes(12).toString('hex')
    this.byToken.set(token, path)
    this.byPath.set(path, token)
    if (this.byToken.size > this.max) {
      const [oldest] = this.byToken.keys()
      this.byPath.delete(this.byToken.get(oldest)!)
      this.byToken.delete(oldest)
    }
    return token
  }

  pathOf(token: string): string | null {
    return this.byToken.get(token) ?? null
  }

  /** True when the person chose this file in the app (dropped, picked or fixed) in this session. */
  knows(path: string): boolean {
    return this.byPath.has(path)
  }
}

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

interface Collected {
  files: string[]
  rejected: RejectedFile[]
  folders: number
}

async function collect(paths: string[]): Promise<Collected> {
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

export async function inspectFiles(paths: string[], model: CatalogModel | null, tokens: ImageTokens): Promise<InspectReply> {
  const { files, rejected, folders } = await collect(paths)
  const probed = await mapLimit(files, 16, async (path) => {
    try {
      const info = await probeImage(path)
      const hash = info.type && info.bytes > 0 ? await fingerprint(path, info.bytes) : ''
      return { path, info, hash, error: null as string | null }
    } catch (err) {
      return { path, info: null, hash: '', error: err instanceof Error ? err.message : String(err) }
    }
  })
  const cards: ImageCard[] = []
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
    cards.push({ path: p.path, name: basename(p.path), token: tokens.tokenFor(p.path), info: p.info, hash: p.hash, duplicateOf, ...checkAgainst(model, p.info) })
  }
  return { cards, rejected, scanned: { folders, files: files.length } }
}

/** The model's image checks for one image, and the fix when one exists. */
export function checkAgainst(model: CatalogModel | null, info: ImageInfo): Pick<ImageCard, 'problems' | 'fix'> {
  if (!model) return { problems: [], fix: null }
  const spec: JobSpec = { model: model.id, prompt: 'x', images: [info.path] }
  if (info.width && info.height) {
    const size = sizeForImage(model.rules, info.width, info.height)
    if (size) spec.size = size
  }
  const problems = validateSpec(spec, model.rules, [info]).filter((e) => e.field.startsWith('images'))
  return { problems, fix: problems.length ? fixTarget(info, spec, model.rules) : null }
}
