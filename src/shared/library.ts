// Library vocabulary shared by the engine, the IPC contract, the renderer and the CLI. Plain types only.
import type { Lineage, ProviderFamily } from './jobs'

export type VideoContainer = 'mp4' | 'webm' | 'mov'

export const VIDEO_CONTAINERS: readonly VideoContainer[] = ['mp4', 'webm', 'mov']

/** The generation parameters kept with a video: the job spec minus the prompt texts and local paths. */
export interface LibraryParams {
  seconds?: number
  size?: string
  aspectRatio?: string
  resolution?: string
  seed?: number
  remixOf?: string
  /** Extra wire fields the user passed through. */
  params?: Record<string, string | number | boolean>
}

/** One finished video in the library folder, as indexed from its sidecar. */
export interface LibraryItem {
  id: string
  jobId: string
  /** Path relative to the library root, always with `/` separators. */
  fileName: string
  bytes: number
  sha256: string | null
  container: VideoContainer
  model: string
  provider: ProviderFamily
  vendor: string | null
  prompt: string
  negativePrompt: string | null
  params: LibraryParams
  /** Base names of the source images, in order (never local absolute paths). */
  sourceImages: string[]
  remoteId: string | null
  parentId: string | null
  lineage: Lineage | null
  estimatedCost: number | null
  createdAt: number
  completedAt: number
  favorite: boolean
  tags: string[]
  width: number | null
  height: number | null
  durationS: number | null
  /** Poster image path relative to the library root, when one was made. */
  poster: string | null
}

export type LibrarySort = 'newest' | 'oldest' | 'prompt' | 'model' | 'size'

export const LIBRARY_SORTS: readonly LibrarySort[] = ['newest', 'oldest', 'prompt', 'model', 'size']

export interface LibraryQuery {
  /** Words to find in the prompt, negative prompt, model or tags; every word must match. */
  search?: string
  /** Any of these models. */
  model?: string[]
  /** Any of these API families. */
  provider?: string[]
  /** Any of these vendors. */
  vendor?: string[]
  /** Completed at or after (epoch ms). */
  from?: number
  /** Completed before (epoch ms). */
  to?: number
  favorite?: boolean
  /** Items carrying every one of these tags. */
  tags?: string[]
  /** The videos of one batch (the queue's "Open in library"). */
  batchId?: string
  /** Resolved from `batchId` by main (never sent by the renderer): the jobs whose videos to list. */
  jobIds?: string[]
  sort?: LibrarySort
  offset?: number
  /** Page size; default 100, at most 1000. */
  limit?: number
}

export interface LibraryPage {
  items: LibraryItem[]
  /** How many items match the query in all (for the scrollbar). */
  total: number
}

export interface LibraryStats {
  count: number
  bytes: number
}

export interface RescanReport {
  added: number
  updated: number
  removed: number
  skipped: { file: string; reason: string }[]
}
