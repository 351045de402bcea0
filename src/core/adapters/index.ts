// Picks the adapter for a model: from the catalog's endpoint paths when it has them, else from
// known id prefixes. Everything here is a lookup; the adapters hold the behaviour.
import type { ProviderFamily } from '../../shared/jobs'
import { klingAdapter } from './kling'
import { openaiVideosAdapter } from './openaiVideos'
import { runwayAdapter } from './runway'
import type { VideoAdapter } from './types'
import { xaiAdapter } from './xai'

const ADAPTERS: Record<ProviderFamily, VideoAdapter> = {
  'openai-videos': openaiVideosAdapter,
  runway: runwayAdapter,
  kling: klingAdapter,
  xai: xaiAdapter
}

export function adapterFor(family: ProviderFamily): VideoAdapter {
  return ADAPTERS[family]
}

/** The family that serves an endpoint path from the catalog (`/kling/v1/videos/text2video` → kling). */
export function familyForEndpointPath(path: string): ProviderFamily | null {
  let p = path.trim().toLowerCase()
  // Full URLs appear in some catalog rows: keep only the path.
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/.exec(p)
  if (scheme) p = p.slice(scheme[0].length)
  p = p.split(/[?#]/)[0]
  if (!p.startsWith('/')) p = `/${p}`
  // Provider prefixes first: `/kling/v1/videos/...` also contains `/v1/videos`.
  if (p.startsWith('/runwayml/') || p.startsWith('/runway/')) return 'runway'
  if (p.startsWith('/kling/')) return 'kling'
  if (p.startsWith('/grok/')) return 'xai'
  if (p === '/v1/videos' || p.startsWith('/v1/videos/')) return 'openai-videos'
  return null
}

// Known id prefixes. `wan` and `omni` must end at a separator or digit so words like `wanderer` do not match.
const PREFIXES: readonly [RegExp, ProviderFamily][] = [
  [/^grok-imagine/, 'xai'],
  [/^kling/, 'kling'],
  [/^(gen3|gen4|runway)/, 'runway'],
  [/^(sora|doubao-seedance|seedance|veo|vidu|happyhorse)/, 'openai-videos'],
  [/^(wan|omni)([-_.0-9]|$)/, 'openai-videos']
]

// Same prefix, not a video model on these routes (OpenAI's moderation model is `omni-moderation-*`).
const NOT_VIDEO = [/^omni-moderation/]

/** The family of a model id by its known prefix, when the catalog gives no endpoints. */
export function familyForModelId(id: string): ProviderFamily | null {
  const lower = id.trim().toLowerCase()
  if (NOT_VIDEO.some((re) => re.test(lower))) return null
  return PREFIXES.find(([re]) => re.test(lower))?.[1] ?? null
}

export { AdapterError } from './types'
export type { VideoAdapter } from './types'
