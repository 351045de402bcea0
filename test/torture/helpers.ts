// Shared by the torture tests: seeded dice, library-folder audits, database checks.
import { standInFileBackend } from '../helpers/safeStorage'
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { EngineOptions } from '../../src/core/engine'
import type { Logger } from '../../src/core/ports'
import { SecretStore, type SecretBackend } from '../../src/core/secrets/secretStore'
import { Studio } from '../../src/app/studio'

export { prng } from '../fake-cometapi/faults'

export const FIXTURES = join(import.meta.dirname, '../fixtures')
export const ROOT_DIR = join(import.meta.dirname, '../..')

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex')
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000, explain?: () => string): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms${explain ? `: ${explain()}` : ''}`)
    await sleep(25)
  }
}

/** A logger that keeps every line (secret-hygiene and diagnostics). */
export function recordingLogger(lines: string[]): Logger {
  return {
    log: (level, message, fields) => void lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`)
  }
}

/** Every file under `root`, relative, with `/` separators. */
export function walkFiles(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name)
      if (e.isDirectory()) walk(abs)
      else out.push(relative(root, abs).split('\\').join('/'))
    }
  }
  walk(root)
  return out.sort()
}

export interface LibraryAudit {
  videos: number
  bytes: number
  problems: string[]
  /** sha256 of every video, by relative name. */
  hashes: Map<string, string>
}

/**
 * Checks a library folder the way a suspicious user would: nothing half-written outside
 * `.partial`, every video with a sidecar whose size (and hash, when recorded) match, every
 * sidecar with its video, no leftover temporary files.
 */
export function auditLibrary(root: string, opts: { partialMayHold?: string[] } = {}): LibraryAudit {
  const files = walkFiles(root)
  const problems: string[] = []
  const hashes = new Map<string, string>()
  let bytes = 0
  const allowedPartials = new Set(opts.partialMayHold ?? [])
  for (const f of files) {
    if (f.startsWith('.partial/')) {
      const job = f.slice('.partial/'.length).replace(/\.part(\.meta\.json(\.tmp)?)?$/, '')
      if (!allowedPartials.has(job)) problems.push(`left in .partial: ${f}`)
      continue
    }
    if (f.startsWith('.posters/') || f.startsWith('.trash/')) continue
    if (/\.(part|tmp)$/.test(f) || /(^|\/)\.[^/]*\.tmp$/.test(f)) problems.push(`temporary file in the library: ${f}`)
    if (/\.(mp4|webm|mov)$/.test(f)) {
      const sidecarRel = f.replace(/\.[^.]+$/, '.json')
      const buf = readFileSync(join(root, f))
      bytes += buf.length
      hashes.set(f, sha256(buf))
      if (!existsSync(join(root, sidecarRel))) {
        problems.push(`video without sidecar: ${f}`)
        continue
      }
      const sc = JSON.parse(readFileSync(join(root, sidecarRel), 'utf8')) as { bytes: number; sha256?: string | null; file: string }
      if (sc.bytes !== buf.length) problems.push(`size mismatch: ${f} has ${buf.length}, sidecar says ${sc.bytes}`)
      if (sc.sha256 && sc.sha256 !== hashes.get(f)) problems.push(`hash mismatch: ${f}`)
      if (sc.file !== f.split('/').pop()) problems.push(`sidecar of ${f} names ${sc.file}`)
    } else if (f.endsWith('.json')) {
      const video = ['mp4', 'webm', 'mov'].map((e) => f.replace(/\.json$/, `.${e}`)).find((v) => existsSync(join(root, v)))
      if (!video) problems.push(`sidecar without video: ${f}`)
    }
  }
  return { videos: hashes.size, bytes, problems, hashes }
}

/** Opens the app's database read-only for checks (another process may be writing to it). */
export function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

export function integrityCheck(file: string): string {
  return withDb(file, (db) => (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; '))
}

export function fileSize(p: string): number {
  try {
    return statSync(p).size
  } catch {
    return -1
  }
}

/** The safeStorage file stand-in the browser test host uses (plain file: test data only). */
export const fileBackend = standInFileBackend

export interface StudioRig {
  studio: Studio
  logs: string[]
  pushes: { event: string; payload: unknown }[]
}

/** The app's services (what Electron's main runs), with OS actions stubbed, in `dataDir`. */
export function makeStudio(dataDir: string, apiUrl: string, o: { key?: string | null; engine?: Partial<EngineOptions>; backends?: SecretBackend[]; logs?: string[] } = {}): StudioRig {
  const logs = o.logs ?? []
  const pushes: StudioRig['pushes'] = []
  const secrets = new SecretStore({ envKey: o.key === undefined ? 'sk-test-good' : o.key, backends: o.backends ?? [fileBackend(join(dataDir, 'key.test'))] })
  const studio = new Studio({
    dataDir,
    defaultLibraryDir: join(dataDir, 'library'),
    secrets,
    version: '0.0.0-torture',
    platform: process.platform,
    systemLocale: 'en-US',
    logger: recordingLogger(logs),
    pushIntervalMs: 50,
    engine: {
      ...o.engine,
      timing: { priorSeconds: () => 0.6, poll: { minIntervalMs: 100, maxIntervalMs: 800 }, watchIntervalMs: 100, stopGraceMs: 3000, waitScale: 0.02, ...o.engine?.timing },
      settingsOverrides: { baseUrl: apiUrl, requestsPerSecond: 50, maxConcurrentCreates: 8, maxConcurrentCreatesPerProvider: 8, ...o.engine?.settingsOverrides }
    },
    shell: {
      openPath: async () => true,
      showItemInFolder: () => {},
      trashItem: async (p) => rm(p, { force: true }),
      chooseFolder: async () => null,
      chooseSaveFile: async () => null,
      openExternal: async () => {},
      notify: () => {}
    }
  })
  studio.onPush((event, payload) => void pushes.push({ event, payload }))
  return { studio, logs, pushes }
}

/** Every sidecar in a library folder, parsed. */
export function readSidecars(root: string): { jobId: string; prompt: string; file: string; bytes: number }[] {
  return walkFiles(root)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .map((f) => JSON.parse(readFileSync(join(root, f), 'utf8')) as { jobId: string; prompt: string; file: string; bytes: number })
}
