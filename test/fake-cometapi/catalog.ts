// `GET /api/models` rows (API.md §7). `endpoints` arrives JSON-encoded in every observed
// variant, spread across the rows so a client's parser meets each one.
import { json, type Reply } from './reply'

type Endpoint = { path: string; method: string }

const enc = {
  /** `["/v1/videos"]` */
  paths: (...paths: string[]): string => JSON.stringify(paths),
  /** `[{"path":…,"method":…}]` */
  list: (...eps: Endpoint[]): string => JSON.stringify(eps),
  /** `{"name":{"path":…,"method":…}}` */
  named: (eps: Record<string, Endpoint>): string => JSON.stringify(eps),
  /** `{"name":"{\"path\":…}"}`: values are JSON strings again (fixtures.json kling-v3). */
  nestedStrings: (eps: Record<string, Endpoint>): string =>
    JSON.stringify(Object.fromEntries(Object.entries(eps).map(([k, v]) => [k, JSON.stringify(v)])))
}

const post = (path: string): Endpoint => ({ path, method: 'POST' })
const get = (path: string): Endpoint => ({ path, method: 'GET' })

interface Pricing {
  perSecond?: number
  perRequest?: number
}

function video(id: string, name: string, provider: string, features: string[], endpoints: string | undefined, price: Pricing, doc: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    code: id,
    name,
    provider,
    provider_code: provider.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    model_type: 'video',
    features,
    ...(endpoints === undefined ? {} : { endpoints }),
    pricing: { currency: 'USD', input: null, output: null, per_request: price.perRequest ?? null, per_second: price.perSecond ?? null, ratio: 0.8 },
    api_doc_url: `https://apidoc.cometapi.com/api/video/${doc}`,
    upcoming: false,
    ...extra
  }
}

const T2V = ['text-to-video']
const BOTH = ['text-to-video', 'image-to-video']
const I2V = ['image-to-video']

export function defaultCatalog(): Record<string, unknown>[] {
  return [
    {
      id: 'deepseek-v4-pro',
      provider: 'DeepSeek',
      model_type: 'text',
      features: ['text-to-text'],
      pricing: { currency: 'USD / M Tokens', input: 0.416, output: 0.832, per_request: null, per_second: null },
      api_doc_url: 'https://apidoc.cometapi.com/api/text/chat'
    },
    {
      id: 'gpt-image-1',
      provider: 'OpenAI',
      model_type: 'image',
      features: ['text-to-image'],
      endpoints: enc.paths('/v1/images/generations'),
      pricing: { currency: 'USD', input: null, output: null, per_request: 0.04, per_second: null },
      api_doc_url: 'https://apidoc.cometapi.com/api/image'
    },
    video('sora-2', 'Sora 2', 'OpenAI', BOTH, enc.list(post('/v1/videos')), { perSecond: 0.08 }, 'sora-2/create'),
    video('sora-2-pro', 'Sora 2 Pro', 'OpenAI', BOTH, enc.list(post('/v1/videos'), get('/v1/videos/{id}')), { perSecond: 0.24 }, 'sora-2/create'),
    video('doubao-seedance-2-0', 'Seedance 2.0', 'ByteDance', BOTH, enc.paths('/v1/videos'), { perSecond: 0.05 }, 'seedance/create'),
    video(
      'doubao-seedance-2-0-fast',
      'Seedance 2.0 Fast',
      'ByteDance',
      BOTH,
      enc.named({ create: post('/v1/videos'), retrieve: get('/v1/videos/{id}') }),
      { perSecond: 0.03 },
      'seedance/create'
    ),
    video('doubao-seedance-1-5-pro', 'Seedance 1.5 Pro', 'ByteDance', T2V, enc.paths('/v1/videos', '/v1/videos/{id}'), { perRequest: 0.25 }, 'seedance/create'),
    // No `endpoints`: clients map it by the `veo` id prefix.
    video('veo3.1-fast', 'Veo 3.1 Fast', 'Google', BOTH, undefined, { perRequest: 0.4 }, 'veo3/self-developed/veo3-async-generation'),
    video('wan2.6', 'Wan 2.6', 'Alibaba', T2V, enc.list(post('/v1/videos')), { perRequest: 0.3 }, 'wan/create'),
    video('viduq3-turbo', 'Vidu Q3 Turbo', 'Vidu', T2V, enc.nestedStrings({ create: post('/v1/videos') }), { perSecond: 0.02 }, 'vidu/create'),
    video('happyhorse-1.0', 'HappyHorse 1.0', 'HappyHorse', T2V, enc.paths('/v1/videos'), { perRequest: 0.2 }, 'happyhorse/create'),
    video('omni-fast', 'Omni Fast (beta)', 'CometAPI', T2V, enc.named({ create: post('/v1/videos') }), { perSecond: 0.04 }, 'omni/create'),
    video(
      'gen4_turbo',
      'Runway Gen-4 Turbo',
      'Runway',
      I2V,
      enc.named({ image_to_video: post('/runwayml/v1/image_to_video'), task: get('/runwayml/v1/tasks/{id}') }),
      { perRequest: 0.25 },
      'runway'
    ),
    video(
      'kling-v2-6',
      'Kling v2.6',
      'Kling',
      BOTH,
      enc.list(post('/kling/v1/videos/text2video'), post('/kling/v1/videos/image2video')),
      { perRequest: 0.28 },
      'kling/text-to-video'
    ),
    video(
      'kling-v3',
      'Kling v3',
      'Kling',
      BOTH,
      enc.nestedStrings({ text2video: post('/kling/v1/videos/text2video'), image2video: post('/kling/v1/videos/image2video') }),
      { perRequest: 0.3 },
      'kling/text-to-video'
    ),
    video('grok-imagine-video', 'Grok Imagine Video', 'xAI', BOTH, enc.paths('/grok/v1/videos/generations'), { perSecond: 0.05 }, 'xai/video-generation'),
    video('sora-3', 'Sora 3', 'OpenAI', BOTH, enc.list(post('/v1/videos')), { perSecond: 0.5 }, 'sora-2/create', { upcoming: true })
  ]
}

export function catalogReply(rows: unknown[] | null): Reply {
  const data = rows ?? defaultCatalog()
  return json(200, { success: true, page: 0, page_size: 0, total: data.length, data })
}
