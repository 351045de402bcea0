// What a finished job contributes to its library item, and the rules for user-edited fields.
import type { JobSpec, Lineage, ProviderFamily } from '../../shared/jobs'
import type { LibraryItem, LibraryParams, VideoContainer } from '../../shared/library'
import { baseNameOnly } from './sidecar'

const MAX_TAGS = 50
const MAX_TAG_CHARS = 64

export interface FinalizeInput {
  jobId: string
  /** The downloaded file (`<library>/.partial/<jobId>.part`); may already be gone after a crash. */
  partialPath: string
  /** The name reserveName returned (and the caller recorded); reserved now when absent. */
  fileName?: string
  spec: JobSpec
  provider: ProviderFamily
  vendor?: string | null
  remoteId?: string | null
  parentId?: string | null
  lineage?: Lineage | null
  estimatedCost?: number | null
  createdAt: number
  /** Defaults to now. */
  completedAt?: number
  container: VideoContainer
  bytes: number
  sha256?: string | null
  width?: number | null
  height?: number | null
  durationS?: number | null
}

/** The fields the library decides (id, name) or keeps from an earlier attempt (favourite, tags…). */
export type LibraryOwned = Pick<LibraryItem, 'id' | 'fileName' | 'completedAt' | 'favorite' | 'tags' | 'poster'>

export function itemFromJob(input: FinalizeInput, owned: LibraryOwned): LibraryItem {
  return {
    ...owned,
    jobId: input.jobId,
    bytes: input.bytes,
    sha256: input.sha256 ?? null,
    container: input.container,
    model: input.spec.model,
    provider: input.provider,
    vendor: input.vendor ?? null,
    prompt: input.spec.prompt,
    negativePrompt: input.spec.negativePrompt ?? null,
    params: paramsOf(input.spec),
    // Base names only: a sidecar never holds a local absolute path.
    sourceImages: (input.spec.images ?? []).map(baseNameOnly),
    remoteId: input.remoteId ?? null,
    parentId: input.parentId ?? null,
    lineage: input.lineage ?? null,
    estimatedCost: input.estimatedCost ?? null,
    createdAt: input.createdAt,
    width: input.width ?? null,
    height: input.height ?? null,
    durationS: input.durationS ?? null
  }
}

export function normalizeTags(tags: string[]): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const raw of tags) {
    const tag = raw.normalize('NFC').replace(/\s+/gu, ' ').trim().slice(0, MAX_TAG_CHARS)
    const key = tag.toLowerCase()
    if (!tag || seen.has(key)) continue
    seen.add(key)
    out.push(tag)
    if (out.length >= MAX_TAGS) break
  }
  return out
}

/** The job spec minus prompt texts and local image paths. */
export function paramsOf(spec: JobSpec): LibraryParams {
  const p: LibraryParams = {}
  if (spec.seconds !== undefined) p.seconds = spec.seconds
  if (spec.size !== undefined) p.size = spec.size
  if (spec.aspectRatio !== undefined) p.aspectRatio = spec.aspectRatio
  if (spec.resolution !== undefined) p.resolution = spec.resolution
  if (spec.seed !== undefined) p.seed = spec.seed
  if (spec.remixOf !== undefined) p.remixOf = spec.remixOf
  if (spec.params && Object.keys(spec.params).length) p.params = { ...spec.params }
  return p
}
