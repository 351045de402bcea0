// What a crash can leave behind in the library folder: a sidecar's temporary file (killed between
// writing it and renaming it into place) and downloads of jobs that will never resume (canceled,
// removed, finished). Only the engine that runs jobs calls this, when it starts.
import { readdirSync, rmSync, type Dirent } from 'node:fs'
import { join } from 'node:path'

/** `writeFileAtomicSync`'s temporary names: `.<file>.<8 hex>.tmp`. */
const SIDECAR_TEMP = /^\..+\.[0-9a-f]{8}\.tmp$/
const PARTIAL = /^(.+)\.part(\.meta\.json(\.tmp)?)?$/

export interface LeftoverReport {
  temporaryFiles: number
  partials: number
}

/** Removes temporary sidecar files anywhere in the library and partial downloads `isResumable` rejects. */
export function sweepLeftovers(root: string, isResumable: (jobId: string) => boolean): LeftoverReport {
  const report: LeftoverReport = { temporaryFiles: 0, partials: 0 }
  const remove = (p: string): boolean => {
    try {
      rmSync(p, { force: true })
      return true
    } catch {
      return false
    }
  }
  const walk = (dir: string, depth: number): void => {
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      if (e.isFile() && SIDECAR_TEMP.test(e.name)) {
        if (remove(join(dir, e.name))) report.temporaryFiles++
      } else if (e.isDirectory() && !e.name.startsWith('.') && depth < 8) {
        walk(join(dir, e.name), depth + 1)
      }
    }
  }
  walk(root, 0)
  let partials: Dirent[] = []
  try {
    partials = readdirSync(join(root, '.partial'), { withFileTypes: true })
  } catch {
    // No downloads in flight.
  }
  for (const e of partials) {
    const m = PARTIAL.exec(e.name)
    if (!e.isFile() || !m || isResumable(m[1])) continue
    if (remove(join(root, '.partial', e.name))) report.partials++
  }
  return report
}
