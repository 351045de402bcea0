// Reads every sidecar under the library folder (for Library.rescan), skipping dot-folders.
// Small files are read synchronously in short batches, yielding between batches: for 10,000
// sidecars this is ~8x faster than fs.promises (one thread-pool round trip per file) while the
// event loop never stalls for more than a few milliseconds.
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { join } from 'node:path'
import type { LibraryItem, RescanReport } from '../../shared/library'
import { resolveInside } from './naming'
import { fromSidecar, parseSidecar } from './sidecar'

const BATCH = 200

export interface SidecarScan {
  items: LibraryItem[]
  skipped: RescanReport['skipped']
}

export async function scanSidecars(root: string): Promise<SidecarScan> {
  const files: string[] = []
  await walk(root, '', files)
  files.sort()
  const skipped: RescanReport['skipped'] = []
  const results: (LibraryItem | null)[] = new Array(files.length).fill(null)
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && i % BATCH === 0) await yieldToEventLoop()
    const outcome = readOne(root, files[i])
    if (typeof outcome === 'string') skipped.push({ file: files[i], reason: outcome })
    else results[i] = outcome
  }

  // The same video indexed twice would break the index's unique ids: keep the first.
  const items: LibraryItem[] = []
  const ids = new Map<string, string>()
  const jobs = new Map<string, string>()
  for (let i = 0; i < files.length; i++) {
    const item = results[i]
    if (!item) continue
    const twin = ids.get(item.id) ?? jobs.get(item.jobId)
    if (twin) {
      skipped.push({ file: files[i], reason: `describes the same video as ${twin} (a copy?)` })
      continue
    }
    ids.set(item.id, files[i])
    jobs.set(item.jobId, files[i])
    items.push(item)
  }
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return { items, skipped }
}

/** The item, a reason to report, or null for JSON that is simply not ours. */
function readOne(root: string, rel: string): LibraryItem | string | null {
  let text: string
  try {
    text = readFileSync(join(root, rel), 'utf8')
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`
  }
  const parsed = parseSidecar(text)
  if (!parsed.ok) return parsed.foreign ? null : parsed.reason
  const slash = rel.lastIndexOf('/')
  const relDir = slash < 0 ? '' : rel.slice(0, slash)
  const sc = parsed.sidecar
  if (/[\\/]/.test(sc.file) || sc.file.startsWith('.')) return `invalid field "file": "${sc.file}" is not a plain file name`
  const item = fromSidecar(sc, relDir)
  const abs = resolveInside(root, item.fileName)
  if (!abs) return `invalid field "file": "${sc.file}" is not a plain file name`
  try {
    const s = statSync(abs)
    if (!s.isFile()) return `its video "${sc.file}" is not a file`
  } catch {
    return `its video "${sc.file}" is missing`
  }
  return item
}

async function walk(root: string, relDir: string, out: string[]): Promise<void> {
  let entries: Dirent[]
  try {
    entries = readdirSync(relDir ? join(root, relDir) : root, { withFileTypes: true })
  } catch {
    return
  }
  await yieldToEventLoop()
  const subdirs: string[] = []
  for (const e of entries) {
    if (e.name.startsWith('.')) continue
    const rel = relDir ? `${relDir}/${e.name}` : e.name
    if (e.isDirectory()) subdirs.push(rel)
    else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(rel)
  }
  for (const d of subdirs) await walk(root, d, out)
}
