// "Export": copies library videos, each with its sidecar (and its poster, when it has one), into a
// folder main's own dialog returned. Nothing there is ever overwritten: a name already taken gets
// " (2)", " (3)"… and the video, sidecar and poster of one item keep one stem. Each copy is made
// with an exclusive create, so a file appearing meanwhile is not overwritten either.
import { constants } from 'node:fs'
import { copyFile, readdir, rm, writeFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { readSidecarSync, sidecarPathFor, toSidecar } from '../core/library/sidecar'
import type { LibraryExportReply } from '../shared/ipc/contract'
import type { LibraryItem } from '../shared/library'
import { posterInsideLibrary, videoInsideLibrary } from './libraryFiles'

export type ExportReport = LibraryExportReply

/** `stem`, or `stem (2)`, `stem (3)`… : the first that `taken` does not claim. */
export function freeStem(stem: string, taken: (candidate: string) => boolean): string {
  if (!taken(stem)) return stem
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})`
    if (!taken(candidate)) return candidate
  }
}

/** The file names one item gets in a folder already holding `existing` (compared without case: macOS and Windows disks ignore it). */
export function exportNames(
  fileName: string,
  posterExt: string | null,
  existing: ReadonlySet<string>
): { video: string; sidecar: string; poster: string | null } {
  const base = basename(fileName)
  const ext = extname(base)
  const stem = ext ? base.slice(0, -ext.length) : base
  const names = (s: string): string[] => [`${s}${ext}`, `${s}.json`, ...(posterExt ? [`${s}${posterExt}`] : [])]
  const chosen = freeStem(stem, (s) => names(s).some((n) => existing.has(n.toLowerCase())))
  return { video: `${chosen}${ext}`, sidecar: `${chosen}.json`, poster: posterExt ? `${chosen}${posterExt}` : null }
}

export async function exportItems(root: string, items: readonly LibraryItem[], folder: string): Promise<ExportReport> {
  const existing = new Set((await readdir(folder)).map((n) => n.toLowerCase()))
  const report: ExportReport = { folder, copied: 0, failed: [] }
  for (const item of items) {
    const name = basename(item.fileName)
    const video = await videoInsideLibrary(root, item.fileName)
    if (!video.ok) {
      report.failed.push({ id: item.id, name, code: video.why === 'missing' ? 'videoGone' : 'notLibraryVideo', detail: '' })
      continue
    }
    const poster = item.poster ? await posterInsideLibrary(root, item.poster) : null
    const posterPath = poster?.ok ? poster.path : null
    const target = exportNames(item.fileName, posterPath ? extname(posterPath).toLowerCase() : null, existing)
    const made: string[] = []
    try {
      await copyFile(video.path, join(folder, target.video), constants.COPYFILE_EXCL)
      made.push(join(folder, target.video))
      // The sidecar as the library keeps it, naming its video's new name; the poster sits beside it
      // (a library's posters live in its hidden `.posters/`, which an export has not).
      const kept = readSidecarSync(sidecarPathFor(video.path))
      const sidecar = { ...(kept.ok ? kept.sidecar : toSidecar(item)), file: target.video, poster: null }
      await writeFile(join(folder, target.sidecar), `${JSON.stringify(sidecar, null, 2)}\n`, { flag: 'wx' })
      made.push(join(folder, target.sidecar))
      if (posterPath && target.poster) {
        await copyFile(posterPath, join(folder, target.poster), constants.COPYFILE_EXCL)
        made.push(join(folder, target.poster))
      }
      report.copied++
    } catch (err) {
      // Half an item is no use: take back what this item put there.
      for (const p of made) await rm(p, { force: true })
      report.failed.push({ id: item.id, name, code: 'copyFailed', detail: err instanceof Error ? err.message : String(err) })
    }
    for (const n of [target.video, target.sidecar, target.poster]) if (n) existing.add(n.toLowerCase())
  }
  return report
}
