// The library: finished videos in a folder, one sidecar each, indexed in SQLite for fast lists.
// The folder is the source of truth; the index can always be rebuilt with rescan().
import { randomUUID } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { msg, type Message, SentenceError } from '../../shared/messages'
import type { Db } from '../db/database'
import type { Clock } from '../ports'
import type {
  LibraryItem, LibraryPage, LibraryQuery, LibraryStats, RescanReport, VideoContainer
} from '../../shared/library'
import { libraryFileName, resolveInside } from './naming'
import { fsyncDirSync, readSidecarSync, sidecarPathFor, toSidecar, writeSidecarSync } from './sidecar'
import { listSql, planList } from './listQuery'
import { itemFromRow, itemSearchText, rowFromItem, type ItemRow } from './rows'
import { scanSidecars } from './scan'
import { itemFromJob, normalizeTags, type FinalizeInput } from './fromJob'
import { exists, type TrashFn } from './trash'

export type { FinalizeInput } from './fromJob'
export { libraryTrashFallback, type TrashFn } from './trash'

export interface ReserveNameInput {
  completedAt: number
  model: string
  prompt: string
  container: VideoContainer
}

export interface MediaInfo {
  width?: number | null
  height?: number | null
  durationS?: number | null
  /** Poster image relative to the library root (e.g. `.posters/<id>.jpg`). */
  poster?: string | null
}

export type VerifyResult =
  | { ok: true }
  | { ok: false; problem: 'not_indexed' | 'missing' | 'size' | 'sidecar'; message: string }

type Statement = BetterSqlite3.Statement<unknown[]>

export class LibraryError extends SentenceError {
  constructor(
    sentence: Message,
    readonly kind: 'not_found' | 'bad_name' | 'missing_file' | 'size_mismatch'
  ) {
    super(sentence)
    this.name = 'LibraryError'
  }
}

export class Library {
  private readonly statements = new Map<string, Statement>()

  constructor(
    private readonly db: Db,
    private folder: string,
    private readonly clock: Clock
  ) {}

  /** The library folder. */
  get root(): string {
    return this.folder
  }

  /** Points the library at another folder (the person chose one; its files were moved there first). */
  useFolder(folder: string): void {
    this.folder = folder
  }

  /** Where downloads in flight go; never indexed. */
  get partialDir(): string {
    return join(this.root, '.partial')
  }

  /**
   * Whether the library folder is there to write into. A missing folder is created only while the
   * index is empty (first run, a folder just chosen): one that held videos and vanished was deleted,
   * moved or is on a disk that is not connected, and quietly recreating it would hide that.
   */
  ensureRoot(): boolean {
    if (existsSync(this.root)) return true
    if (this.stats().count > 0) return false
    try {
      mkdirSync(this.root, { recursive: true })
      return true
    } catch {
      return false
    }
  }

  /**
   * Picks (once per job) the final file name and records it, so a crash between the rename and
   * the index write finds the same name again. Call before finalize and keep the name in the job row.
   */
  reserveName(jobId: string, input: ReserveNameInput): string {
    return this.db.transaction(() => {
      const held = this.stmt('SELECT file_name FROM library_reservations WHERE job_id = ?').get(jobId) as
        | { file_name: string }
        | undefined
      if (held) return held.file_name
      const done = this.getByJob(jobId)
      if (done) return done.fileName
      const name = libraryFileName(
        {
          completedAt: input.completedAt,
          model: input.model,
          prompt: input.prompt,
          shortId: jobId.replace(/[^a-zA-Z0-9]/g, '').slice(-4),
          ext: input.container
        },
        (candidate) => this.isNameTaken(candidate)
      )
      this.stmt('INSERT INTO library_reservations(job_id, file_name, created_at) VALUES (?, ?, ?)').run(
        jobId, name, this.clock.now()
      )
      return name
    })()
  }

  /** The name reserved for (or already given to) a job's video, or null. */
  reservedName(jobId: string): string | null {
    const held = this.stmt('SELECT file_name FROM library_reservations WHERE job_id = ?').get(jobId) as
      | { file_name: string }
      | undefined
    return held?.file_name ?? this.getByJob(jobId)?.fileName ?? null
  }

  /** Forgets a name reserved for a job that will not finish (canceled, deleted). */
  releaseName(jobId: string): void {
    this.stmt('DELETE FROM library_reservations WHERE job_id = ?').run(jobId)
  }

  /**
   * Moves a verified download into the library, writes its sidecar and indexes it. Safe to call
   * again after a crash at any step: each step notices when it already happened.
   */
  finalize(input: FinalizeInput): LibraryItem {
    const already = this.getByJob(input.jobId)
    if (already && existsSync(this.absolutePath(already))) {
      this.cleanupPartial(input.partialPath)
      this.releaseName(input.jobId)
      return already
    }
    const completedAt = input.completedAt ?? this.clock.now()
    const fileName =
      input.fileName ??
      this.reserveName(input.jobId, { completedAt, model: input.spec.model, prompt: input.spec.prompt, container: input.container })
    const dest = resolveInside(this.root, fileName)
    if (!dest || isHiddenPath(fileName)) throw new LibraryError(msg('library.badName', { name: fileName }), 'bad_name')

    this.moveIntoPlace(input.partialPath, dest, input.bytes)

    const sidecarPath = sidecarPathFor(dest)
    const previous = readSidecarSync(sidecarPath)
    const prior = previous.ok && previous.sidecar.jobId === input.jobId ? previous.sidecar : null
    const item = itemFromJob(input, {
      id: prior?.id ?? randomUUID(),
      fileName,
      completedAt: prior?.completedAt ?? completedAt,
      favorite: prior?.favorite ?? false,
      tags: prior?.tags ?? [],
      poster: prior?.poster ?? null
    })
    writeSidecarSync(sidecarPath, toSidecar(item))
    this.db.transaction(() => {
      // A stale row for this job (its file vanished) gives way to the new one.
      this.stmt('DELETE FROM library_items WHERE job_id = ? AND id <> ?').run(item.jobId, item.id)
      this.upsert(item)
      this.releaseName(item.jobId)
    })()
    return item
  }

  list(query: LibraryQuery = {}): LibraryPage {
    const plan = planList(query)
    if (!plan) return { items: [], total: 0 }
    const sizes = plan.sets.map((set) => (this.stmt(set.count).get(set.arg) as { n: number }).n)
    if (sizes.some((n) => n === 0)) return { items: [], total: 0 }
    const sql = listSql(plan, sizes)
    const total = sql.knownTotal ?? (this.stmt(sql.countSql as string).get(...sql.args) as { n: number }).n
    if (total === 0 || plan.offset >= total) return { items: [], total }
    const seqs = this.stmt(sql.pageSql).pluck().all(...sql.args, plan.limit, plan.offset) as number[]
    const rows = this.stmt('SELECT * FROM library_items WHERE seq IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(seqs)
    ) as ItemRow[]
    const bySeq = new Map(rows.map((r) => [r.seq, r]))
    const items: LibraryItem[] = []
    for (const seq of seqs) {
      const row = bySeq.get(seq)
      if (row) items.push(itemFromRow(row))
    }
    return { items, total }
  }

  /** The ids of the items a query lists, in its order (from `offset`, at most `limit`, default all): for selecting what is not loaded yet. */
  ids(query: Omit<LibraryQuery, 'limit' | 'offset'> & { offset?: number; limit?: number } = {}): string[] {
    const plan = planList({ ...query, offset: 0, limit: 1 })
    if (!plan) return []
    const sizes = plan.sets.map((set) => (this.stmt(set.count).get(set.arg) as { n: number }).n)
    if (sizes.some((n) => n === 0)) return []
    const sql = listSql(plan, sizes)
    const offset = Math.max(0, Math.floor(query.offset ?? 0))
    const limit = query.limit === undefined ? -1 : Math.max(0, Math.floor(query.limit))
    const seqs = this.stmt(sql.pageSql).pluck().all(...sql.args, limit, offset) as number[]
    if (!seqs.length) return []
    const rows = this.stmt('SELECT seq, id FROM library_items WHERE seq IN (SELECT value FROM json_each(?))').all(JSON.stringify(seqs)) as { seq: number; id: string }[]
    const bySeq = new Map(rows.map((r) => [r.seq, r.id]))
    return seqs.map((seq) => bySeq.get(seq)).filter((id): id is string => id !== undefined)
  }

  get(id: string): LibraryItem | null {
    const row = this.stmt('SELECT * FROM library_items WHERE id = ?').get(id) as ItemRow | undefined
    return row ? itemFromRow(row) : null
  }

  getByJob(jobId: string): LibraryItem | null {
    const row = this.stmt('SELECT * FROM library_items WHERE job_id = ?').get(jobId) as ItemRow | undefined
    return row ? itemFromRow(row) : null
  }

  setFavorite(id: string, favorite: boolean): LibraryItem {
    return this.change(id, (item) => ({ ...item, favorite }))
  }

  setTags(id: string, tags: string[]): LibraryItem {
    return this.change(id, (item) => ({ ...item, tags: normalizeTags(tags) }))
  }

  /** Records what a probe or the poster maker learned about a video. */
  setMediaInfo(id: string, info: MediaInfo): LibraryItem {
    if (info.poster != null && !resolveInside(this.root, info.poster)) {
      throw new LibraryError(msg('library.outside', { name: info.poster }), 'bad_name')
    }
    return this.change(id, (item) => ({
      ...item,
      width: info.width === undefined ? item.width : info.width,
      height: info.height === undefined ? item.height : info.height,
      durationS: info.durationS === undefined ? item.durationS : info.durationS,
      poster: info.poster === undefined ? item.poster : info.poster
    }))
  }

  /** Moves the video and its sidecar to the trash, then drops the index row. */
  async delete(id: string, trash: TrashFn): Promise<void> {
    const item = this.get(id)
    if (!item) return
    const video = this.absolutePath(item)
    const sidecar = sidecarPathFor(video)
    if (await exists(video)) await trash(video)
    this.stmt('DELETE FROM library_items WHERE id = ?').run(id)
    if (await exists(sidecar)) await trash(sidecar)
    // The poster goes the same way (to the trash, through the caller's checks), never unlinked in place.
    const poster = item.poster ? resolveInside(this.root, item.poster) : null
    if (poster && isHiddenPath(item.poster ?? '') && (await exists(poster))) await trash(poster)
  }

  /** Rebuilds the index from the sidecars alone. */
  async rescan(): Promise<RescanReport> {
    const scan = await scanSidecars(this.root)
    const report: RescanReport = { added: 0, updated: 0, removed: 0, skipped: scan.skipped }
    this.db.transaction(() => {
      const existing = new Map<string, ItemRow>()
      for (const row of this.stmt('SELECT * FROM library_items').all() as ItemRow[]) existing.set(row.id, row)
      const found = new Set(scan.items.map((i) => i.id))
      for (const [id, row] of existing) {
        if (found.has(id)) continue
        // Video and sidecar both on disk: finalized while we were reading the folder, or its
        // sidecar is damaged (reported in skipped) and the index row is the better copy. Keep it.
        const abs = resolveInside(this.root, row.file_name)
        if (abs && existsSync(abs) && existsSync(sidecarPathFor(abs))) continue
        this.stmt('DELETE FROM library_items WHERE seq = ?').run(row.seq)
        report.removed++
      }
      for (const item of scan.items) {
        const row = existing.get(item.id)
        const next = rowFromItem(item)
        if (row && sameRow(row, next)) continue
        try {
          this.upsert(item)
          if (row) report.updated++
          else report.added++
        } catch (err) {
          report.skipped.push({ file: sidecarPathFor(item.fileName), reason: `cannot be indexed: ${(err as Error).message}` })
        }
      }
    })()
    return report
  }

  /** Whether the video is on disk with the size its sidecar records. */
  verify(id: string): VerifyResult {
    const item = this.get(id)
    if (!item) return { ok: false, problem: 'not_indexed', message: 'This video is not in the library index.' }
    const abs = this.absolutePath(item)
    const sc = readSidecarSync(sidecarPathFor(abs))
    if (!sc.ok) return { ok: false, problem: 'sidecar', message: `The video's sidecar file is ${sc.reason}.` }
    let size: number
    try {
      size = statSync(abs).size
    } catch {
      return { ok: false, problem: 'missing', message: `The video file "${item.fileName}" is missing from the library folder.` }
    }
    if (size !== sc.sidecar.bytes) {
      return { ok: false, problem: 'size', message: `The video file "${item.fileName}" has ${size} bytes; ${sc.sidecar.bytes} were expected. It may be damaged.` }
    }
    return { ok: true }
  }

  absolutePath(item: Pick<LibraryItem, 'fileName'>): string {
    const abs = resolveInside(this.root, item.fileName)
    if (!abs) throw new LibraryError(msg('library.outside', { name: item.fileName }), 'bad_name')
    return abs
  }

  /** The distinct models, vendors and providers in the library, for the filter menus. */
  facets(): { models: string[]; vendors: string[]; providers: string[] } {
    const col = (sql: string): string[] => this.stmt(sql).pluck().all() as string[]
    return {
      models: col('SELECT DISTINCT model FROM library_items ORDER BY model'),
      vendors: col('SELECT DISTINCT vendor FROM library_items WHERE vendor IS NOT NULL ORDER BY vendor'),
      providers: col('SELECT DISTINCT provider FROM library_items ORDER BY provider')
    }
  }

  stats(): LibraryStats {
    const r = this.stmt('SELECT count(*) AS n, coalesce(sum(bytes), 0) AS b FROM library_items').get() as { n: number; b: number }
    return { count: r.n, bytes: r.b }
  }

  // ---------------------------------------------------------------------------------------

  private moveIntoPlace(partialPath: string, dest: string, bytes: number): void {
    let partialSize: number | null = null
    try {
      partialSize = statSync(partialPath).size
    } catch {
      partialSize = null
    }
    if (partialSize === null) {
      // Already moved by an earlier call that crashed afterwards?
      let destSize: number | null = null
      try {
        destSize = statSync(dest).size
      } catch {
        destSize = null
      }
      if (destSize === bytes) return this.cleanupPartial(partialPath)
      throw new LibraryError(msg('library.missingFile'), 'missing_file')
    }
    if (partialSize !== bytes) {
      throw new LibraryError(msg('library.sizeMismatch', { actual: partialSize, expected: bytes }), 'size_mismatch')
    }
    const fd = openSync(partialPath, 'r+')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    mkdirSync(dirname(dest), { recursive: true })
    renameSync(partialPath, dest)
    fsyncDirSync(dirname(dest))
    this.cleanupPartial(partialPath)
  }

  private cleanupPartial(partialPath: string): void {
    rmSync(partialPath, { force: true })
    rmSync(`${partialPath}.meta.json`, { force: true })
    rmSync(`${partialPath}.meta.json.tmp`, { force: true })
  }

  private change(id: string, edit: (item: LibraryItem) => LibraryItem): LibraryItem {
    const item = this.get(id)
    if (!item) throw new LibraryError(msg('library.gone'), 'not_found')
    const next = edit(item)
    // Sidecar first: it is the source of truth, and a failed write leaves the index unchanged.
    writeSidecarSync(sidecarPathFor(this.absolutePath(next)), toSidecar(next))
    this.upsert(next)
    return next
  }

  private upsert(item: LibraryItem): void {
    const r = rowFromItem(item)
    const cols = Object.keys(r)
    const sql =
      `INSERT INTO library_items (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')}) ` +
      `ON CONFLICT(id) DO UPDATE SET ${cols.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`
    this.stmt(sql).run(r)
  }

  private isNameTaken(name: string): boolean {
    const stem = name.replace(/\.[^.]+$/, '')
    // Another container of the same stem would share the sidecar `<stem>.json`.
    const variants = ['mp4', 'webm', 'mov'].map((e) => `${stem}.${e}`)
    const inDb = this.stmt(
      `SELECT 1 FROM library_items WHERE file_name COLLATE NOCASE IN (?, ?, ?)
       UNION ALL SELECT 1 FROM library_reservations WHERE file_name COLLATE NOCASE IN (?, ?, ?) LIMIT 1`
    ).get(...variants, ...variants)
    if (inDb) return true
    const abs = resolveInside(this.root, name)
    return !abs || existsSync(abs) || existsSync(sidecarPathFor(abs))
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql)
    if (!s) {
      if (this.statements.size > 200) this.statements.clear()
      s = this.db.prepare<unknown[]>(sql)
      this.statements.set(sql, s)
    }
    return s
  }
}

function sameRow(row: ItemRow, next: ReturnType<typeof rowFromItem>): boolean {
  for (const [k, v] of Object.entries(next)) {
    if ((row as unknown as Record<string, unknown>)[k] !== v) return false
  }
  return true
}

/** `.partial`, `.trash`, `.posters` and any other dot-folder hold no library items. */
function isHiddenPath(rel: string): boolean {
  return rel.split(/[\\/]/).some((part) => part.startsWith('.'))
}

/**
 * Recomputes every row's search text (after what is indexed changed); the FTS trigger follows.
 * Returns how many rows changed.
 */
export function reindexSearchText(db: Db): number {
  const rows = db.prepare('SELECT seq, prompt, negative_prompt, model, tags, source_images, search_text FROM library_items').all() as Pick<
    ItemRow, 'seq' | 'prompt' | 'negative_prompt' | 'model' | 'tags' | 'source_images' | 'search_text'
  >[]
  const update = db.prepare('UPDATE library_items SET search_text = ? WHERE seq = ?')
  let changed = 0
  for (const r of rows) {
    const next = itemSearchText({
      prompt: r.prompt,
      negativePrompt: r.negative_prompt,
      model: r.model,
      tags: JSON.parse(r.tags) as string[],
      sourceImages: JSON.parse(r.source_images) as string[]
    })
    if (next === r.search_text) continue
    update.run(next, r.seq)
    changed++
  }
  return changed
}
