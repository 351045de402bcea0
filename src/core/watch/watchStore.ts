// The watch_folders and watch_files tables: the folders Settings watches, and every outcome of
// every file that appeared in a watched folder. The one rule it keeps: a folder sends an image
// (by content hash) once — a unique index, so two processes watching one folder cannot both.
import type { FieldError } from '../../shared/modelTypes'
import type { WatchReason, WatchRecipe } from '../../shared/watch'
import type { Db } from '../db/database'

export interface WatchFolderRow {
  id: string
  path: string
  recipe: WatchRecipe
  paused: boolean
  createdAt: number
}

/** What the table records: a file reached a settled outcome (`skipped`: there when the folder was added, not sent). */
export type RecordedOutcome = 'queued' | 'duplicate' | 'refused' | 'skipped'

export interface WatchFileRow {
  seq: number
  /** The folder's real path. */
  folder: string
  name: string
  size: number
  mtime: number
  hash: string | null
  outcome: RecordedOutcome
  jobId: string | null
  duplicateOf: string | null
  /** `refused`: the recipe it was refused for (a new recipe may accept it). */
  recipeKey: string | null
  reason: WatchReason | null
  errors: FieldError[]
  at: number
}

export type NewWatchFile = Omit<WatchFileRow, 'seq'>

/** Another file (here or in another process) already sent this content from this folder. */
export class AlreadySentError extends Error {
  constructor(readonly first: WatchFileRow) {
    super(`already sent as ${first.name}`)
    this.name = 'AlreadySentError'
  }
}

interface FolderDbRow {
  id: string
  path: string
  recipe: string
  paused: number
  created_at: number
}

interface FileDbRow {
  seq: number
  folder: string
  name: string
  size: number
  mtime: number
  hash: string | null
  outcome: RecordedOutcome
  job_id: string | null
  duplicate_of: string | null
  recipe_key: string | null
  reason: string | null
  errors: string | null
  at: number
}

function folderRow(r: FolderDbRow): WatchFolderRow {
  return { id: r.id, path: r.path, recipe: JSON.parse(r.recipe) as WatchRecipe, paused: r.paused === 1, createdAt: r.created_at }
}

function fileRow(r: FileDbRow): WatchFileRow {
  return {
    seq: r.seq,
    folder: r.folder,
    name: r.name,
    size: r.size,
    mtime: r.mtime,
    hash: r.hash,
    outcome: r.outcome,
    jobId: r.job_id,
    duplicateOf: r.duplicate_of,
    recipeKey: r.recipe_key,
    reason: r.reason ? (JSON.parse(r.reason) as WatchReason) : null,
    errors: r.errors ? (JSON.parse(r.errors) as FieldError[]) : [],
    at: r.at
  }
}

export class WatchStore {
  constructor(private readonly db: Db) {}

  // ---- folders ---------------------------------------------------------------------------

  folders(): WatchFolderRow[] {
    return (this.db.prepare('SELECT * FROM watch_folders ORDER BY created_at, id').all() as FolderDbRow[]).map(folderRow)
  }

  folder(id: string): WatchFolderRow | null {
    const r = this.db.prepare('SELECT * FROM watch_folders WHERE id = ?').get(id) as FolderDbRow | undefined
    return r ? folderRow(r) : null
  }

  folderByPath(path: string): WatchFolderRow | null {
    const r = this.db.prepare('SELECT * FROM watch_folders WHERE path = ?').get(path) as FolderDbRow | undefined
    return r ? folderRow(r) : null
  }

  /** False when the path is already watched. */
  addFolder(row: WatchFolderRow): boolean {
    const info = this.db
      .prepare('INSERT OR IGNORE INTO watch_folders (id, path, recipe, paused, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(row.id, row.path, JSON.stringify(row.recipe), row.paused ? 1 : 0, row.createdAt)
    return info.changes === 1
  }

  /** The folder leaves the list; what its files became stays, so adding it again sends nothing twice. */
  removeFolder(id: string): boolean {
    return this.db.prepare('DELETE FROM watch_folders WHERE id = ?').run(id).changes === 1
  }

  setPaused(id: string, paused: boolean): boolean {
    return this.db.prepare('UPDATE watch_folders SET paused = ? WHERE id = ?').run(paused ? 1 : 0, id).changes === 1
  }

  // ---- files -----------------------------------------------------------------------------

  /** Whether anything was ever recorded for this folder (it was watched before, by the app or a CLI run). */
  hasHistory(folder: string): boolean {
    return this.db.prepare('SELECT 1 FROM watch_files WHERE folder = ? LIMIT 1').get(folder) !== undefined
  }

  /** The newest outcome recorded for a file name in a folder. */
  latestByName(folder: string, name: string): WatchFileRow | null {
    const r = this.db.prepare('SELECT * FROM watch_files WHERE folder = ? AND name = ? ORDER BY seq DESC LIMIT 1').get(folder, name) as FileDbRow | undefined
    return r ? fileRow(r) : null
  }

  /** The file that was sent with this content from this folder, if one was. */
  sentWithHash(folder: string, hash: string): WatchFileRow | null {
    const r = this.db.prepare("SELECT * FROM watch_files WHERE folder = ? AND hash = ? AND outcome = 'queued'").get(folder, hash) as FileDbRow | undefined
    return r ? fileRow(r) : null
  }

  /**
   * Records a file sent as a job. Runs inside the transaction that writes the job: when this
   * content was sent meanwhile (another process, another name), it throws AlreadySentError and
   * the job is not written either.
   */
  claim(row: NewWatchFile & { outcome: 'queued'; hash: string; jobId: string }): void {
    const first = this.sentWithHash(row.folder, row.hash)
    if (first) throw new AlreadySentError(first)
    this.dropUnsent(row.folder, row.name)
    this.insert(row)
  }

  /**
   * Records a duplicate, a refusal or a skipped file. It replaces the name's earlier such row:
   * only sent files keep their history (a refused file rewritten a hundred times is one row).
   */
  record(row: NewWatchFile & { outcome: 'duplicate' | 'refused' | 'skipped' }): void {
    this.db.transaction(() => {
      this.dropUnsent(row.folder, row.name)
      this.insert(row)
    })()
  }

  private dropUnsent(folder: string, name: string): void {
    this.db.prepare("DELETE FROM watch_files WHERE folder = ? AND name = ? AND outcome != 'queued'").run(folder, name)
  }

  private insert(row: NewWatchFile): void {
    this.db
      .prepare(
        `INSERT INTO watch_files (folder, name, size, mtime, hash, outcome, job_id, duplicate_of, recipe_key, reason, errors, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        row.folder,
        row.name,
        row.size,
        row.mtime,
        row.hash,
        row.outcome,
        row.jobId,
        row.duplicateOf,
        row.recipeKey,
        row.reason ? JSON.stringify(row.reason) : null,
        row.errors.length ? JSON.stringify(row.errors) : null,
        row.at
      )
  }

  /** Each file name's latest outcome in a folder, newest first. */
  recent(folder: string, limit: number): WatchFileRow[] {
    const rows = this.db
      .prepare(
        `SELECT f.* FROM watch_files f
         JOIN (SELECT MAX(seq) AS seq FROM watch_files WHERE folder = ? GROUP BY name) latest ON latest.seq = f.seq
         ORDER BY f.seq DESC LIMIT ?`
      )
      .all(folder, Math.max(0, Math.floor(limit))) as FileDbRow[]
    return rows.map(fileRow)
  }

  /** How many file names of a folder ended, by their latest outcome. */
  counts(folder: string): Record<RecordedOutcome, number> {
    const rows = this.db
      .prepare(
        `SELECT f.outcome AS outcome, COUNT(*) AS n FROM watch_files f
         JOIN (SELECT MAX(seq) AS seq FROM watch_files WHERE folder = ? GROUP BY name) latest ON latest.seq = f.seq
         GROUP BY f.outcome`
      )
      .all(folder) as { outcome: RecordedOutcome; n: number }[]
    const out: Record<RecordedOutcome, number> = { queued: 0, duplicate: 0, refused: 0, skipped: 0 }
    for (const r of rows) out[r.outcome] = r.n
    return out
  }
}
