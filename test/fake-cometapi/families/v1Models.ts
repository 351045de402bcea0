// Per-model rules of `/v1/videos` (API.md §1, §4.1, §6). The fake validates like the gateway
// so a client bug that sends an invalid combination fails here, not only in production.

/** Which response shapes a model answers with (key sets differ per documented example). */
export type V1Dialect = 'sora' | 'generic' | 'omni' | 'veo' | 'seedance'

export interface V1Model {
  dialect: V1Dialect
  seconds?: { min: number; max: number; allowed?: readonly number[] }
  /** Allowed `size` values (WxH; Veo `16x9`; Seedance ratio labels). */
  sizes?: readonly string[]
  aspectRatios?: readonly string[]
  resolutions?: readonly string[]
  maxImages: number
  defaultSize?: string
  defaultSeconds?: string
  /** Veo echoes a resolved backend id instead of the alias. */
  backendId?: string
}

const SORA_SIZES = ['720x1280', '1280x720'] as const
const SORA_SECONDS = { min: 4, max: 20, allowed: [4, 8, 12, 16, 20] }
const SEEDANCE_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'] as const
const WAN26_SIZES = ['1280x720', '720x1280', '1088x832', '832x1088', '1920x1080', '1080x1920', '1440x1440', '1632x1248', '1248x1632']
const WAN27_SIZES = ['1280x720', '720x1280', '1920x1080', '1080x1920', '1440x1440']
const VIDU_SIZES = ['640x352', '960x528', '1280x720', '1920x1080']
const HAPPYHORSE_SIZES = ['1280x720', '720x1280', '1920x1080', '1080x1920', '1440x1440']

const seedance = (min: number, max: number, resolutions: readonly string[], maxImages: number): V1Model => ({
  dialect: 'seedance',
  seconds: { min, max },
  sizes: SEEDANCE_RATIOS,
  resolutions,
  maxImages,
  defaultSize: '16:9'
})

const veo = (backendId: string): V1Model => ({
  dialect: 'veo',
  sizes: ['16x9', '9x16'],
  seconds: { min: 4, max: 8, allowed: [4, 6, 8] },
  maxImages: 2,
  defaultSize: '16x9',
  backendId
})

export const V1_MODELS: Record<string, V1Model> = {
  'sora-2': { dialect: 'sora', seconds: SORA_SECONDS, sizes: SORA_SIZES, maxImages: 1, defaultSize: '720x1280', defaultSeconds: '4' },
  'sora-2-pro': {
    dialect: 'sora',
    seconds: SORA_SECONDS,
    sizes: [...SORA_SIZES, '1024x1792', '1792x1024'],
    maxImages: 1,
    defaultSize: '720x1280',
    defaultSeconds: '4'
  },
  'doubao-seedance-2-0': seedance(4, 15, ['480p', '720p'], 4),
  'doubao-seedance-2-0-fast': seedance(4, 15, ['480p', '720p'], 4),
  'doubao-seedance-1-5-pro': seedance(4, 12, ['480p', '720p', '1080p'], 0),
  'doubao-seedance-1-0-pro': seedance(2, 10, ['480p', '720p', '1080p'], 0),
  'veo3': veo('veo_3'),
  'veo3-fast': veo('veo_3-fast'),
  'veo3.1': veo('veo_3_1'),
  'veo3.1-fast': veo('veo_3_1-fast'),
  'wan2.6': { dialect: 'generic', seconds: { min: 5, max: 15, allowed: [5, 10, 15] }, sizes: WAN26_SIZES, maxImages: 0 },
  'wan2.7': { dialect: 'generic', seconds: { min: 2, max: 15 }, sizes: WAN27_SIZES, maxImages: 0 },
  'viduq3': { dialect: 'generic', seconds: { min: 1, max: 16 }, sizes: VIDU_SIZES, maxImages: 0 },
  'viduq3-turbo': { dialect: 'generic', seconds: { min: 1, max: 16 }, sizes: VIDU_SIZES, maxImages: 0 },
  'happyhorse-1.0': { dialect: 'generic', seconds: { min: 3, max: 15 }, sizes: HAPPYHORSE_SIZES, maxImages: 0 },
  'omni-fast': {
    dialect: 'omni',
    seconds: { min: 1, max: 20 },
    aspectRatios: ['16:9', '9:16', '1:1'],
    resolutions: ['720p', '1080p'],
    maxImages: 0
  }
}

type Keys = readonly string[]
export interface ShapeSet {
  create: Keys
  queued: Keys
  running: Keys
  succeeded: Keys
  failed: Keys
}

// Key lists copied from fixtures.json (sora / v1_videos_generic / omni_beta / veo / seedance_v1_videos),
// in the documented order. Where a documented example omits a key (generic `queued` has no
// task_id) the fake omits it too, so clients are tested against the real inconsistency.
const SORA_POLL = ['id', 'object', 'model', 'status', 'progress', 'prompt', 'seconds', 'size', 'created_at', 'completed_at', 'expires_at', 'error', 'remixed_from_video_id']
const GENERIC_FAILED = ['id', 'task_id', 'object', 'model', 'status', 'progress', 'created_at', 'error']
const VEO_POLL = ['id', 'size', 'model', 'object', 'status', 'task_id', 'progress', 'created_at']
const SEEDANCE_POLL = ['id', 'model', 'object', 'status', 'progress', 'created_at', 'completed_at']

export const SHAPES: Record<V1Dialect, ShapeSet> = {
  sora: {
    create: ['id', 'object', 'model', 'status', 'progress', 'created_at', 'seconds', 'size'],
    queued: SORA_POLL,
    running: SORA_POLL,
    succeeded: [...SORA_POLL, 'video_url'],
    failed: [...SORA_POLL.filter((k) => k !== 'error'), 'error']
  },
  generic: {
    create: ['id', 'task_id', 'object', 'model', 'status', 'progress', 'created_at'],
    queued: ['id', 'model', 'object', 'status', 'progress', 'created_at'],
    running: ['id', 'task_id', 'model', 'object', 'status', 'progress', 'created_at'],
    succeeded: ['id', 'task_id', 'object', 'model', 'status', 'progress', 'created_at', 'completed_at', 'video_url'],
    failed: GENERIC_FAILED
  },
  omni: {
    create: ['id', 'task_id', 'object', 'model', 'status', 'progress', 'created_at'],
    queued: ['id', 'model', 'object', 'status', 'progress', 'created_at'],
    running: ['id', 'task_id', 'model', 'object', 'status', 'progress', 'created_at'],
    succeeded: ['id', 'object', 'model', 'status', 'progress', 'created_at', 'completed_at', 'video_url'],
    failed: GENERIC_FAILED
  },
  veo: {
    create: ['created_at', 'id', 'model', 'object', 'progress', 'seconds', 'size', 'status'],
    queued: VEO_POLL,
    running: VEO_POLL,
    succeeded: [...VEO_POLL, 'completed_at', 'video_url'],
    failed: [...VEO_POLL, 'error']
  },
  seedance: {
    create: ['id', 'task_id', 'object', 'model', 'status', 'progress', 'created_at'],
    queued: SEEDANCE_POLL,
    running: SEEDANCE_POLL,
    succeeded: [...SEEDANCE_POLL, 'video_url'],
    failed: [...SEEDANCE_POLL, 'error']
  }
}

export type V1Status = 'queued' | 'running' | 'succeeded' | 'failed' | 'error'

const LOWER: Record<V1Status, string> = { queued: 'queued', running: 'in_progress', succeeded: 'completed', failed: 'failed', error: 'error' }
const UPPER: Record<V1Status, string> = { queued: 'SUBMITTED', running: 'IN_PROGRESS', succeeded: 'SUCCESS', failed: 'FAILED', error: 'ERROR' }

/** The wire status word; Sora has no `error` state, so an internal error reads `failed` there. */
export function statusWord(dialect: V1Dialect, s: V1Status, seedanceCase: 'upper' | 'lower'): string {
  if (dialect === 'seedance' && seedanceCase === 'upper') return UPPER[s]
  if (dialect === 'sora' && s === 'error') return 'failed'
  return LOWER[s]
}
