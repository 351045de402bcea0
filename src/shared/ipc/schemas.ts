// zod schemas for what the renderer may send. Main validates every payload with these; limits
// are generous for people and tight for garbage.
import { z } from 'zod'
import { JOB_STATES } from '../jobStates'
import { REMEMBERED_MODELS_MAX } from '../settings'
import { MANUAL_PROXY_TYPES, type ManualProxyType, PROXY_MODES, type ProxyMode } from '../proxy'

const text = (max: number): z.ZodString => z.string().max(max)
const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/)
/** A local absolute path as the OS gives it (main checks it again before touching the file). */
export const pathSchema = z.string().min(1).max(4096).refine((p) => !p.includes('\u0000'), 'path contains NUL')
/** A path main will write to: absolute (POSIX, `C:\` or a UNC share), never resolved against the app's working folder. */
export const absolutePathSchema = pathSchema.refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\[^\\])/.test(p), 'path must be absolute')

export const jobStateSchema = z.enum(JOB_STATES)

export const jobSpecSchema = z
  .object({
    model: text(200).min(1),
    prompt: text(40_000),
    negativePrompt: text(10_000).optional(),
    seconds: z.number().finite().min(0).max(600).optional(),
    size: text(40).optional(),
    aspectRatio: text(40).optional(),
    resolution: text(40).optional(),
    seed: z.number().int().min(0).max(2 ** 32).optional(),
    images: z.array(pathSchema).max(8).optional(),
    remixOf: text(200).optional(),
    params: z.record(text(100), z.union([text(2000), z.number().finite(), z.boolean()])).optional()
  })
  .strict()

export const emptySchema = z.object({}).strict()

export const idSchema = z.object({ id }).strict()
export const idsSchema = z.object({ ids: z.array(id).min(1).max(10_000) }).strict()

export const jobsListSchema = z
  .object({
    states: z.array(jobStateSchema).max(20).optional(),
    limit: z.number().int().min(1).max(20_000).optional(),
    offset: z.number().int().min(0).max(10_000_000).optional()
  })
  .strict()

export const createJobsSchema = z
  .object({
    specs: z.array(jobSpecSchema).min(1).max(10_000),
    confirmOverBudget: z.boolean().optional(),
    lineage: z.enum(['compare']).optional(),
    /** The named key to send them with (a profile id); the default key when absent. */
    keyId: id.optional()
  })
  .strict()

export const validateSchema = z.object({ spec: jobSpecSchema }).strict()
export const duplicateSchema = z.object({ id, edits: jobSpecSchema.partial().optional() }).strict()
export const remixSchema = z.object({ id, prompt: text(40_000).min(1) }).strict()
export const decideSchema = z.object({ id, choice: z.enum(['resubmit', 'dismiss']) }).strict()
/** A whole batch's undecided jobs, or the listed ones: never "every job" from the page. */
export const decideManySchema = z
  .object({ batchId: id.optional(), ids: z.array(id).min(1).max(10_000).optional(), choice: z.enum(['resubmit', 'dismiss']) })
  .strict()
  .refine((r) => (r.batchId === undefined) !== (r.ids === undefined), 'give a batchId or ids, not both')
export const contactSchema = z.object({ id, choice: z.enum(['check', 'dismiss']) }).strict()

/** `store`: the person's answer when the only place left only obfuscates the key. */
export const keySetSchema = z.object({ key: text(1000).min(1), store: z.enum(['anyway', 'session']).optional(), keyId: id.optional() }).strict()

/** A new named key: its label and the key (tested, then stored; it never comes back). */
export const keyAddSchema = z.object({ label: text(200), key: text(1000).min(1), store: z.enum(['anyway', 'session']).optional() }).strict()
export const keyUpdateSchema = z
  .object({ id, label: text(200).optional(), dailyCap: z.number().finite().min(0).max(1_000_000).nullable().optional(), makeDefault: z.literal(true).optional() })
  .strict()
export const keyRemoveSchema = z.object({ id, force: z.boolean().optional() }).strict()

export const catalogListSchema = z.object({ refresh: z.boolean().optional() }).strict()

export const libraryListSchema = z
  .object({
    search: text(500).optional(),
    model: z.array(text(200)).max(100).optional(),
    provider: z.array(text(50)).max(10).optional(),
    vendor: z.array(text(100)).max(100).optional(),
    from: z.number().finite().optional(),
    to: z.number().finite().optional(),
    favorite: z.boolean().optional(),
    tags: z.array(text(64)).max(50).optional(),
    batchId: id.optional(),
    sort: z.enum(['newest', 'oldest', 'prompt', 'model', 'size']).optional(),
    offset: z.number().int().min(0).max(10_000_000).optional(),
    limit: z.number().int().min(1).max(1000).optional()
  })
  .strict()

export const favoriteSchema = z.object({ id, favorite: z.boolean() }).strict()
/** A selection in the library grid: up to the whole of a large library. */
const libraryIds = z.array(id).min(1).max(100_000)
/** The ids a library query lists, for selecting cards not loaded yet (no limit: all of them). */
export const libraryIdsSchema = libraryListSchema.extend({ limit: z.number().int().min(1).max(100_000).optional() }).strict()
export const libraryIdsOnlySchema = z.object({ ids: libraryIds }).strict()
export const favoriteManySchema = z.object({ ids: libraryIds, favorite: z.boolean() }).strict()
/** Tags added to every item (the ones they have stay). */
export const tagManySchema = z.object({ ids: libraryIds, add: z.array(text(64).min(1)).min(1).max(50) }).strict()
export const tagsSchema = z.object({ id, tags: z.array(text(64)).max(50) }).strict()
export const posterSchema = z
  .object({ id, bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength > 0 && b.byteLength <= 2 * 1024 * 1024, 'poster must be 1 B–2 MiB') })
  .strict()

/** `fromJob`: the paths are that job's own source images (main checks them against the job). */
export const inspectFilesSchema = z.object({ paths: z.array(pathSchema).min(1).max(10_000), model: text(200).optional(), fromJob: id.optional() }).strict()
/** Paths of a real drop or file pick, recorded by the preload (the page cannot send this). */
export const chosenFilesSchema = z.object({ paths: z.array(pathSchema).min(1).max(10_000) }).strict()

export const saveFixedImageSchema = z
  .object({
    /** Name of the original file, to name the fixed copy after it. */
    sourceName: text(255),
    mime: z.enum(['image/png', 'image/jpeg', 'image/webp']),
    bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength > 0 && b.byteLength <= 50 * 1024 * 1024, 'image must be 1 B–50 MiB')
  })
  .strict()

/** A model id used as an object key: never a name that reaches an object's prototype. */
const modelIdKey = text(200)
  .regex(/^[A-Za-z0-9][\w.:/-]*$/, 'not a model id')
  .refine((k) => k !== 'constructor' && k !== 'prototype', 'not a model id')

const rememberedFieldsSchema = z
  .object({
    seconds: z.number().min(0).max(3600).optional(),
    size: text(40).optional(),
    aspectRatio: text(40).optional(),
    resolution: text(40).optional()
  })
  .strict()

export const settingsUpdateSchema = z
  .object({
    baseUrl: text(500).optional(),
    maxConcurrentCreates: z.number().int().min(1).max(32).optional(),
    maxConcurrentCreatesPerProvider: z.number().int().min(1).max(32).optional(),
    maxConcurrentDownloads: z.number().int().min(1).max(16).optional(),
    maxConcurrentDownloadsPerProvider: z.number().int().min(1).max(16).optional(),
    requestsPerSecond: z.number().min(0.2).max(50).optional(),
    dailyBudget: z.number().min(0).max(1_000_000).nullable().optional(),
    theme: z.enum(['system', 'light', 'dark']).optional(),
    language: z.enum(['system', 'en', 'zh-CN']).optional(),
    notifications: z.boolean().optional(),
    keepRunningInTray: z.boolean().optional(),
    autoUpdate: z.boolean().optional(),
    favoriteModels: z.array(text(200)).max(500).optional(),
    lastModel: text(200).nullable().optional(),
    lastFields: z
      .record(modelIdKey, rememberedFieldsSchema)
      .refine((o) => Object.keys(o).length <= REMEMBERED_MODELS_MAX, `at most ${REMEMBERED_MODELS_MAX} models`)
      .optional(),
    /** The origin the person confirmed the key may be sent to (required when baseUrl changes origin). */
    confirmOrigin: text(500).optional()
  })
  .strict()

export const moveLibrarySchema = z.object({ to: absolutePathSchema }).strict()

/** The proxy setting; main checks the manual proxy again (shared/proxy.ts) and says which field is wrong. */
export const proxySetSchema = z
  .object({
    settings: z
      .object({
        mode: z.enum(PROXY_MODES as [ProxyMode, ...ProxyMode[]]),
        type: z.enum(MANUAL_PROXY_TYPES as [ManualProxyType, ...ManualProxyType[]]),
        host: text(255),
        port: z.number().int().min(0).max(65_535).nullable()
      })
      .strict(),
    credentials: z
      .union([z.object({ username: text(255), password: text(1024) }).strict(), z.object({ clear: z.literal(true) }).strict()])
      .optional(),
    store: z.literal('anyway').optional()
  })
  .strict()
export const openExternalSchema = z.object({ url: z.string().url().max(2000) }).strict()
/** A watched folder's recipe: a job spec without images (each file of the folder is the image). */
export const watchRecipeSchema = jobSpecSchema.omit({ images: true, remixOf: true }).strict()
/** `existing`: whether the images already in the folder are sent too (default: skipped). */
export const watchAddSchema = z.object({ path: absolutePathSchema, recipe: watchRecipeSchema, existing: z.enum(['include', 'skip']).optional() }).strict()
export const watchInspectSchema = z.object({ path: absolutePathSchema }).strict()
export const watchPauseSchema = z.object({ id, paused: z.boolean() }).strict()
export const showItemSchema = z.object({ id }).strict()
/** The person's "Pause all" (true) and "Resume" (false): new creates wait; work already sent goes on. */
export const enginePauseSchema = z.object({ paused: z.boolean() }).strict()
/** A finished video dragged out of the page: named by its job or library item, never by a path. */
export const dragStartSchema = z.union([z.object({ jobId: id }).strict(), z.object({ itemId: id }).strict()])
/** "Restart to update" and how it treats video downloads being written (shared/updates.ts RestartMode). */
export const updatesRestartSchema = z.object({ mode: z.enum(['ask', 'now', 'whenDownloadsFinish', 'cancel']) }).strict()
