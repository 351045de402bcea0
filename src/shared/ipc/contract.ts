// The one IPC contract between the renderer and main. Every channel is declared once here: its
// name, the zod schema of its request and the type of its reply. Main registers handlers from
// this table and validates every payload; preload builds the typed client from the names; the
// renderer imports only types.
import type { z } from 'zod'
import type { CreateJobsReply, EngineStatus, JobDetails, JobSpec, JobView } from '../jobs'
import type { KeyProfile, KeyStatus, KeyTestResult } from '../keys'
import type { LibraryItem, LibraryPage, RescanReport } from '../library'
import type { CatalogModel, FieldError, ImageInfo } from '../modelTypes'
import type { AppNavigation } from '../navigation'
import type { ProxyStatus } from '../proxy'
import type { Settings } from '../settings'
import type { SpendSummary } from '../spend'
import type { RestartReply, UpdateState } from '../updates'
import type { WatchAddReply, WatchFolderView, WatchInspection } from '../watch'
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES, SEND_CHANNEL_NAMES, wireName } from './channels'
import * as s from './schemas'

/** Phantom value carrying a reply type. */
function reply<T>(): T {
  return undefined as T
}

export interface AppInfo {
  version: string
  platform: string
  dataDir: string
  libraryDir: string
  /** Where the system language points (the renderer follows it when the setting is `system`). */
  systemLocale: string
}

export interface CatalogReply {
  models: CatalogModel[]
  fetchedAt: number
  /** Why the list could not be refreshed (offline); the cached list still works. */
  problem: string | null
}

export interface JobsPage {
  jobs: JobView[]
  total: number
}

export interface ValidateReply {
  errors: FieldError[]
  estimate: number | null
}

export type { CreateJobsReply } from '../jobs'

export interface DecideManyReply {
  jobs: JobView[]
  /** For resubmit: the estimated cost of the new paid creates (null when no price is known). */
  estimate: number | null
}

export interface CancelReply {
  job: JobView
  message: string
}

/** One dropped image, ready to become a job. */
export interface ImageCard {
  path: string
  name: string
  /** Opaque token for the media route that serves this image's thumbnail. */
  token: string
  info: ImageInfo
  /** First 16 hex chars of the content's SHA-256: the same image dropped twice is noticed. */
  hash: string
  /** Path of an earlier card with the same content, when this one is a duplicate. */
  duplicateOf: string | null
  /** Problems against the chosen model (empty = usable as is). */
  problems: FieldError[]
  /** The model wants another pixel size and the app can resize/crop to it. */
  fix: { width: number; height: number } | null
}

export interface RejectedFile {
  path: string
  name: string
  /** Stable code the renderer translates: `notImage`, `unreadable`, `tooMany`, `symlinkLoop`, `empty`… */
  code: string
  reason: string
}

export interface InspectReply {
  cards: ImageCard[]
  rejected: RejectedFile[]
  /** Folders walked, files seen. */
  scanned: { folders: number; files: number }
}

export interface MoveLibraryReply {
  ok: boolean
  moved: number
  /** English; the renderer says it by `code` and `params`. */
  message: string
  code: string
  params: Record<string, string | number>
  settings: Settings
}

/** What "Export" did; `null` instead when the person closed the folder dialog. */
export interface LibraryExportReply {
  folder: string
  copied: number
  /** `code`: `videoGone`, `notLibraryVideo` or `copyFailed` (then `detail` holds the OS's words). */
  failed: { id: string; name: string; code: 'videoGone' | 'notLibraryVideo' | 'copyFailed'; detail: string }[]
}

export interface KeyAddReply {
  result: KeyTestResult
  /** The new key's profile (null when it was not stored). */
  profile: KeyProfile | null
}

export interface KeyRemoveReply {
  removed: boolean
  inFlight: number
  /** Asked when it was kept: the sentence to confirm (English), with its code for translation. */
  question: { text: string; code: string; params: Record<string, string | number> } | null
}

export interface LibraryDeleteManyReply {
  deleted: number
  failed: { id: string; name: string; detail: string }[]
}

export const invokeChannels = {
  'app.info': { req: s.emptySchema, res: reply<AppInfo>() },
  'key.status': { req: s.emptySchema, res: reply<KeyStatus>() },
  /** Tests the key against the API, then stores it. The key goes in; it never comes back. */
  'key.set': { req: s.keySetSchema, res: reply<KeyTestResult>() },
  'key.clear': { req: s.emptySchema, res: reply<KeyStatus>() },
  /** Every named key, with where each is kept, today's spend and its unfinished jobs. */
  'keys.list': { req: s.emptySchema, res: reply<KeyProfile[]>() },
  /** Tests a new named key, then stores it under its label. */
  'keys.add': { req: s.keyAddSchema, res: reply<KeyAddReply>() },
  'keys.update': { req: s.keyUpdateSchema, res: reply<KeyProfile[]>() },
  /** Without `force`, a key with unfinished jobs is kept and the reply asks. */
  'keys.remove': { req: s.keyRemoveSchema, res: reply<KeyRemoveReply>() },
  'engine.status': { req: s.emptySchema, res: reply<EngineStatus>() },
  /** The person's "Pause all" / "Resume": new creates wait (src/core/jobs/pauses.ts); the status after. */
  'engine.pause': { req: s.enginePauseSchema, res: reply<EngineStatus>() },
  'catalog.list': { req: s.catalogListSchema, res: reply<CatalogReply>() },
  'jobs.list': { req: s.jobsListSchema, res: reply<JobsPage>() },
  'jobs.validate': { req: s.validateSchema, res: reply<ValidateReply>() },
  'jobs.create': { req: s.createJobsSchema, res: reply<CreateJobsReply>() },
  'jobs.cancel': { req: s.idSchema, res: reply<CancelReply>() },
  'jobs.retry': { req: s.idSchema, res: reply<CreateJobsReply>() },
  'jobs.duplicate': { req: s.duplicateSchema, res: reply<CreateJobsReply>() },
  'jobs.remix': { req: s.remixSchema, res: reply<CreateJobsReply>() },
  'jobs.decide': { req: s.decideSchema, res: reply<JobView>() },
  'jobs.decideMany': { req: s.decideManySchema, res: reply<DecideManyReply>() },
  'jobs.retryDownload': { req: s.idSchema, res: reply<JobView>() },
  'jobs.contact': { req: s.contactSchema, res: reply<JobView>() },
  'jobs.confirmHeld': { req: s.idsSchema, res: reply<JobView[]>() },
  'jobs.remove': { req: s.idsSchema, res: reply<number>() },
  'jobs.open': { req: s.idSchema, res: reply<boolean>() },
  'jobs.showInFolder': { req: s.idSchema, res: reply<boolean>() },
  'jobs.details': { req: s.idSchema, res: reply<JobDetails>() },
  'jobs.retryFailed': { req: s.idsSchema, res: reply<CreateJobsReply>() },
  'jobs.cancelMany': { req: s.idsSchema, res: reply<number>() },
  'files.inspect': { req: s.inspectFilesSchema, res: reply<InspectReply>() },
  'files.chosen': { req: s.chosenFilesSchema, res: reply<boolean>() },
  'files.saveFixedImage': { req: s.saveFixedImageSchema, res: reply<ImageCard>() },
  'library.list': { req: s.libraryListSchema, res: reply<LibraryPage>() },
  'library.get': { req: s.idSchema, res: reply<LibraryItem | null>() },
  'library.facets': { req: s.emptySchema, res: reply<{ models: string[]; vendors: string[]; providers: string[] }>() },
  'library.favorite': { req: s.favoriteSchema, res: reply<LibraryItem>() },
  'library.tags': { req: s.tagsSchema, res: reply<LibraryItem>() },
  'library.poster': { req: s.posterSchema, res: reply<LibraryItem>() },
  'library.delete': { req: s.idSchema, res: reply<boolean>() },
  'library.rescan': { req: s.emptySchema, res: reply<RescanReport>() },
  'library.open': { req: s.idSchema, res: reply<boolean>() },
  'library.showInFolder': { req: s.idSchema, res: reply<boolean>() },
  'library.ids': { req: s.libraryIdsSchema, res: reply<string[]>() },
  'library.favoriteMany': { req: s.favoriteManySchema, res: reply<number>() },
  'library.tagMany': { req: s.tagManySchema, res: reply<number>() },
  'library.deleteMany': { req: s.libraryIdsOnlySchema, res: reply<LibraryDeleteManyReply>() },
  /** Main asks for the folder with its own dialog; the page never names one. */
  'library.export': { req: s.libraryIdsOnlySchema, res: reply<LibraryExportReply | null>() },
  /** Main asks where with its own save dialog; the path saved to, or null when canceled. */
  'library.saveCopy': { req: s.idSchema, res: reply<string | null>() },
  'library.openFolder': { req: s.emptySchema, res: reply<boolean>() },
  'spend.summary': { req: s.emptySchema, res: reply<SpendSummary>() },
  'settings.get': { req: s.emptySchema, res: reply<Settings>() },
  'settings.update': { req: s.settingsUpdateSchema, res: reply<Settings>() },
  /** Opens the OS folder picker; null when the user cancels. */
  'settings.chooseFolder': { req: s.emptySchema, res: reply<string | null>() },
  'settings.moveLibrary': { req: s.moveLibrarySchema, res: reply<MoveLibraryReply>() },
  /** The proxy setting, whether credentials are stored (never them) and which proxy is in use now. */
  'proxy.status': { req: s.emptySchema, res: reply<ProxyStatus>() },
  /** Stores the proxy setting and, when given, its user name and password; they never come back. */
  'proxy.set': { req: s.proxySetSchema, res: reply<ProxyStatus>() },
  /** Watched folders (src/core/watch): each with its recipe, state and latest files. */
  'watch.list': { req: s.emptySchema, res: reply<WatchFolderView[]>() },
  /** Only a folder main's own dialog returned (settings.chooseFolder): the page cannot name one. */
  'watch.add': { req: s.watchAddSchema, res: reply<WatchAddReply>() },
  /** How many images a folder main's dialog returned already holds (asked before adding it). */
  'watch.inspect': { req: s.watchInspectSchema, res: reply<WatchInspection>() },
  'watch.remove': { req: s.idSchema, res: reply<WatchFolderView[]>() },
  'watch.pause': { req: s.watchPauseSchema, res: reply<WatchFolderView[]>() },
  'shell.openExternal': { req: s.openExternalSchema, res: reply<boolean>() },
  /** The app's own updates (src/app/updates.ts). */
  'updates.state': { req: s.emptySchema, res: reply<UpdateState>() },
  /** An on-demand check: resolves once the feed answered (a download found goes on in the background). */
  'updates.check': { req: s.emptySchema, res: reply<UpdateState>() },
  'updates.restart': { req: s.updatesRestartSchema, res: reply<RestartReply>() },
  /** Closes the small notice until something new happens. */
  'updates.dismiss': { req: s.emptySchema, res: reply<UpdateState>() }
} as const

/** Patches pushed to the renderer; coalesced in main (a few per second at most). */
export interface JobsChanged {
  jobs: JobView[]
  removed: string[]
}

export const eventChannels = {
  'jobs.changed': reply<JobsChanged>(),
  'engine.status': reply<EngineStatus>(),
  'library.changed': reply<{ itemIds: string[] }>(),
  'catalog.changed': reply<null>(),
  'spend.changed': reply<null>(),
  'settings.changed': reply<Settings>(),
  /** The watched folders changed (a file's outcome, a folder's state). */
  'watch.changed': reply<WatchFolderView[]>(),
  /** A notification was clicked, or a command of the menu or tray chosen: show this screen. */
  'app.navigate': reply<AppNavigation>(),
  'updates.changed': reply<UpdateState>()
} as const

/** One-way messages from the page (no reply), each with the schema main checks it by. */
export const sendChannels = {
  /** Start the OS drag of a finished video out of the window (main resolves the file). */
  'drag.start': s.dragStartSchema
} as const

/** What is dragged: a job's video or a library item's, never a path the page names. */
export type DragRef = { jobId: string } | { itemId: string }

export type InvokeChannel = keyof typeof invokeChannels
export type SendChannel = keyof typeof sendChannels
export type EventChannel = keyof typeof eventChannels
export type RequestOf<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['req']>
export type ReplyOf<C extends InvokeChannel> = (typeof invokeChannels)[C]['res']
export type EventOf<E extends EventChannel> = (typeof eventChannels)[E]

export const INVOKE_CHANNELS: readonly InvokeChannel[] = INVOKE_CHANNEL_NAMES
export const EVENT_CHANNELS: readonly EventChannel[] = EVENT_CHANNEL_NAMES
export const SEND_CHANNELS: readonly SendChannel[] = SEND_CHANNEL_NAMES
export { wireName }

// The name lists in channels.ts must be exactly the channels declared here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const invokeNamesMatch: Same<(typeof INVOKE_CHANNEL_NAMES)[number], InvokeChannel> = true
const eventNamesMatch: Same<(typeof EVENT_CHANNEL_NAMES)[number], EventChannel> = true
const sendNamesMatch: Same<(typeof SEND_CHANNEL_NAMES)[number], SendChannel> = true
void invokeNamesMatch
void eventNamesMatch
void sendNamesMatch

/** What an invoke resolves to on the wire: errors travel as data so their message survives. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; error: WireError }

/** Why a request failed: `code` names the kind; `message` is English, said by `messageCode` and `params` in the person's language. */
export interface WireError {
  code: string
  message: string
  field?: string
  messageCode?: string
  params?: Record<string, string | number>
}

/** The page's File, as far as shared code (which knows no DOM) needs to name it. */
export interface DroppedFile {
  readonly name: string
  readonly size: number
}

/** The API the preload script exposes as `window.api`, and the browser test host imitates. */
export interface StudioApi {
  /** Resolves with the wire result itself, so a failure's code and parameters survive the bridge. */
  invoke<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<WireResult<ReplyOf<C>>>
  on<E extends EventChannel>(event: E, listener: (payload: EventOf<E>) => void): () => void
  /** Absolute path of a dropped File (Electron's webUtils.getPathForFile). */
  pathForFile(file: DroppedFile): string
  /** Base URL that serves library videos and posters (`media://library/…` in the app). */
  mediaBase: string
  /** Starts dragging a finished video out of the window, from a `dragstart` the page prevented (main finds the file and its poster). */
  startDrag(ref: DragRef): void
}

export type { JobSpec }
