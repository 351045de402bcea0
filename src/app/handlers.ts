// One handler per contract channel, in plain Node. Payloads arrive already validated by dispatch().
import { randomBytes } from 'node:crypto'
import { constants as fsConstants } from 'node:fs'
import { copyFile, mkdir, realpath, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path'
import type { z } from 'zod'
import type { InvokeChannel, invokeChannels, ReplyOf } from '../shared/ipc/contract'
import type { JobSpec } from '../shared/jobs'
import type { WatchRecipe } from '../shared/watch'
import type { LibraryQuery } from '../shared/library'
import { type Message, msg, SentenceError } from '../shared/messages'
import { ApiError } from '../core/http/apiError'
import { baseUrlProblem, hostOf, originOf } from '../core/http/baseUrl'
import { normalizeBaseUrl } from '../core/http/cometClient'
import { ImageReadError, probeImage } from '../core/images/imageProbe'
import { exists } from '../core/library/trash'
import { SecretStoreError } from '../core/secrets/secretStore'
import { isSafeExternalUrl } from './securityPolicy'
import { checkAgainst, inspectFiles } from './fileInspector'
import { moveLibrary, MoveError } from './libraryMover'
import { exportItems } from './libraryExport'
import { CASE_INSENSITIVE_DISKS, type LibraryFile, partsInside, videoAtPath, videoInsideLibrary } from './libraryFiles'
import type { Studio } from './studio'

type Req<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['req']>
export type Handlers = { [C in InvokeChannel]: (req: Req<C>) => Promise<ReplyOf<C>> }

/** A request the person made that cannot be done, in a sentence for them (shown in a toast). */
export class UserError extends SentenceError {
  constructor(
    sentence: Message,
    readonly code = 'user'
  ) {
    super(sentence)
    this.name = 'UserError'
  }
}

/** The real path of `p`, or of its nearest existing parent with the rest appended (a file about to be made). */
async function realish(p: string): Promise<string> {
  const abs = resolve(p)
  try {
    return await realpath(abs)
  } catch {
    const parent = dirname(abs)
    return parent === abs ? abs : join(await realish(parent), basename(abs))
  }
}

/** Whether the real path `c` is the real folder `r` or anything inside it (case-folded where the disk is). */
function sameOrInside(r: string, c: string): boolean {
  return (CASE_INSENSITIVE_DISKS ? r.toLowerCase() === c.toLowerCase() : r === c) || partsInside(r, c) !== null
}

/** Whether `p` is the library folder or anything inside it, once symlinks are resolved. */
async function inLibrary(root: string, p: string): Promise<boolean> {
  const [r, c] = await Promise.all([realish(root), realish(p)])
  return sameOrInside(r, c)
}

/** What a delete may send to the trash: a library video, its sidecar or its poster, never anything else. */
const TRASHABLE = ['.mp4', '.webm', '.mov', '.m4v', '.json', '.jpg', '.jpeg', '.png', '.webp']

/** The ids a bulk change names in its event: past 20 the renderer reloads what it shows anyway, so a sample is enough. */
function changedIds(ids: readonly string[]): string[] {
  return ids.slice(0, 1000)
}

function safeName(name: string): string {
  return basename(name).replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 80) || 'image'
}

export function createHandlers(studio: Studio): Handlers {
  const { engine } = studio
  const lib = (): typeof engine.library => engine.library
  /** "The videos of this batch": main resolves the batch to its jobs; the renderer never sends job ids. */
  const inBatch = <Q extends LibraryQuery>(q: Q): Q => {
    const { batchId, jobIds: _ignored, ...rest } = q
    return (batchId === undefined ? rest : { ...rest, jobIds: engine.jobIdsOfBatch(batchId) }) as Q
  }
  // The OS opens what it is handed with its default app: only a video in the library, whatever a
  // job row or a sidecar (anyone can drop one in the folder) names.
  const checked = (file: LibraryFile, name: string): string => {
    if (file.ok) return file.path
    if (file.why === 'missing') throw new UserError(msg('ui.videoGone'), 'video_gone')
    throw new UserError(msg('ui.notLibraryVideo', { name: basename(name) }), 'not_library_video')
  }
  const jobFile = async (id: string): Promise<string> => {
    const job = engine.getJob(id)
    if (!job?.file) throw new UserError(msg('ui.noFinishedVideo'))
    return checked(await videoAtPath(lib().root, job.file), job.file)
  }
  /**
   * Trashes a file of an item only when the folder it is in really is the library (or inside it,
   * symlinks resolved) and it is one of an item's kinds. A link itself may go (its target stays);
   * a linked folder leading out never lets a delete reach past the library.
   */
  const trashInLibrary = async (p: string): Promise<void> => {
    const [root, dir] = await Promise.all([realish(lib().root), realish(dirname(p))])
    if (!sameOrInside(root, dir) || !TRASHABLE.includes(extname(p).toLowerCase())) throw new UserError(msg('ui.notLibraryVideo', { name: basename(p) }), 'not_library_video')
    await studio.o.shell.trashItem(join(dir, basename(p)))
  }

  const itemFile = async (id: string): Promise<string> => {
    const item = lib().get(id)
    if (!item) throw new UserError(msg('ui.videoGone'))
    return checked(await videoInsideLibrary(lib().root, item.fileName), item.fileName)
  }

  // Images are uploaded to the provider: only files the person chose in the app may go, never a
  // path a compromised page made up.
  const chosenImages = (paths: readonly string[] | undefined): void => {
    for (const p of paths ?? []) {
      if (!studio.tokens.knows(p)) throw new UserError(msg('ui.imageNotChosen', { name: basename(p) }), 'image_not_chosen')
    }
  }

  return {
    'app.info': async () => ({
      version: studio.o.version,
      platform: studio.o.platform,
      dataDir: studio.o.dataDir,
      libraryDir: lib().root,
      systemLocale: studio.o.systemLocale
    }),
    'key.status': () => studio.o.secrets.status(),
    'key.set': ({ key, store, keyId }) => studio.setKey(key, { allowObfuscated: store === 'anyway', sessionOnly: store === 'session' }, keyId),
    'keys.list': () => studio.listKeys(),
    'keys.add': ({ label, key, store }) => studio.addKey(label, key, { allowObfuscated: store === 'anyway', sessionOnly: store === 'session' }),
    'keys.update': async ({ id, ...patch }) => {
      studio.engine.updateKey(id, patch)
      return studio.listKeys()
    },
    'keys.remove': ({ id, force }) => studio.removeKey(id, force),
    'key.clear': () => studio.o.secrets.clearKey(),
    'engine.status': async () => engine.status(),
    'engine.pause': async ({ paused }) => {
      if (paused) engine.pauseNewWork()
      else engine.resumeNewWork()
      return engine.status()
    },
    'catalog.list': ({ refresh }) => engine.refreshModels({ force: refresh }),
    'jobs.list': async ({ states, limit, offset }) => {
      const jobs = engine.listJobs({ states, limit: limit ?? 20_000, offset, order: 'desc' })
      return { jobs, total: engine.countJobs(states) }
    },
    'jobs.validate': async ({ spec }) => {
      chosenImages(spec.images)
      return { errors: await engine.validate(spec as JobSpec), estimate: engine.estimate(spec as JobSpec) }
    },
    'jobs.create': ({ specs, confirmOverBudget, lineage, keyId }) => {
      for (const spec of specs) chosenImages(spec.images)
      return engine.createJobs({ specs: specs as JobSpec[], confirmOverBudget, lineage: lineage ?? null, keyId: keyId ?? null })
    },
    'jobs.cancel': async ({ id }) => engine.cancel(id),
    'jobs.retry': ({ id }) => engine.retry(id),
    'jobs.duplicate': ({ id, edits }) => {
      chosenImages(edits?.images)
      return engine.duplicate(id, edits as Partial<JobSpec>)
    },
    'jobs.remix': ({ id, prompt }) => engine.remix(id, prompt),
    'jobs.decide': async ({ id, choice }) => engine.decide(id, choice),
    'jobs.decideMany': async ({ batchId, ids, choice }) => engine.decideMany({ batchId, ids }, choice),
    'jobs.retryDownload': async ({ id }) => engine.retryDownload(id),
    'jobs.contact': async ({ id, choice }) => engine.contact(id, choice),
    'jobs.confirmHeld': async ({ ids }) => engine.confirmHeld(ids),
    'jobs.remove': async ({ ids }) => engine.removeJobs(ids),
    'jobs.details': async ({ id }) => engine.jobDetails(id),
    'jobs.retryFailed': ({ ids }) => engine.retryFailed(ids),
    'jobs.cancelMany': async ({ ids }) => engine.cancelMany(ids),
    'jobs.open': async ({ id }) => studio.o.shell.openPath(await jobFile(id)),
    'jobs.showInFolder': async ({ id }) => {
      studio.o.shell.showItemInFolder(await jobFile(id))
      return true
    },
    'files.inspect': async ({ paths, model, fromJob }) => {
      // Only what the person chose is read: anything else is refused unread (a folder not chosen is never listed).
      const ofJob = new Set(fromJob ? (engine.getJob(fromJob)?.spec.images ?? []) : [])
      const allowed = paths.filter((p) => studio.chosen.allows(p) || ofJob.has(p))
      const refused = paths.filter((p) => !allowed.includes(p)).map((p) => ({ path: p, name: basename(p), code: 'notChosen', reason: msg('ui.fileNotChosen').text }))
      const reply = allowed.length ? await inspectFiles(allowed, model ? engine.model(model) : null, studio.tokens) : { cards: [], rejected: [], scanned: { folders: 0, files: 0 } }
      return { ...reply, rejected: [...refused, ...reply.rejected] }
    },
    'files.chosen': async ({ paths }) => {
      studio.chosen.addPaths(paths)
      return true
    },
    'files.saveFixedImage': async ({ sourceName, mime, bytes }) => {
      const dir = studio.fixedImagesDir
      await mkdir(dir, { recursive: true })
      const ext = mime === 'image/png' ? '.png' : mime === 'image/webp' ? '.webp' : '.jpg'
      const stem = safeName(sourceName).replace(extname(sourceName), '')
      const path = join(dir, `${stem}-fixed-${randomBytes(3).toString('hex')}${ext}`)
      await writeFile(path, bytes)
      studio.chosen.addPaths([path])
      const info = await probeImage(path)
      if (!info.type) {
        await rm(path, { force: true }) // leave no unusable file behind
        throw new UserError(msg('ui.fixedUnreadable'))
      }
      const lastModel = engine.settings.lastModel
      return {
        path,
        name: basename(path),
        token: studio.tokens.tokenFor(path),
        info,
        hash: randomBytes(8).toString('hex'),
        duplicateOf: null,
        ...checkAgainst(lastModel ? engine.model(lastModel) : null, info)
      }
    },
    'library.list': async (q) => lib().list(inBatch(q)),
    'library.get': async ({ id }) => lib().get(id),
    'library.facets': async () => lib().facets(),
    'library.favorite': async ({ id, favorite }) => lib().setFavorite(id, favorite),
    'library.tags': async ({ id, tags }) => lib().setTags(id, tags),
    'library.poster': async ({ id, bytes }) => {
      await studio.savePoster(id, bytes)
      return lib().get(id)!
    },
    'library.delete': async ({ id }) => {
      await lib().delete(id, trashInLibrary)
      studio.push('library.changed', { itemIds: [id] })
      return true
    },
    'library.rescan': () => lib().rescan(),
    'library.open': async ({ id }) => studio.o.shell.openPath(await itemFile(id)),
    'library.showInFolder': async ({ id }) => {
      studio.o.shell.showItemInFolder(await itemFile(id))
      return true
    },
    'library.ids': async (q) => lib().ids(inBatch(q)),
    'library.favoriteMany': async ({ ids, favorite }) => {
      let changed = 0
      for (const id of ids) {
        const item = lib().get(id)
        if (!item || item.favorite === favorite) continue
        lib().setFavorite(id, favorite)
        changed++
      }
      studio.push('library.changed', { itemIds: changedIds(ids) })
      return changed
    },
    'library.tagMany': async ({ ids, add }) => {
      let changed = 0
      for (const id of ids) {
        const item = lib().get(id)
        if (!item) continue
        const next = lib().setTags(id, [...item.tags, ...add])
        if (next.tags.length !== item.tags.length) changed++
      }
      studio.push('library.changed', { itemIds: changedIds(ids) })
      return changed
    },
    'library.deleteMany': async ({ ids }) => {
      const failed: { id: string; name: string; detail: string }[] = []
      let deleted = 0
      for (const id of ids) {
        const item = lib().get(id)
        if (!item) continue
        try {
          await lib().delete(id, trashInLibrary)
          deleted++
        } catch (err) {
          failed.push({ id, name: basename(item.fileName), detail: err instanceof Error ? err.message : String(err) })
        }
      }
      studio.push('library.changed', { itemIds: changedIds(ids) })
      return { deleted, failed }
    },
    'library.export': async ({ ids }) => {
      const items = ids.map((id) => lib().get(id)).filter((i) => i !== null)
      if (!items.length) throw new UserError(msg('ui.videoGone'), 'video_gone')
      // The folder comes from main's own dialog, asked here: the page cannot name one.
      const folder = await studio.o.shell.chooseFolder()
      if (!folder) return null
      if (await inLibrary(lib().root, folder)) throw new UserError(msg('ui.exportInsideLibrary'), 'export_inside_library')
      return exportItems(lib().root, items, folder)
    },
    'library.saveCopy': async ({ id }) => {
      const source = await itemFile(id)
      const to = await studio.o.shell.chooseSaveFile(basename(source))
      if (!to) return null
      if (!isAbsolute(to) || (await inLibrary(lib().root, to))) throw new UserError(msg('ui.saveInsideLibrary'), 'save_inside_library')
      // Never over an existing file (nor through a link standing there): the person picks another name.
      try {
        await copyFile(source, to, fsConstants.COPYFILE_EXCL)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(msg('ui.saveExists', { name: basename(to) }), 'save_exists')
        throw err
      }
      return to
    },
    'library.openFolder': async () => {
      if (!(await exists(lib().root))) throw new UserError(msg('ui.libraryFolderGone', { folder: lib().root }), 'library_folder_gone')
      return studio.o.shell.openPath(lib().root)
    },
    'spend.summary': async () => engine.spend(),
    'settings.get': async () => engine.settings,
    'settings.update': async ({ confirmOrigin, ...patch }) => {
      if (patch.baseUrl !== undefined) {
        patch.baseUrl = normalizeBaseUrl(patch.baseUrl)
        const problem = baseUrlProblem(patch.baseUrl)
        if (problem) throw new UserError(problem, 'base_url')
        // The key follows the base URL: a new origin only with the person's word, naming the host.
        if (originOf(patch.baseUrl) !== originOf(engine.settings.baseUrl) && confirmOrigin !== originOf(patch.baseUrl)) {
          throw new UserError(msg('baseUrl.confirm', { host: hostOf(patch.baseUrl) }), 'confirm_origin')
        }
      }
      const next = engine.updateSettings(patch)
      studio.push('settings.changed', next)
      return next
    },
    'settings.chooseFolder': async () => {
      const folder = await studio.o.shell.chooseFolder()
      if (folder) studio.chosen.addDialogFolder(folder)
      return folder
    },
    'proxy.status': () => studio.proxy.status(),
    'proxy.set': (req) => studio.proxy.set(req),
    'settings.moveLibrary': async ({ to }) => {
      // Only a folder main's own dialog returned: the page cannot send the library elsewhere.
      if (!studio.chosen.fromDialog(to)) throw new UserError(msg('ui.folderNotChosen'), 'folder_not_chosen')
      const from = lib().root
      // Stop downloads while files move; the engine resumes them in the new place.
      await engine.stop()
      try {
        const result = await moveLibrary(from, to)
        const settings = engine.updateSettings({ libraryDir: to })
        await lib().rescan()
        studio.push('settings.changed', settings)
        studio.push('library.changed', { itemIds: [] })
        const done = msg('move.done', { moved: result.moved, to, skipped: result.skipped.length || '' })
        return { ok: true, moved: result.moved, message: done.text, code: done.code, params: done.params, settings }
      } catch (err) {
        const failed = err instanceof MoveError ? err.sentence : msg('move.failed', { detail: err instanceof Error ? err.message : String(err), from })
        return { ok: false, moved: 0, message: failed.text, code: failed.code, params: failed.params, settings: engine.settings }
      } finally {
        engine.start()
      }
    },
    'watch.list': async () => studio.watchers.list(),
    'watch.add': async ({ path, recipe, existing }) => {
      // Only a folder main's own dialog returned: the page cannot point the watcher anywhere else.
      if (!studio.chosen.fromDialog(path)) throw new UserError(msg('watch.folderNotChosen'), 'folder_not_chosen')
      return studio.watchers.add(path, recipe as WatchRecipe, { existing: existing ?? 'skip' })
    },
    'watch.inspect': async ({ path }) => {
      if (!studio.chosen.fromDialog(path)) throw new UserError(msg('watch.folderNotChosen'), 'folder_not_chosen')
      return studio.watchers.inspect(path)
    },
    'watch.remove': ({ id }) => studio.watchers.remove(id),
    'watch.pause': ({ id, paused }) => studio.watchers.setPaused(id, paused),
    'shell.openExternal': async ({ url }) => {
      if (!isSafeExternalUrl(url)) throw new UserError(msg('ui.onlyWebLinks'))
      await studio.o.shell.openExternal(url)
      return true
    },
    'updates.state': async () => studio.updates.state,
    'updates.check': () => studio.updates.check('manual'),
    'updates.restart': async ({ mode }) => studio.updates.restart(mode),
    'updates.dismiss': async () => studio.updates.dismiss()
  }
}

/** The sentence for the person an error carries, when it was written for them; null for anything else. */
export function userFacing(err: unknown): { name: string; sentence: Message } | null {
  // UserError, EngineError, LibraryError, MoveError: their messages are written for the person.
  if (err instanceof SentenceError) return { name: err.name, sentence: err.sentence }
  if (err instanceof ApiError) return { name: err.name, sentence: err.toMessage() }
  if (err instanceof SecretStoreError) return { name: err.name, sentence: err.sentence ?? msg('key.problem', { detail: err.message }) }
  if (err instanceof ImageReadError) return { name: err.name, sentence: msg('create.imageUnreadable', { detail: err.message }) }
  return null
}
