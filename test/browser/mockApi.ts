// An in-browser fake of window.api (StudioApi) for visual checks and UI development without
// Electron: realistic catalog, jobs in every state that progress live, a library, spend data.
// Loaded only by the test build (test/browser/vite.config.ts) and only with ?mock=1.
//
// URL switches: key=0 (first run) · jobs=N · library=N · empty=1 · paused=auth|bad_base_url ·
// live=0 (freeze) · lang=en|zh-CN · theme=light|dark · locale=zh-CN (system language) ·
// budget=10 (daily cap) · offline=1 (catalog problem) · update=ready|downloading|failed|upToDate ·
// held=1 (new videos paused by the person) · platform=darwin|win32|linux
import type { AppInfo, CreateJobsReply, EventChannel, EventOf, ImageCard, InvokeChannel, ReplyOf, RequestOf, StudioApi } from '../../src/shared/ipc/contract'
import { parseImageHeader } from '../../src/shared/imageHeader'
import type { EngineStatus, JobSpec, JobState, JobView } from '../../src/shared/jobs'
import { CANCELABLE_STATES, isIn } from '../../src/shared/jobStates'
import type { KeyProfile, KeyStatus } from '../../src/shared/keys'
import type { LibraryItem, LibraryQuery } from '../../src/shared/library'
import type { CatalogModel, FieldError, ImageInfo } from '../../src/shared/modelTypes'
import { DEFAULT_ENGINE_SETTINGS, type Settings } from '../../src/shared/settings'
import type { SpendSummary } from '../../src/shared/spend'
import type { UpdatePhase, UpdateState } from '../../src/shared/updates'
import { applyDefaults, estimateCost, validateSpec } from '../../src/shared/validation'
import type { WatchFolderView, WatchRecipe } from '../../src/shared/watch'
import { buildCatalog, buildWorld, seeded } from './mockData'

type Handler<C extends InvokeChannel> = (req: RequestOf<C>) => ReplyOf<C> | Promise<ReplyOf<C>>

export function createMockApi(params = new URLSearchParams(location.search)): StudioApi {
  const now = Date.now()
  const empty = params.get('empty') === '1'
  const live = params.get('live') !== '0'
  const catalog: CatalogModel[] = buildCatalog()
  const world = buildWorld(catalog, now, empty ? 0 : Number(params.get('jobs') ?? 36), empty ? 0 : Number(params.get('library') ?? 30))
  const jobs = new Map<string, JobView>(world.jobs.map((j) => [j.id, j]))
  const library = new Map<string, LibraryItem>(world.library.map((i) => [i.id, i]))
  const listeners = new Map<EventChannel, Set<(p: unknown) => void>>()
  const mediaBase = `${location.origin}/media`
  let seq = 5000
  const rand = seeded(7)

  let key: KeyStatus =
    params.get('key') === '0'
      ? { set: false, source: null, storage: 'keychain', last4: null, problem: null }
      : { set: true, source: 'keychain', storage: 'keychain', last4: '7f3a', problem: null }
  let settings: Settings = {
    ...DEFAULT_ENGINE_SETTINGS,
    libraryDir: '/Users/demo/Movies/Comet Video Studio',
    dailyBudget: params.has('budget') ? Number(params.get('budget')) : 25,
    theme: (params.get('theme') as Settings['theme']) ?? 'system',
    language: (params.get('lang') as Settings['language']) ?? 'system',
    notifications: true,
    keepRunningInTray: true,
    autoUpdate: true,
    favoriteModels: ['sora-2', 'kling-v3'],
    lastModel: 'sora-2',
    lastFields: {}
  }
  // A watched folder with a file in each outcome (the Settings screen's list).
  const watchFolder = (id: string, path: string, recipe: WatchRecipe, at: number): WatchFolderView => ({
    id, path, recipe, paused: false, state: 'watching', problem: null, createdAt: at, counts: { queued: 0, duplicate: 0, refused: 0, skipped: 0 }, files: []
  })
  let watched: WatchFolderView[] = empty
    ? []
    : [
        {
          ...watchFolder('w_demo', '/Users/demo/Pictures/Product shots', { model: 'kling-v2-6', prompt: 'A slow turntable shot of {file} on a white studio floor', seconds: 5 }, now - 86_400_000),
          counts: { queued: 2, duplicate: 1, refused: 1, skipped: 0 },
          files: [
            { name: 'sneaker-red.jpg', outcome: 'settling', at: now - 2_000, jobId: null, duplicateOf: null, reason: null, errors: [] },
            { name: 'lamp.png', outcome: 'queued', at: now - 60_000, jobId: world.jobs[0]?.id ?? 'job_1', duplicateOf: null, reason: null, errors: [] },
            { name: 'lamp copy.png', outcome: 'duplicate', at: now - 50_000, jobId: world.jobs[0]?.id ?? 'job_1', duplicateOf: 'lamp.png', reason: null, errors: [] },
            { name: 'notes.txt', outcome: 'refused', at: now - 40_000, jobId: null, duplicateOf: null, reason: { code: 'watch.notImage', params: {}, text: 'Not an image. Only PNG, JPEG, WebP, GIF and BMP files become jobs.' }, errors: [] },
            { name: 'chair.webp', outcome: 'queued', at: now - 30_000, jobId: world.jobs[1]?.id ?? 'job_2', duplicateOf: null, reason: null, errors: [] }
          ]
        }
      ]
  const watchChanged = (): WatchFolderView[] => {
    setTimeout(() => emit('watch.changed', watched), 0)
    return watched
  }
  const paused = params.get('paused') as 'auth' | 'bad_base_url' | null
  // update=ready|downloading|failed|…: the app's own update as main reports it (src/app/updates.ts decides for real).
  const updatePhase = (params.get('update') ?? 'upToDate') as UpdatePhase
  let update: UpdateState = {
    phase: updatePhase,
    currentVersion: '0.1.0',
    version: updatePhase === 'ready' || updatePhase === 'downloading' ? '0.2.0' : null,
    progress: updatePhase === 'downloading' ? { percent: 42, transferred: 42_000_000, total: 100_000_000, bytesPerSecond: 3_200_000 } : null,
    failure: updatePhase === 'failed' ? { stage: 'check', message: 'The update server could not be reached (ENOTFOUND). Check your network connection and proxy.', code: 'update.offline', params: { detail: 'ENOTFOUND' } } : null,
    checkedAt: now - 3_600_000,
    notice: updatePhase === 'ready' || updatePhase === 'failed',
    restartWhenIdle: false,
    downloadsWriting: 0
  }
  const setUpdate = (patch: Partial<UpdateState>): UpdateState => {
    update = { ...update, ...patch }
    setTimeout(() => emit('updates.changed', update), 0)
    return update
  }
  // "Pause all" from the tray, the menu or the queue (the engine holds new creates).
  let heldByPerson: EngineStatus['heldByPerson'] = params.get('held') === '1' ? { since: now - 5 * 60_000 } : null
  const engine = (): EngineStatus => {
    const counts: Partial<Record<JobState, number>> = {}
    for (const j of jobs.values()) counts[j.state] = (counts[j.state] ?? 0) + 1
    return {
      role: 'owner',
      paused: paused
        ? { kind: paused, message: paused === 'auth' ? 'CometAPI answered 401 for your key. Replace it in Settings; your jobs will continue.' : 'The server at the base URL answered with a web page instead of JSON. Check the address in Settings.', code: paused === 'auth' ? 'api.auth' : 'api.html', params: paused === 'auth' ? {} : { baseUrl: 'https://api.cometapi.com', path: '/v1/videos' }, since: now - 60_000 }
        : !key.set
          ? { kind: 'no_key', message: 'Add your CometAPI key to start generating.', code: 'api.noKey', params: {}, since: now }
          : null,
      heldByPerson,
      unreachable: params.get('unreachable') === '1' ? { since: now - 90_000, message: 'Could not find https://api.cometapi.com. Check your network connection and the base URL in Settings; trying again shortly.', code: 'api.dns', params: { baseUrl: 'https://api.cometapi.com' } } : null,
      counts
    }
  }

  function emit<E extends EventChannel>(event: E, payload: EventOf<E>): void {
    for (const l of listeners.get(event) ?? []) l(payload)
  }

  const changed = (list: JobView[], removed: string[] = []): void => emit('jobs.changed', { jobs: list, removed })

  // Live progress: running jobs advance, downloads fill, finished ones land in the library.
  if (live && !empty) {
    setInterval(() => {
      const updates: JobView[] = []
      const t = Date.now()
      for (const j of jobs.values()) {
        let next: JobView | null = null
        if (j.state === 'running') {
          const p = Math.min(100, (j.progress ?? 0) + Math.round(1 + rand() * 4))
          next = p >= 100 ? { ...j, state: 'downloading', progress: 100, downloadTotal: 4_200_000, downloadedBytes: 0 } : { ...j, progress: p }
        } else if (j.state === 'downloading') {
          const b = Math.min(j.downloadTotal ?? 4_200_000, j.downloadedBytes + 350_000)
          next = b >= (j.downloadTotal ?? 4_200_000) ? finish(j) : { ...j, downloadedBytes: b }
        } else if (j.state === 'submitting') next = { ...j, state: 'submitted', remoteId: `video_${j.id}` }
        else if (j.state === 'submitted' && rand() < 0.3) next = { ...j, state: 'running', progress: 0, etaAt: t + 60_000 }
        else if (j.state === 'queued' && rand() < 0.15) next = { ...j, state: 'submitting', submittedAt: t, note: null }
        if (next) {
          next.updatedAt = t
          jobs.set(j.id, next)
          updates.push(next)
        }
      }
      if (updates.length) {
        changed(updates)
        emit('engine.status', engine())
      }
    }, 1000)
  }

  function finish(j: JobView): JobView {
    const id = `lib_${j.id}`
    const item: LibraryItem = {
      ...world.library[0],
      id,
      jobId: j.id,
      fileName: `2025-11/${j.model}-${id}.mp4`,
      model: j.model,
      provider: j.provider,
      vendor: j.vendor,
      prompt: j.spec.prompt,
      createdAt: j.createdAt,
      completedAt: Date.now(),
      favorite: false,
      poster: null,
      lineage: j.lineage,
      estimatedCost: j.estimatedCost
    }
    library.set(id, item)
    setTimeout(() => emit('library.changed', { itemIds: [id] }), 10)
    return { ...j, state: 'completed', libraryItemId: id, completedAt: Date.now(), downloadedBytes: j.downloadTotal ?? 0, file: `/Users/demo/Movies/${id}.mp4`, etaAt: null }
  }

  // Images the app "dropped": tokens name a size the media server draws.
  const cardsByPath = new Map<string, ImageCard>()
  function inspectOne(path: string, model: CatalogModel | undefined, index: number): ImageCard | { rejected: true; code: string; reason: string } {
    const name = path.split('/').pop() ?? path
    if (!/\.(png|jpe?g|webp)$/i.test(name)) return { rejected: true, code: 'notImage', reason: `“${name}” is not an image (looked at its content, not its name).` }
    const h = hashOf(name.replace(/ copy(?= ?\.| \d)/, '').replace(/ \(\d+\)/, ''))
    const sizes: [number, number][] = [[1280, 720], [720, 1280], [1920, 1080], [1024, 1024], [4000, 3000], [640, 480], [200, 150], [1080, 1920]]
    const m = /(\d{2,5})x(\d{2,5})/.exec(name)
    const [w, hgt] = m ? [Number(m[1]), Number(m[2])] : sizes[Number.parseInt(h.slice(0, 4), 16) % sizes.length]
    const type = /\.png$/i.test(name) ? 'png' : /\.webp$/i.test(name) ? 'webp' : 'jpeg'
    const info: ImageInfo = { path, type, bytes: Math.round(w * hgt * 0.35), width: w, height: hgt }
    const card: ImageCard = { path, name, token: `img_${w}x${hgt}_${h.slice(0, 6)}`, info, hash: h, duplicateOf: null, problems: [], fix: null }
    if (model) problemsFor(card, model)
    void index
    return card
  }

  function problemsFor(card: ImageCard, model: CatalogModel): void {
    const spec = applyDefaults({ model: model.id, prompt: 'x', images: [card.path] }, model.rules)
    card.problems = validateSpec(spec, model.rules, [card.info]).filter((e) => e.field.startsWith('images['))
    const mismatch = card.problems.find((p) => p.code === 'image.sizeMismatch')
    if (mismatch) {
      const [w, h] = String(spec.size).split('x').map(Number)
      card.fix = { width: w, height: h }
    } else if (card.problems.some((p) => p.code === 'image.aspectOutOfRange')) {
      card.fix = card.info.width! > card.info.height! ? { width: 1280, height: 720 } : { width: 720, height: 1280 }
    }
  }

  function spendSummary(): SpendSummary {
    const r = seeded(99)
    const days: { day: string; amount: number }[] = []
    for (let i = 29; i >= 0; i--) {
      const d = new Date(now - i * 86_400_000)
      const amount = empty ? 0 : Math.round((r() < 0.2 ? 0 : r() * 14) * 100) / 100
      days.push({ day: d.toISOString().slice(0, 10), amount })
    }
    const today = days[days.length - 1]
    if (!empty) today.amount = 8.46
    const models = ['sora-2', 'kling-v3', 'doubao-seedance-2-0', 'veo3.1-fast', 'grok-imagine-video', 'gen4_turbo']
    const monthTotal = days.slice(-new Date(now).getDate()).reduce((s, d) => s + d.amount, 0)
    return {
      today: today.day,
      todayTotal: today.amount,
      monthTotal: Math.round(monthTotal * 100) / 100,
      todayByModel: empty ? [] : [{ model: 'sora-2', amount: 4.16, jobs: 13 }, { model: 'kling-v3', amount: 2.7, jobs: 9 }, { model: 'doubao-seedance-2-0', amount: 1.6, jobs: 8 }],
      monthByModel: empty ? [] : models.map((m, i) => ({ model: m, amount: Math.round((monthTotal / (i + 1.6)) * 50) / 100, jobs: 40 - i * 6 })),
      lastDays: days,
      pending: empty ? 0 : 1.84,
      dailyBudget: settings.dailyBudget,
      unpricedJobsThisMonth: empty ? 0 : 3,
      notBilledThisMonth: empty ? { jobs: 0, amount: 0 } : { jobs: 4, amount: 1.28 },
      billingUnknownThisMonth: empty ? { jobs: 0, amount: 0 } : { jobs: 1, amount: 0.32 },
      byKey: [{ keyId: 'default', label: 'Main', todayAmount: today.amount, todayJobs: empty ? 0 : 23, pending: 0, dailyCap: null }]
    }
  }

  let extraKeys: KeyProfile[] = []
  let defaultKey = 'default'
  const mockKeys = (): KeyProfile[] => [
    { id: 'default', label: 'Main', isDefault: defaultKey === 'default', dailyCap: null, spentToday: 8.46, inFlight: 3, status: key },
    ...extraKeys.map((k) => ({ ...k, isDefault: k.id === defaultKey }))
  ]

  let proxyStored = false
  const proxyInUse = (): { source: 'manual'; proxy: string } | null =>
    settings.proxy.mode === 'manual' && settings.proxy.port ? { source: 'manual', proxy: `${settings.proxy.host}:${settings.proxy.port}` } : null

  const handlers: { [C in InvokeChannel]: Handler<C> } = {
    'app.info': (): AppInfo => ({ version: '0.1.0', platform: params.get('platform') ?? 'darwin', dataDir: '/Users/demo/Library/Application Support/Comet Video Studio', libraryDir: settings.libraryDir, systemLocale: params.get('locale') ?? navigator.language }),
    'key.status': () => key,
    'key.set': async ({ key: k }) => {
      await delay(700)
      if (/\s/.test(k)) return { ok: false, verified: false, message: 'The key contains a space or line break. Copy it again without the surrounding spaces.', code: null, params: null, needsConsent: null, status: key }
      if (!k.startsWith('sk-') || k.length < 20) return { ok: false, verified: true, message: 'CometAPI rejected this key (401 Unauthorized). Check that you copied the whole key from cometapi.com/console/token.', code: null, params: null, needsConsent: null, status: key }
      key = { set: true, source: 'keychain', storage: 'keychain', last4: k.slice(-4), problem: null }
      emit('engine.status', engine())
      return { ok: true, verified: true, message: 'The key works.', code: null, params: null, needsConsent: null, status: key }
    },
    'key.clear': () => {
      key = { set: false, source: null, storage: 'keychain', last4: null, problem: null }
      emit('engine.status', engine())
      return key
    },
    // Named keys, kept in memory for the mock (the real ones are tested through the test host).
    'keys.list': () => mockKeys(),
    'keys.add': async ({ label, key: k }) => {
      await delay(400)
      const profile = { id: `k-${seq++}`, label: label.trim(), isDefault: false, dailyCap: null, spentToday: 0, inFlight: 0, status: { set: true, source: 'keychain' as const, storage: 'keychain' as const, last4: k.slice(-4), problem: null } }
      extraKeys.push(profile)
      return { result: { ok: true, verified: true, message: 'The key works.', code: null, params: null, needsConsent: null, status: profile.status }, profile }
    },
    'keys.update': ({ id, label, dailyCap, makeDefault }) => {
      if (makeDefault) defaultKey = id
      const k = extraKeys.find((x) => x.id === id)
      if (k && label !== undefined) k.label = label
      if (k && dailyCap !== undefined) k.dailyCap = dailyCap
      return mockKeys()
    },
    'keys.remove': ({ id }) => {
      extraKeys = extraKeys.filter((x) => x.id !== id)
      return { removed: true, inFlight: 0, question: null }
    },
    'engine.status': () => engine(),
    'engine.pause': ({ paused }) => {
      heldByPerson = paused ? (heldByPerson ?? { since: Date.now() }) : null
      setTimeout(() => emit('engine.status', engine()), 0)
      return engine()
    },
    'catalog.list': async () => {
      await delay(120)
      return { models: catalog, fetchedAt: now - 3_600_000, problem: params.get('offline') === '1' ? 'Could not reach api.cometapi.com (network unreachable).' : null }
    },
    'jobs.list': async ({ limit, offset }) => {
      await delay(80)
      const all = [...jobs.values()].sort((a, b) => b.createdAt - a.createdAt)
      return { jobs: all.slice(offset ?? 0, (offset ?? 0) + (limit ?? 1000)), total: all.length }
    },
    'jobs.validate': ({ spec }) => {
      const m = catalog.find((x) => x.id === spec.model)
      if (!m) return { errors: [{ field: 'model', code: 'model.unknown', message: `Unknown model ${spec.model}.` }], estimate: null }
      const imgs = (spec.images ?? []).map((p) => cardsByPath.get(p)?.info).filter((x): x is ImageInfo => !!x)
      return { errors: validateSpec(spec as JobSpec, m.rules, imgs), estimate: estimateCost(m.pricing, m.rules, spec as JobSpec) }
    },
    'jobs.create': async ({ specs, lineage }) => {
      await delay(250)
      const errors: { index: number; errors: FieldError[] }[] = []
      specs.forEach((spec, index) => {
        const m = catalog.find((x) => x.id === spec.model)
        const imgs = (spec.images ?? []).map((p) => cardsByPath.get(p)?.info).filter((x): x is ImageInfo => !!x)
        const e = m ? validateSpec(spec as JobSpec, m.rules, imgs) : [{ field: 'model', code: 'model.unknown', message: 'Unknown model.' }]
        if (e.length) errors.push({ index, errors: e })
      })
      if (errors.length) return { ok: false, errors } satisfies CreateJobsReply
      const total = specs.reduce((s, spec) => {
        const m = catalog.find((x) => x.id === spec.model) as CatalogModel
        return s + (estimateCost(m.pricing, m.rules, spec as JobSpec) ?? 0)
      }, 0)
      const held = settings.dailyBudget !== null && spendSummary().todayTotal + total > settings.dailyBudget
      const t = Date.now()
      const batchId = specs.length > 1 ? `batch_${seq}` : null
      const created = specs.map((spec, i) => {
        const m = catalog.find((x) => x.id === spec.model) as CatalogModel
        const job: JobView = {
          id: `job_${seq++}`,
          batchId,
          parentId: null,
          lineage: lineage ?? null,
          model: m.id,
          provider: m.family,
          vendor: m.vendor,
          spec: spec as JobSpec,
          state: held ? 'held' : 'queued',
          progress: null,
          downloadedBytes: 0,
          downloadTotal: null,
          remoteId: null,
          billed: false,
          externalId: `cvs-${seq}`,
          keyId: 'default',
          estimatedCost: estimateCost(m.pricing, m.rules, spec as JobSpec),
          error: null,
          note: held ? 'This would go over your daily budget; it waits for your OK.' : null,
          noteCode: null,
          noteParams: null,
          file: null,
          libraryItemId: null,
          createdAt: t + i,
          updatedAt: t + i,
          submittedAt: null,
          completedAt: null,
          etaAt: null
        }
        jobs.set(job.id, job)
        return job
      })
      setTimeout(() => changed(created), 30)
      return { ok: true, jobs: created, held, estimate: Math.round(total * 100) / 100, note: held ? `These jobs would bring today’s estimated spend above your ${settings.dailyBudget} USD cap.` : null }
    },
    'jobs.cancel': ({ id }) => {
      const j = jobs.get(id) as JobView
      const next: JobView = { ...j, state: 'canceled', updatedAt: Date.now(), completedAt: Date.now(), error: { kind: 'canceled', message: 'Canceled by you.', retryable: true } }
      jobs.set(id, next)
      changed([next])
      return { job: next, message: j.remoteId ? 'Canceled. The provider had already started it and may still bill it.' : 'Canceled before it was sent; nothing is billed.' }
    },
    'jobs.retry': ({ id }) => clone(id, 'retry'),
    'jobs.duplicate': ({ id }) => clone(id, 'duplicate'),
    'jobs.remix': ({ id, prompt }) => clone(id, 'remix', prompt),
    'jobs.decide': ({ id, choice }) => {
      const j = jobs.get(id) as JobView
      const next: JobView = choice === 'resubmit' ? { ...j, state: 'queued', note: null, updatedAt: Date.now() } : { ...j, state: 'failed', updatedAt: Date.now(), error: { kind: 'unknown', message: 'Dismissed: the app stopped tracking this job.', retryable: true } }
      jobs.set(id, next)
      changed([next])
      return next
    },
    'jobs.decideMany': ({ batchId, choice }) => {
      const out = [...jobs.values()]
        .filter((j) => j.state === 'needs_decision' && j.batchId === batchId)
        .map((j): JobView => (choice === 'resubmit' ? { ...j, state: 'queued', note: null, updatedAt: Date.now() } : { ...j, state: 'canceled', updatedAt: Date.now() }))
      for (const j of out) jobs.set(j.id, j)
      changed(out)
      const costs = out.map((j) => j.estimatedCost ?? 0)
      return { jobs: out, estimate: choice === 'resubmit' ? costs.reduce((a, b) => a + b, 0) : null }
    },
    'jobs.retryDownload': ({ id }) => {
      const next: JobView = { ...(jobs.get(id) as JobView), state: 'downloading', error: null, updatedAt: Date.now() }
      jobs.set(id, next)
      changed([next])
      return next
    },
    'jobs.contact': ({ id, choice }) => {
      const next: JobView = { ...(jobs.get(id) as JobView), state: choice === 'check' ? 'submitted' : 'canceled', note: null, updatedAt: Date.now() }
      jobs.set(id, next)
      changed([next])
      return next
    },
    'jobs.confirmHeld': ({ ids }) => {
      const out = ids.map((id) => ({ ...(jobs.get(id) as JobView), state: 'queued' as const, note: null, updatedAt: Date.now() }))
      for (const j of out) jobs.set(j.id, j)
      changed(out)
      return out
    },
    'jobs.remove': ({ ids }) => {
      for (const id of ids) jobs.delete(id)
      changed([], ids)
      return ids.length
    },
    'jobs.open': () => true,
    'jobs.showInFolder': () => true,
    'jobs.details': ({ id }) => {
      const job = jobs.get(id) as JobView
      const timeline: { state: JobView['state']; at: number }[] = [{ state: 'queued', at: job.createdAt }]
      if (job.state !== 'queued') timeline.push({ state: job.state, at: job.updatedAt })
      const replacedBy = [...jobs.values()].find((j) => j.parentId === id && j.lineage === 'retry')?.id ?? null
      return { job, timeline, billed: job.remoteId && job.estimatedCost !== null ? { amount: job.estimatedCost, at: job.submittedAt ?? job.createdAt } : null, replacedBy }
    },
    'jobs.retryFailed': ({ ids }) => {
      const made = ids.filter((id) => jobs.get(id)?.state === 'failed' && jobs.get(id)?.remoteId).map((id) => clone(id, 'retry'))
      const out = made.flatMap((r) => (r.ok ? r.jobs : []))
      return { ok: true, jobs: out, held: false, estimate: out.reduce((a, j) => a + (j.estimatedCost ?? 0), 0), note: null }
    },
    'jobs.cancelMany': ({ ids }) => {
      const out = ids.filter((id) => jobs.has(id) && isIn(CANCELABLE_STATES, (jobs.get(id) as JobView).state)).map((id): JobView => ({ ...(jobs.get(id) as JobView), state: 'canceled', updatedAt: Date.now() }))
      for (const j of out) jobs.set(j.id, j)
      changed(out)
      return out.length
    },
    'files.chosen': () => true,
    'files.inspect': async ({ paths, model }) => {
      await delay(200 + Math.min(800, paths.length))
      const m = catalog.find((x) => x.id === model)
      const cards: ImageCard[] = []
      const rejected: { path: string; name: string; code: string; reason: string }[] = []
      const seen = new Map<string, string>()
      paths.forEach((p, i) => {
        const r = inspectOne(p, m, i)
        if ('rejected' in r) rejected.push({ path: p, name: p.split('/').pop() ?? p, code: r.code, reason: r.reason })
        else {
          r.duplicateOf = seen.get(r.hash) ?? null
          if (!seen.has(r.hash)) seen.set(r.hash, p)
          cardsByPath.set(p, r)
          cards.push(r)
        }
      })
      return { cards, rejected, scanned: { folders: 0, files: paths.length } }
    },
    'files.saveFixedImage': async ({ sourceName, mime, bytes }) => {
      const header = parseImageHeader(bytes)
      const w = header?.width ?? 1280
      const h = header?.height ?? 720
      const name = sourceName.replace(/(\.[a-z]+)$/i, `-${w}x${h}$1`)
      const path = `/Users/demo/Pictures/.fixed/${name}`
      const token = `fixed_${seq++}`
      await fetch(`${mediaBase}/image/${token}`, { method: 'POST', body: bytes, headers: { 'content-type': mime } })
      const card: ImageCard = { path, name, token, info: { path, type: mime === 'image/png' ? 'png' : 'jpeg', bytes: bytes.byteLength, width: w, height: h }, hash: hashOf(name), duplicateOf: null, problems: [], fix: null }
      cardsByPath.set(path, card)
      return card
    },
    'library.list': async (q) => {
      await delay(60)
      const items = queryLibrary(q)
      return { items: items.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 100)), total: items.length }
    },
    'library.get': ({ id }) => library.get(id) ?? null,
    'library.facets': () => ({ models: [...new Set([...library.values()].map((i) => i.model))].sort(), vendors: [...new Set([...library.values()].map((i) => i.vendor ?? ''))].filter(Boolean).sort(), providers: [] }),
    'library.favorite': ({ id, favorite }) => {
      const item = { ...(library.get(id) as LibraryItem), favorite }
      library.set(id, item)
      return item
    },
    'library.tags': ({ id, tags }) => {
      const item = { ...(library.get(id) as LibraryItem), tags }
      library.set(id, item)
      return item
    },
    'library.poster': async ({ id, bytes }) => {
      await fetch(`${mediaBase}/poster/${id}`, { method: 'POST', body: bytes, headers: { 'content-type': 'image/jpeg' } })
      const item = { ...(library.get(id) as LibraryItem), poster: `.posters/${id}.jpg` }
      library.set(id, item)
      return item
    },
    'library.delete': ({ id }) => {
      library.delete(id)
      setTimeout(() => emit('library.changed', { itemIds: [id] }), 10)
      return true
    },
    'library.rescan': () => ({ added: 0, updated: 0, removed: 0, skipped: [] }),
    'library.open': () => true,
    'library.showInFolder': () => true,
    'library.ids': (q) => queryLibrary(q).slice(q.offset ?? 0, q.limit === undefined ? undefined : (q.offset ?? 0) + q.limit).map((i) => i.id),
    'library.favoriteMany': ({ ids, favorite }) => {
      for (const id of ids) {
        const item = library.get(id)
        if (item) library.set(id, { ...item, favorite })
      }
      setTimeout(() => emit('library.changed', { itemIds: ids }), 10)
      return ids.length
    },
    'library.tagMany': ({ ids, add }) => {
      for (const id of ids) {
        const item = library.get(id)
        if (item) library.set(id, { ...item, tags: [...new Set([...item.tags, ...add])] })
      }
      setTimeout(() => emit('library.changed', { itemIds: ids }), 10)
      return ids.length
    },
    'library.deleteMany': ({ ids }) => {
      for (const id of ids) library.delete(id)
      setTimeout(() => emit('library.changed', { itemIds: [] }), 10)
      return { deleted: ids.length, failed: [] }
    },
    'library.export': ({ ids }) => ({ folder: '/Users/demo/Movies/Export', copied: ids.length, failed: [] }),
    'library.saveCopy': ({ id }) => `/Users/demo/Movies/${library.get(id)?.fileName ?? 'video.mp4'}`,
    'library.openFolder': () => true,
    'spend.summary': async () => {
      await delay(80)
      return spendSummary()
    },
    'settings.get': () => settings,
    'settings.update': (patch) => {
      settings = { ...settings, ...(patch as Partial<Settings>) }
      setTimeout(() => emit('settings.changed', settings), 0)
      return settings
    },
    'settings.chooseFolder': () => '/Volumes/Media/Comet Videos',
    'settings.moveLibrary': async ({ to }) => {
      await delay(1500)
      settings = { ...settings, libraryDir: to }
      return { ok: true, moved: library.size, message: `Moved ${library.size} file(s) to ${to}.`, code: 'move.done', params: { moved: library.size, to, skipped: '' }, settings }
    },
    // The proxy, in memory: the real setting and its credentials are tested through the engine and the test host.
    'proxy.status': () => ({ settings: settings.proxy, credentials: { stored: proxyStored, storage: 'keychain', problem: null }, inUse: proxyInUse() }),
    'proxy.set': async ({ settings: next, credentials }) => {
      await delay(200)
      settings = { ...settings, proxy: { ...next, host: next.host.trim() } }
      if (credentials) proxyStored = 'username' in credentials && !!credentials.username
      setTimeout(() => emit('settings.changed', settings), 0)
      return { settings: settings.proxy, credentials: { stored: proxyStored, storage: 'keychain' as const, problem: null }, inUse: proxyInUse() }
    },
    'watch.list': () => watched,
    'watch.add': ({ path, recipe }) => {
      watched = [...watched, watchFolder(`w_${seq++}`, path, recipe as WatchRecipe, Date.now())]
      return { ok: true, folders: watchChanged() }
    },
    'watch.inspect': ({ path }) => ({ path, images: 3 }),
    'watch.remove': ({ id }) => {
      watched = watched.filter((f) => f.id !== id)
      return watchChanged()
    },
    'watch.pause': ({ id, paused: p }) => {
      watched = watched.map((f) => (f.id === id ? { ...f, paused: p, state: p ? 'paused' : 'watching' } : f))
      return watchChanged()
    },
    'shell.openExternal': () => true,
    'updates.state': () => update,
    'updates.check': async () => {
      setUpdate({ phase: 'checking', failure: null, notice: true })
      await delay(600)
      return setUpdate({ phase: 'upToDate', checkedAt: Date.now() })
    },
    'updates.restart': ({ mode }) => ({ restarting: update.phase === 'ready' && mode !== 'cancel', waiting: false, downloadsWriting: 0 }),
    'updates.dismiss': () => setUpdate({ notice: false })
  }

  function clone(id: string, lineage: 'retry' | 'duplicate' | 'remix', prompt?: string): CreateJobsReply {
    const j = jobs.get(id)
    if (!j) return { ok: false, errors: [{ index: 0, errors: [{ field: 'model', code: 'job.missing', message: 'That job no longer exists.' }] }] }
    const t = Date.now()
    const next: JobView = { ...j, id: `job_${seq++}`, parentId: j.id, lineage, state: 'queued', progress: null, error: null, note: null, remoteId: null, libraryItemId: null, file: null, createdAt: t, updatedAt: t, submittedAt: null, completedAt: null, etaAt: null, downloadedBytes: 0, downloadTotal: null, spec: prompt ? { ...j.spec, prompt, remixOf: j.remoteId ?? undefined } : j.spec }
    jobs.set(next.id, next)
    changed([next])
    return { ok: true, jobs: [next], held: false, estimate: next.estimatedCost, note: null }
  }

  function queryLibrary(q: LibraryQuery): LibraryItem[] {
    let items = [...library.values()]
    if (q.search) {
      const words = q.search.toLowerCase().split(/\s+/)
      items = items.filter((i) => words.every((w) => `${i.prompt} ${i.model} ${i.negativePrompt ?? ''} ${i.tags.join(' ')}`.toLowerCase().includes(w)))
    }
    if (q.model?.length) items = items.filter((i) => q.model!.includes(i.model))
    if (q.vendor?.length) items = items.filter((i) => q.vendor!.includes(i.vendor ?? ''))
    if (q.favorite) items = items.filter((i) => i.favorite)
    if (q.from !== undefined) items = items.filter((i) => i.completedAt >= q.from!)
    if (q.to !== undefined) items = items.filter((i) => i.completedAt < q.to!)
    const sorters: Record<string, (a: LibraryItem, b: LibraryItem) => number> = {
      newest: (a, b) => b.completedAt - a.completedAt,
      oldest: (a, b) => a.completedAt - b.completedAt,
      prompt: (a, b) => a.prompt.localeCompare(b.prompt),
      model: (a, b) => a.model.localeCompare(b.model),
      size: (a, b) => b.bytes - a.bytes
    }
    return items.sort(sorters[q.sort ?? 'newest'])
  }

  return {
    mediaBase,
    async invoke(channel, request) {
      const handler = handlers[channel] as unknown as (r: typeof request) => unknown
      try {
        return { ok: true, value: (await handler(request)) as never }
      } catch (error) {
        return { ok: false, error: { code: 'mock', message: error instanceof Error ? error.message : String(error) } }
      }
    },
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (p: unknown) => void)
      return () => set.delete(listener as (p: unknown) => void)
    },
    pathForFile(file: File): string {
      const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath
      return `/Users/demo/Pictures/Drops/${rel || file.name}`
    },
    // No OS here to drag into: the page's side of a drag-out is all there is to see.
    startDrag() {}
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

function hashOf(text: string): string {
  let h1 = 0x811c9dc5
  let h2 = 0x1234567
  for (let i = 0; i < text.length; i++) {
    h1 = Math.imul(h1 ^ text.charCodeAt(i), 16777619)
    h2 = Math.imul(h2 ^ text.charCodeAt(i), 2246822519)
  }
  return ((h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0')).slice(0, 16)
}
