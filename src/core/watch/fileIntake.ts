// What one settled file of a watched folder becomes: nothing new (handled before), a job, a
// duplicate of an image already sent, or a refusal with the reason. Jobs go through the engine's
// own creation (validated, priced, held above the daily cap, written before any network call);
// the record that the image was sent is written in the same transaction as its job.
import { createHash } from 'node:crypto'
import { lstat } from 'node:fs/promises'
import { join } from 'node:path'
import { sizeForImage } from '../../shared/imageFix'
import type { CreateJobsReply, JobSpec } from '../../shared/jobs'
import { type Message, msg } from '../../shared/messages'
import type { CatalogModel, FieldError, ImageInfo } from '../../shared/modelTypes'
import { applyDefaults, validateSpec } from '../../shared/validation'
import { promptForFile, type WatchReason, type WatchRecipe } from '../../shared/watch'
import { ImageReadError, probeImage } from '../images/imageProbe'
import type { CreateJobsInput } from '../jobs/jobCreation'
import type { Clock } from '../ports'
import { copyImage, type CopyResult, dropCopy, fileLooksWhole } from './imageCopy'
import { AlreadySentError, type NewWatchFile, type WatchFileRow, type WatchStore } from './watchStore'

export interface IntakePorts {
  clock: Clock
  store: WatchStore
  /** The engine's job creation. */
  createJobs(input: CreateJobsInput): Promise<CreateJobsReply>
  model(id: string): CatalogModel | null
  /** Loads the model list when there is none yet; false when it is still empty (offline). */
  ensureModels(): Promise<boolean>
  /** Where the copies of sent images are kept (`<dataDir>/watch-images`). */
  imageDir: string
}

export interface IntakeFolder {
  /** The folder's real path: the key its files are recorded under. */
  path: string
  recipe: WatchRecipe
  /** Identifies the recipe, so a file refused under one recipe is looked at again under another. */
  recipeKey: string
}

export type IntakeResult =
  | { kind: 'queued'; file: NewWatchFile; held: boolean }
  | { kind: 'duplicate'; file: NewWatchFile }
  | { kind: 'refused'; file: NewWatchFile }
  /** Handled before (this run, an earlier one, or another process): nothing new happens. */
  | { kind: 'known'; file: WatchFileRow }
  | { kind: 'waiting'; reason: WatchReason }
  /** It changed while it was being read: it is still being written. */
  | { kind: 'unsettled' }
  /** It does not end like a whole image yet: looked at again once it changes. */
  | { kind: 'incomplete'; size: number; mtime: number }
  | { kind: 'gone' }

export const reasonOf = (m: Message): WatchReason => ({ code: m.code, params: m.params, text: m.text })

/** A short fingerprint of a recipe (its fields in a fixed order). */
export function recipeKeyOf(recipe: WatchRecipe): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v
  return createHash('sha256').update(JSON.stringify(sorted(recipe))).digest('hex').slice(0, 16)
}

/** The spec for one image, built the way the Batch screen builds one: size per image where the model needs it, the model's defaults. */
export function specForImage(recipe: WatchRecipe, path: string, name: string, info: ImageInfo, model: CatalogModel | null): JobSpec {
  const spec: JobSpec = { ...recipe, prompt: promptForFile(recipe.prompt, name), images: [path] }
  if (!model) return spec
  const r = model.rules
  if (!spec.size && r.size && r.images.mustMatchSize && info.width && info.height) spec.size = sizeForImage(r, info.width, info.height)
  return applyDefaults(spec, r)
}

const LOOKS_LIKE_IMAGE = /\.(png|jpe?g|webp|gif|bmp)$/i

/** The entry itself, links not followed: `regular` false for a link, a folder, a device… */
async function lstatEntry(path: string): Promise<{ size: number; mtime: number; regular: boolean } | null> {
  try {
    const st = await lstat(path)
    return { size: st.size, mtime: Math.floor(st.mtimeMs), regular: st.isFile() }
  } catch {
    return null
  }
}

function detailOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** A refusal or a duplicate that is the same file as last time (the intake says `known`). */
const sameEntry = (last: WatchFileRow, st: { size: number; mtime: number }): boolean => last.size === st.size && last.mtime === st.mtime

export async function intakeFile(p: IntakePorts, folder: IntakeFolder, name: string): Promise<IntakeResult> {
  const path = join(folder.path, name)
  const st = await lstatEntry(path)
  if (!st) return { kind: 'gone' }
  const last = p.store.latestByName(folder.path, name)
  // The same file as last time (a restart, a resume, another process): nothing to do. A refusal
  // holds for the recipe it was made under only.
  if (last && sameEntry(last, st) && (last.outcome !== 'refused' || last.recipeKey === folder.recipeKey)) return { kind: 'known', file: last }
  const base = { folder: folder.path, name, size: st.size, mtime: st.mtime, hash: null, jobId: null, duplicateOf: null, recipeKey: null, reason: null, errors: [] as FieldError[] }
  const refuse = (reason: Message, extra: Partial<NewWatchFile> = {}): IntakeResult => {
    const file: NewWatchFile = { ...base, ...extra, outcome: 'refused', recipeKey: folder.recipeKey, reason: reasonOf(reason), at: p.clock.now() }
    p.store.record({ ...file, outcome: 'refused' })
    return { kind: 'refused', file }
  }
  // Only the folder's own files: a link (to a file anywhere) or anything else is not followed.
  if (!st.regular) return refuse(msg('watch.notRegular'))
  if (st.size === 0) return refuse(msg('watch.empty'))
  let info: ImageInfo
  try {
    info = await probeImage(path)
  } catch (err) {
    if (err instanceof ImageReadError && err.reason === 'not_found') return { kind: 'gone' }
    return refuse(msg('watch.unreadable', { detail: detailOf(err) }))
  }
  if (!info.type) return refuse(msg(LOOKS_LIKE_IMAGE.test(name) ? 'watch.notImageNamed' : 'watch.notImage'))

  let model = p.model(folder.recipe.model)
  if (!model && !(await p.ensureModels())) return { kind: 'waiting', reason: reasonOf(msg('watch.waitingModels')) }
  model = model ?? p.model(folder.recipe.model)
  // Too large for the model, from its size alone: not read at all.
  if (model && st.size > model.rules.images.maxBytes) {
    const errors = validateSpec(specForImage(folder.recipe, path, name, info, model), model.rules, [{ ...info, bytes: st.size }]).filter((e) => e.code === 'image.tooLarge')
    if (errors.length) return refuse(msg('watch.refused', { detail: errors.map((e) => e.message).join(' ') }), { errors })
  }
  // Whole? (its last bytes; a file still being written, or sized first and filled later, is not).
  try {
    if (!(await fileLooksWhole(path, info.type, st.size))) return { kind: 'incomplete', size: st.size, mtime: st.mtime }
  } catch (err) {
    if (!(await lstatEntry(path))) return { kind: 'gone' }
    return refuse(msg('watch.unreadable', { detail: detailOf(err) }))
  }
  // The copy the job sends: read once (hashed on the way), what the file held now.
  let copy: CopyResult
  try {
    copy = await copyImage(path, p.imageDir, name, info.type, st)
  } catch (err) {
    if (!(await lstatEntry(path))) return { kind: 'gone' }
    return { kind: 'waiting', reason: reasonOf(msg('watch.waitingProblem', { detail: detailOf(err) })) }
  }
  if (copy.kind === 'changed') return (await lstatEntry(path)) ? { kind: 'unsettled' } : { kind: 'gone' }
  if (copy.kind === 'incomplete') return { kind: 'incomplete', size: st.size, mtime: st.mtime }
  const { hash } = copy
  const unused = async (): Promise<void> => {
    if (copy.kind === 'copied' && copy.created) await dropCopy(copy.path)
  }

  const sameAs = async (first: WatchFileRow): Promise<IntakeResult> => {
    await unused()
    if (first.name === name) return { kind: 'known', file: first }
    const file: NewWatchFile = { ...base, hash, outcome: 'duplicate', jobId: first.jobId, duplicateOf: first.name, at: p.clock.now() }
    p.store.record({ ...file, outcome: 'duplicate' })
    return { kind: 'duplicate', file }
  }
  const sent = p.store.sentWithHash(folder.path, hash)
  if (sent) return sameAs(sent)

  const spec = specForImage(folder.recipe, copy.path, name, info, model)
  const claimed: { file: NewWatchFile | null } = { file: null }
  let reply: CreateJobsReply
  try {
    reply = await p.createJobs({
      specs: [spec],
      // In the transaction that writes the job: the record that this content was sent.
      guard: (made) => {
        const file: NewWatchFile = { ...base, hash, outcome: 'queued', jobId: made[0].id, at: p.clock.now() }
        p.store.claim({ ...file, outcome: 'queued', hash, jobId: made[0].id })
        claimed.file = file
      }
    })
  } catch (err) {
    if (err instanceof AlreadySentError) return sameAs(err.first)
    await unused()
    return { kind: 'waiting', reason: reasonOf(msg('watch.waitingProblem', { detail: detailOf(err) })) }
  }
  if (!reply.ok) {
    await unused()
    const errors = reply.errors.flatMap((e) => e.errors)
    // No model list at all (offline on a first run): not the image's fault, try again later.
    if (!model && errors.every((e) => e.code === 'model.unknown') && !(await p.ensureModels())) return { kind: 'waiting', reason: reasonOf(msg('watch.waitingModels')) }
    return refuse(msg('watch.refused', { detail: errors.map((e) => e.message).join(' ') }), { hash, errors })
  }
  if (!claimed.file) throw new Error('the job was written without its watch record')
  return { kind: 'queued', file: claimed.file, held: reply.held }
}
