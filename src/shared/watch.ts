// Watched folders: a folder with a recipe, where every image that appears becomes a job, and what
// became of each file. The engine side is src/core/watch; the Settings screen and `comet-video
// watch` show these views.
import type { JobSpec } from './jobs'
import type { FieldError } from './modelTypes'

/** What each image of a watched folder becomes: a job spec without images (the file is the image). */
export type WatchRecipe = Omit<JobSpec, 'images' | 'remixOf'>

/** In a recipe's prompt, `{file}` stands for the image's file name without its extension. */
export const FILE_PLACEHOLDER = '{file}'

/** The prompt for one image: the recipe's, with `{file}` filled in. */
export function promptForFile(prompt: string, fileName: string): string {
  if (!prompt.includes(FILE_PLACEHOLDER)) return prompt
  const stem = fileName.replace(/\.[^.]+$/, '')
  return prompt.split(FILE_PLACEHOLDER).join(stem)
}

/**
 * What became of one file:
 * - `settling`: still being written; it is read once its size has stayed the same for a moment.
 * - `checking`: being read and turned into a job.
 * - `waiting`: could not be handled yet (no model list, a busy database); tried again shortly.
 * - `queued`: became a job (which may be held at the daily cap like any other).
 * - `duplicate`: the same image as one this folder already sent, so it was not sent again.
 * - `refused`: not an image, or an image the recipe's model does not accept.
 * - `skipped`: already in the folder when it was added, and not to be sent (`existing: 'skip'`).
 */
export type WatchOutcome = 'settling' | 'checking' | 'waiting' | 'queued' | 'duplicate' | 'refused' | 'skipped'

/** A sentence with its code (src/shared/messages.ts) and parameters, for translation. */
export interface WatchReason {
  code: string
  params: Record<string, string | number>
  text: string
}

export interface WatchFileView {
  name: string
  outcome: WatchOutcome
  /** When this outcome was reached (ms epoch). */
  at: number
  /** `queued`: the job it became; `duplicate`: the job of the first file with this content. */
  jobId: string | null
  /** `duplicate`: the name of the file that was sent with the same content. */
  duplicateOf: string | null
  /** `refused` and `waiting`: why. */
  reason: WatchReason | null
  /** `refused` by the model's rules: each problem (translated by its code). */
  errors: FieldError[]
}

/** `unavailable`: the folder cannot be found or read right now; it is tried again. */
export type WatchFolderState = 'starting' | 'watching' | 'paused' | 'unavailable'

export interface WatchFolderView {
  id: string
  path: string
  recipe: WatchRecipe
  paused: boolean
  state: WatchFolderState
  problem: WatchReason | null
  createdAt: number
  /** Files by their latest outcome (each file name once). */
  counts: { queued: number; duplicate: number; refused: number; skipped: number }
  /** The newest files first: those being handled now, then each file's latest recorded outcome. */
  files: WatchFileView[]
}

/**
 * What to do with the files already in a folder when it is added: `include` sends them too,
 * `skip` records them as already there and sends only what arrives afterwards.
 */
export type WatchExisting = 'include' | 'skip'

/** A folder looked at before it is added: its real path and how many images are already in it. */
export interface WatchInspection {
  path: string
  images: number
}

/** The answer to adding a folder: the folders now watched, or what is wrong with the recipe. */
export type WatchAddReply = { ok: true; folders: WatchFolderView[] } | { ok: false; errors: FieldError[] }
