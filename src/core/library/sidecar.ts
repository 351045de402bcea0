// The sidecar JSON kept next to every video: enough to rebuild the index with no database.
// It never holds an API key, a result URL or a local absolute path.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, extname, join, posix, win32 } from 'node:path'
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { PROVIDER_FAMILIES, type ProviderFamily } from '../../shared/jobs'
import { VIDEO_CONTAINERS, type LibraryItem, type VideoContainer } from '../../shared/library'

export const SIDECAR_FORMAT = 'comet-video-studio/sidecar'
export const SIDECAR_VERSION = 1

const optionalText = z.string().nullable().optional()
const optionalCount = z.number().int().nonnegative().nullable().optional()

const ParamsSchema = z.object({
  seconds: z.number().optional(),
  size: z.string().optional(),
  aspectRatio: z.string().optional(),
  resolution: z.string().optional(),
  seed: z.number().optional(),
  remixOf: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional()
})

export const SidecarSchema = z.object({
  format: z.literal(SIDECAR_FORMAT),
  version: z.literal(SIDECAR_VERSION),
  id: z.string().min(1).max(200),
  jobId: z.string().min(1).max(200),
  /** Base name of the video, in the sidecar's folder. */
  file: z.string().min(1).max(255),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable().optional(),
  container: z.enum(VIDEO_CONTAINERS as [VideoContainer, ...VideoContainer[]]),
  model: z.string().min(1),
  provider: z.enum(PROVIDER_FAMILIES as [ProviderFamily, ...ProviderFamily[]]),
  vendor: optionalText,
  prompt: z.string(),
  negativePrompt: optionalText,
  params: ParamsSchema.default({}),
  sourceImages: z.array(z.string()).default([]),
  remoteId: optionalText,
  parentId: optionalText,
  lineage: z.enum(['retry', 'duplicate', 'remix', 'compare']).nullable().optional(),
  estimatedCost: z.number().nullable().optional(),
  createdAt: z.number().int(),
  completedAt: z.number().int(),
  favorite: z.boolean().default(false),
  tags: z.array(z.string()).default([]),
  width: optionalCount,
  height: optionalCount,
  durationS: z.number().nonnegative().nullable().optional(),
  poster: optionalText
})

export type Sidecar = z.infer<typeof SidecarSchema>

/** The sidecar of `video.mp4` is `video.json`, in the same folder. */
export function sidecarPathFor(videoPath: string): string {
  const ext = extname(videoPath)
  return (ext ? videoPath.slice(0, -ext.length) : videoPath) + '.json'
}

/** A local path reduced to its base name, whichever OS wrote it. */
export function baseNameOnly(p: string): string {
  return win32.basename(posix.basename(p))
}

export function toSidecar(item: LibraryItem): Sidecar {
  return {
    format: SIDECAR_FORMAT,
    version: SIDECAR_VERSION,
    id: item.id,
    jobId: item.jobId,
    file: basename(item.fileName),
    bytes: item.bytes,
    sha256: item.sha256,
    container: item.container,
    model: item.model,
    provider: item.provider,
    vendor: item.vendor,
    prompt: item.prompt,
    negativePrompt: item.negativePrompt,
    params: item.params,
    sourceImages: item.sourceImages.map(baseNameOnly),
    remoteId: item.remoteId,
    parentId: item.parentId,
    lineage: item.lineage,
    estimatedCost: item.estimatedCost,
    createdAt: item.createdAt,
    completedAt: item.completedAt,
    favorite: item.favorite,
    tags: item.tags,
    width: item.width,
    height: item.height,
    durationS: item.durationS,
    poster: item.poster
  }
}

/** The item a sidecar describes; `relDir` is the sidecar's folder relative to the library root ('' at the root). */
export function fromSidecar(sc: Sidecar, relDir: string): LibraryItem {
  return {
    id: sc.id,
    jobId: sc.jobId,
    fileName: relDir ? `${relDir}/${sc.file}` : sc.file,
    bytes: sc.bytes,
    sha256: sc.sha256 ?? null,
    container: sc.container,
    model: sc.model,
    provider: sc.provider,
    vendor: sc.vendor ?? null,
    prompt: sc.prompt,
    negativePrompt: sc.negativePrompt ?? null,
    params: sc.params,
    sourceImages: sc.sourceImages.map(baseNameOnly),
    remoteId: sc.remoteId ?? null,
    parentId: sc.parentId ?? null,
    lineage: sc.lineage ?? null,
    estimatedCost: sc.estimatedCost ?? null,
    createdAt: sc.createdAt,
    completedAt: sc.completedAt,
    favorite: sc.favorite,
    tags: sc.tags,
    width: sc.width ?? null,
    height: sc.height ?? null,
    durationS: sc.durationS ?? null,
    poster: sc.poster ?? null
  }
}

export type SidecarRead =
  | { ok: true; sidecar: Sidecar }
  /** `foreign`: valid JSON that is not ours (someone else's file in the folder); not worth reporting. */
  | { ok: false; foreign: boolean; reason: string }

/** Parses and validates sidecar text; never throws. */
export function parseSidecar(text: string): SidecarRead {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { ok: false, foreign: false, reason: 'not valid JSON (the file may be cut short)' }
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== SIDECAR_FORMAT) {
    return { ok: false, foreign: true, reason: 'not a Comet Video Studio sidecar' }
  }
  const version = (raw as { version?: unknown }).version
  if (version !== SIDECAR_VERSION) {
    return { ok: false, foreign: false, reason: `sidecar version ${String(version)} is not supported by this version of the app` }
  }
  const parsed = SidecarSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { ok: false, foreign: false, reason: `invalid field "${issue.path.join('.') || '(root)'}": ${issue.message}` }
  }
  return { ok: true, sidecar: parsed.data }
}

export function readSidecarSync(path: string): SidecarRead {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    return { ok: false, foreign: false, reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` }
  }
  return parseSidecar(text)
}

/** Writes the sidecar atomically: temp file, fsync, rename over the old one, fsync the folder. */
export function writeSidecarSync(path: string, sidecar: Sidecar): void {
  writeFileAtomicSync(path, JSON.stringify(sidecar, null, 2) + '\n')
}

export function writeFileAtomicSync(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`)
  const fd = openSync(tmp, 'w')
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } catch (err) {
    closeSync(fd)
    rmSync(tmp, { force: true })
    throw err
  }
  closeSync(fd)
  try {
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
  fsyncDirSync(dirname(path))
}

/** Makes a rename durable on POSIX; folders cannot be opened for fsync on Windows, so it is best effort. */
export function fsyncDirSync(dir: string): void {
  if (process.platform === 'win32') return
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Some file systems refuse fsync on directories; the rename itself already happened.
  }
}
