// Realistic fixture data for the in-browser fake StudioApi: a catalog built with the real model
// rules, jobs in every state, library items and spend history. Deterministic (seeded) so
// screenshots are stable.
import type { CatalogModel } from '../../src/shared/modelTypes'
import type { JobState, JobView, ProviderFamily } from '../../src/shared/jobs'
import type { LibraryItem } from '../../src/shared/library'
import { rulesForModel } from '../../src/shared/modelRules'
import { applyDefaults, estimateCost } from '../../src/shared/validation'

export function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Row {
  id: string
  name: string
  vendor: string
  family: ProviderFamily
  features: ('text-to-video' | 'image-to-video')[]
  perSecond?: number
  perRequest?: number
  upcoming?: boolean
  unavailable?: string
}

const T2V: Row['features'] = ['text-to-video']
const BOTH: Row['features'] = ['text-to-video', 'image-to-video']
const I2V: Row['features'] = ['image-to-video']

const ROWS: Row[] = [
  { id: 'sora-2', name: 'Sora 2', vendor: 'OpenAI', family: 'openai-videos', features: BOTH, perSecond: 0.08 },
  { id: 'sora-2-pro', name: 'Sora 2 Pro', vendor: 'OpenAI', family: 'openai-videos', features: BOTH, perSecond: 0.24 },
  { id: 'doubao-seedance-2-0', name: 'Seedance 2.0', vendor: 'ByteDance', family: 'openai-videos', features: BOTH, perSecond: 0.05 },
  { id: 'doubao-seedance-2-0-fast', name: 'Seedance 2.0 Fast', vendor: 'ByteDance', family: 'openai-videos', features: BOTH, perSecond: 0.03 },
  { id: 'doubao-seedance-1-5-pro', name: 'Seedance 1.5 Pro', vendor: 'ByteDance', family: 'openai-videos', features: T2V, perRequest: 0.25 },
  { id: 'veo3.1-fast', name: 'Veo 3.1 Fast', vendor: 'Google', family: 'openai-videos', features: BOTH, perRequest: 0.4 },
  { id: 'wan2.6', name: 'Wan 2.6', vendor: 'Alibaba', family: 'openai-videos', features: T2V, perRequest: 0.3 },
  { id: 'viduq3-turbo', name: 'Vidu Q3 Turbo', vendor: 'Vidu', family: 'openai-videos', features: T2V, perSecond: 0.02 },
  { id: 'happyhorse-1.0', name: 'HappyHorse 1.0', vendor: 'HappyHorse', family: 'openai-videos', features: T2V, perRequest: 0.2 },
  { id: 'omni-fast', name: 'Omni Fast (beta)', vendor: 'CometAPI', family: 'openai-videos', features: T2V, perSecond: 0.04 },
  { id: 'gen4_turbo', name: 'Runway Gen-4 Turbo', vendor: 'Runway', family: 'runway', features: I2V, perRequest: 0.25 },
  { id: 'kling-v2-6', name: 'Kling v2.6', vendor: 'Kling', family: 'kling', features: BOTH, perRequest: 0.28 },
  { id: 'kling-v3', name: 'Kling v3', vendor: 'Kling', family: 'kling', features: BOTH, perRequest: 0.3 },
  { id: 'grok-imagine-video', name: 'Grok Imagine Video', vendor: 'xAI', family: 'xai', features: BOTH, perSecond: 0.05 },
  { id: 'sora-3', name: 'Sora 3', vendor: 'OpenAI', family: 'openai-videos', features: BOTH, perSecond: 0.5, upcoming: true },
  { id: 'wan2.7-preview', name: 'Wan 2.7 Preview', vendor: 'Alibaba', family: 'openai-videos', features: T2V, perRequest: 0.35, unavailable: 'The API answered “model not found” for this model; it may have been retired.' }
]

export function buildCatalog(): CatalogModel[] {
  return ROWS.map((r) => {
    const rules = rulesForModel(r.id, r.family)
    return {
      id: r.id,
      name: r.name,
      vendor: r.vendor,
      family: r.family,
      familySource: 'endpoints',
      features: r.features,
      modes: r.features.filter((f) => rules.modes.includes(f)),
      pricing: { perSecond: r.perSecond ?? null, perRequest: r.perRequest ?? null, currency: 'USD' },
      endpoints: [],
      upcoming: r.upcoming ?? false,
      available: !r.unavailable,
      unavailableReason: r.unavailable ?? null,
      docUrl: null,
      rules
    }
  })
}

export const PROMPTS = [
  'A slow dolly shot through a neon-lit alley in the rain, reflections shimmering on wet asphalt',
  'Golden retriever puppy chasing soap bubbles in a sunlit garden, shallow depth of field',
  'Aerial drone flight over misty pine forests at sunrise, volumetric light through the trees',
  'Macro shot of coffee being poured into a glass cup, swirling cream, soft studio lighting',
  'An astronaut walking across red desert dunes on Mars, dust drifting, cinematic wide shot',
  'Time-lapse of a city skyline from dusk to night, traffic light trails, clouds racing by',
  'Paper origami crane unfolding itself on a wooden desk, stop-motion style',
  'Waves crashing against black volcanic rocks in Iceland, slow motion, overcast sky',
  'A cozy cabin interior with a crackling fireplace, snow falling outside the window',
  'Futuristic bullet train gliding through a glass tunnel under the ocean, fish swimming past',
  'Street food vendor flipping noodles in a wok, flames rising, night market bokeh',
  'Ink drop spreading in water, deep blue and gold, ultra slow motion',
  '一只橘猫在窗台上伸懒腰，午后阳光洒进房间，镜头缓慢推进',
  'Ballet dancer spinning on an empty stage, single spotlight, dust particles in the air',
  'Hot air balloons rising over Cappadocia at dawn, gentle camera pan',
  'Close-up of a hummingbird hovering at a red flower, wings blurred, 120 fps look',
  'Vintage car driving along a coastal highway at sunset, camera tracking from the side',
  'Cherry blossom petals falling in a Kyoto temple garden, koi pond below',
  'Robot barista making latte art in a minimalist café, warm morning light',
  'Northern lights dancing over a frozen lake, reflections on the ice, slow pan',
  'A lighthouse on a cliff during a storm, huge waves, lightning in the distance',
  'Product shot: a wristwatch rotating on a black pedestal, rim light, reflections',
  'Children flying kites on a green hill, windy day, puffy clouds',
  'Underwater coral reef with a sea turtle gliding past, sun rays from the surface',
  'A chef plating a dessert with tweezers, extreme close-up, shallow focus',
  'Foggy morning in a bamboo forest, camera moving slowly upward',
  'Skateboarder doing a kickflip in an empty pool, fisheye lens, golden hour',
  'Snow leopard walking along a rocky ridge in the Himalayas, telephoto',
  'Rain drops on a window with blurred city lights behind, melancholic mood',
  'Steam locomotive crossing a stone viaduct in the Scottish highlands'
]

const SIZES = ['1280x720', '720x1280', '1920x1080', '1080x1920']

export interface MockWorld {
  jobs: JobView[]
  library: LibraryItem[]
}

function jobFor(i: number, state: JobState, model: CatalogModel, now: number, rand: () => number): JobView {
  const prompt = PROMPTS[i % PROMPTS.length]
  const created = now - Math.round((i + 1) * 7 * 60_000 * (0.5 + rand()))
  const spec = applyDefaults({ model: model.id, prompt }, model.rules)
  if (model.rules.images.min > 0 || (i % 5 === 0 && model.rules.images.max > 0)) spec.images = [`/Users/demo/Pictures/shoot/frame-${String(i).padStart(3, '0')}.jpg`]
  const submitted = state === 'queued' || state === 'held' ? null : created + 2000
  const running = state === 'running'
  const job: JobView = {
    id: `job_${String(1000 + i)}`,
    batchId: null,
    parentId: null,
    lineage: null,
    model: model.id,
    provider: model.family,
    vendor: model.vendor,
    spec,
    state,
    progress: running ? Math.round(10 + rand() * 80) : state === 'completed' || state === 'downloading' ? 100 : null,
    downloadedBytes: state === 'downloading' ? Math.round(3_500_000 * rand()) : state === 'completed' ? 4_200_000 : 0,
    downloadTotal: state === 'downloading' || state === 'completed' ? 4_200_000 : null,
    remoteId: submitted ? `video_${(0x5f3a9c + i * 7919).toString(16)}${(i * 104729).toString(36)}` : null,
    billed: submitted !== null,
    externalId: `cvs-${i}`,
    keyId: 'default',
    estimatedCost: estimateCost(model.pricing, model.rules, spec),
    error: null,
    note: null,
    noteCode: null,
    noteParams: null,
    file: state === 'completed' ? `/Users/demo/Movies/Comet Video Studio/${model.id}-${i}.mp4` : null,
    libraryItemId: state === 'completed' ? `lib_${String(i).padStart(4, '0')}` : null,
    createdAt: created,
    updatedAt: created + 5000,
    submittedAt: submitted,
    completedAt: state === 'completed' || state === 'failed' || state === 'canceled' ? created + 95_000 + Math.round(rand() * 120_000) : null,
    etaAt: running || state === 'submitted' ? now + Math.round(20_000 + rand() * 150_000) : null
  }
  if (state === 'failed') {
    const errors = [
      { kind: 'provider_failed' as const, message: 'The provider could not make this video: the prompt was flagged by its content filter. Rephrase it and try again.', retryable: false },
      { kind: 'validation' as const, message: 'Kling refused the job: “prompt is too long”. Check the prompt and settings for this model.', retryable: false }
    ]
    job.error = { ...errors[i % errors.length], requestId: `req_${i}abc` }
  }
  if (state === 'canceled') job.error = { kind: 'canceled', message: 'Canceled by you. The provider may still bill a job it had already started.', retryable: true }
  if (state === 'needs_decision') {
    job.note = 'The create request timed out after the provider may have received it, and this provider cannot be asked whether it did.'
    job.batchId = 'batch_undecided'
  }
  if (state === 'download_failed') {
    job.error = { kind: 'download', message: 'The link to the finished video kept expiring and Kling gave no working new one. The video was made (and billed); try “Retry download” later.', retryable: true, code: 'download.linkKeptExpiring', params: { vendor: 'Kling' } }
  }
  if (state === 'lost_contact') job.note = 'Lost contact: for 15 minutes OpenAI has said it does not know this task. The video may still be made (and billed). Check again later, or dismiss it.'
  if (state === 'held') job.note = 'Today’s estimated spend would reach $12.40, above your $10.00 daily cap.'
  if (state === 'queued' && i % 2 === 0) job.note = 'Waiting: 2 jobs are already being sent to this provider.'
  return job
}

const STATE_PLAN: JobState[] = [
  'running', 'running', 'downloading', 'submitted', 'running', 'queued', 'needs_decision', 'held', 'submitting', 'needs_decision',
  'completed', 'failed', 'completed', 'completed', 'canceled', 'completed', 'download_failed', 'completed', 'completed', 'completed',
  'completed', 'failed', 'completed', 'canceled', 'completed', 'completed', 'completed', 'lost_contact', 'completed', 'completed',
  'completed', 'completed', 'completed', 'completed', 'completed', 'completed'
]

export function buildWorld(catalog: CatalogModel[], now: number, jobCount: number, libraryCount: number): MockWorld {
  const rand = seeded(42)
  const usable = catalog.filter((m) => m.available && !m.upcoming)
  const jobs: JobView[] = []
  for (let i = 0; i < jobCount; i++) {
    const state = i < STATE_PLAN.length ? STATE_PLAN[i] : rand() < 0.9 ? 'completed' : rand() < 0.5 ? 'failed' : 'canceled'
    jobs.push(jobFor(i, state, usable[(i * 5 + 3) % usable.length], now, rand))
  }
  // A compare run: one prompt over three models.
  if (jobCount > 0) {
    const cmp = ['sora-2', 'kling-v3', 'doubao-seedance-2-0'].map((id) => catalog.find((m) => m.id === id) as CatalogModel)
    const states: JobState[] = ['completed', 'running', 'completed']
    cmp.forEach((m, k) => {
      const j = jobFor(900 + k, states[k], m, now, rand)
      j.id = `job_cmp_${k}`
      j.batchId = 'batch_cmp_1'
      j.lineage = 'compare'
      j.spec = applyDefaults({ model: m.id, prompt: 'A red fox trotting through fresh snow in a birch forest, morning light' }, m.rules)
      j.createdAt = now - 6 * 60_000
      j.submittedAt = j.createdAt + 1500
      j.completedAt = states[k] === 'completed' ? j.createdAt + 150_000 + k * 40_000 : null
      j.updatedAt = j.createdAt + 2000
      j.libraryItemId = states[k] === 'completed' ? `lib_cmp_${k}` : null
      j.progress = states[k] === 'running' ? 64 : 100
      jobs.push(j)
    })
  }
  const library: LibraryItem[] = []
  const done = jobs.filter((j) => j.state === 'completed')
  for (let i = 0; i < libraryCount; i++) {
    const j = done[i % Math.max(1, done.length)]
    const model = catalog.find((m) => m.id === (j?.model ?? 'sora-2')) as CatalogModel
    const size = SIZES[i % SIZES.length]
    const [w, h] = size.split('x').map(Number)
    const id = j?.libraryItemId && i < done.length ? j.libraryItemId : `lib_${String(i).padStart(4, '0')}`
    library.push({
      id,
      jobId: j?.id ?? `job_${i}`,
      fileName: `2025-11/${(model?.id ?? 'sora-2')}-${id}.mp4`,
      bytes: Math.round(2_000_000 + rand() * 30_000_000),
      sha256: null,
      container: 'mp4',
      model: model.id,
      provider: model.family,
      vendor: model.vendor,
      prompt: j?.spec.prompt ?? PROMPTS[i % PROMPTS.length],
      negativePrompt: model.rules.negativePrompt ? 'blurry, watermark, text' : null,
      params: { seconds: j?.spec.seconds ?? 8, size: model.rules.size ? size : undefined, aspectRatio: j?.spec.aspectRatio, resolution: j?.spec.resolution },
      sourceImages: j?.spec.images ? ['frame-012.jpg'] : [],
      remoteId: j?.remoteId ?? null,
      parentId: null,
      lineage: null,
      estimatedCost: j?.estimatedCost ?? 0.32,
      createdAt: (j?.createdAt ?? now) - 60_000 - i * 3_600_000 * 7,
      completedAt: (j?.completedAt ?? now) - i * 3_600_000 * 7,
      favorite: i % 7 === 1,
      tags: [],
      width: w,
      height: h,
      durationS: j?.spec.seconds ?? 8,
      // Every third item has no poster yet: the renderer makes it (poster queue).
      poster: i % 3 === 2 ? null : `.posters/${id}.jpg`
    })
  }
  for (const [k, id] of ['lib_cmp_0', 'lib_cmp_2'].entries()) {
    const j = jobs.find((x) => x.libraryItemId === id)
    if (!j) continue
    library.push({ ...library[0], id, jobId: j.id, model: j.model, vendor: j.vendor, prompt: j.spec.prompt, lineage: 'compare', fileName: `2025-11/compare-${k}.mp4`, poster: `.posters/${id}.jpg`, favorite: false })
  }
  return { jobs, library }
}
