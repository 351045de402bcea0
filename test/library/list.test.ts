import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LibraryItem, LibraryQuery } from '../../src/shared/library'
import { downloaded, fixture, type Fixture } from './helpers'

let f: Fixture
const items: LibraryItem[] = []
const DAY = 86_400_000

const PROMPTS = [
  'A paper airplane glides over the city at dusk',
  '一只纸飞机在黄昏时分飞过城市上空',
  'Neon cyberpunk street in the rain, reflections',
  '猫在森林里奔跑',
  'Golden hour ocean waves crash on rocks',
  'Astronaut floating inside a space station',
  '東京の路地、提灯、雨',
  'Café au lait, slow motion pour, 4K macro',
  'Robot dancing on a rooftop',
  'Dragon flying above a castle in the clouds'
]
const MODELS = ['sora-2', 'kling-v2-1', 'veo3.1']
const PROVIDERS = { 'sora-2': 'openai-videos', 'kling-v2-1': 'kling', 'veo3.1': 'openai-videos' } as const
const VENDORS = { 'sora-2': 'OpenAI', 'kling-v2-1': 'Kling', 'veo3.1': 'Google' } as const

beforeAll(() => {
  f = fixture()
  for (let i = 0; i < 30; i++) {
    const model = MODELS[i % 3] as keyof typeof PROVIDERS
    f.clock.t += DAY
    const input = downloaded(f, `job-${String(i).padStart(4, '0')}`, {
      prompt: `${PROMPTS[i % PROMPTS.length]} #${i}`,
      model,
      size: 1000 + ((i * 7919) % 5000),
      provider: PROVIDERS[model],
      vendor: VENDORS[model]
    })
    items.push(f.lib.finalize(input))
  }
  for (const i of [2, 5, 11, 17]) f.lib.setFavorite(items[i].id, true)
  for (const i of [3, 4, 5]) f.lib.setTags(items[i].id, ['client-a', i === 5 ? 'keeper' : 'draft'])
  for (let i = 0; i < items.length; i++) items[i] = f.lib.get(items[i].id)!
})
afterAll(() => {
  f.cleanup()
})

const ids = (q: LibraryQuery): number[] => f.lib.list({ limit: 1000, ...q }).items.map((it) => items.findIndex((x) => x.id === it.id))

describe('list', () => {
  it('pages newest first with a total', () => {
    const page1 = f.lib.list({ limit: 10 })
    const page3 = f.lib.list({ limit: 10, offset: 20 })
    expect(page1.total).toBe(30)
    expect(page1.items.map((i) => i.jobId)[0]).toBe('job-0029')
    expect(page3.items.map((i) => i.jobId).at(-1)).toBe('job-0000')
    expect(f.lib.list({ offset: 30 })).toEqual({ items: [], total: 30 })
  })

  it('sorts oldest, by size, by prompt and by model', () => {
    expect(ids({ sort: 'oldest' })).toEqual([...Array(30).keys()])
    const sizes = f.lib.list({ sort: 'size', limit: 1000 }).items.map((i) => i.bytes)
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a))
    const prompts = f.lib.list({ sort: 'prompt', limit: 1000 }).items.map((i) => i.prompt.toLowerCase())
    expect(prompts).toEqual([...prompts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    const byModel = f.lib.list({ sort: 'model', limit: 1000 }).items
    expect(byModel.map((i) => i.model)).toEqual([...byModel.map((i) => i.model)].sort())
    const sora = byModel.filter((i) => i.model === 'sora-2').map((i) => i.completedAt)
    expect(sora).toEqual([...sora].sort((a, b) => b - a))
  })

  it('filters by model, provider, vendor, date range, favourite and tags', () => {
    expect(ids({ model: ['kling-v2-1'], sort: 'oldest' })).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28])
    expect(f.lib.list({ model: ['sora-2', 'veo3.1'] }).total).toBe(20)
    expect(f.lib.list({ provider: ['kling'] }).total).toBe(10)
    expect(f.lib.list({ vendor: ['Google'] }).total).toBe(10)
    expect(f.lib.list({ model: [] }).total).toBe(0)
    const from = items[10].completedAt
    const to = items[15].completedAt
    expect(ids({ from, to, sort: 'oldest' })).toEqual([10, 11, 12, 13, 14])
    expect(ids({ favorite: true, sort: 'oldest' })).toEqual([2, 5, 11, 17])
    expect(f.lib.list({ favorite: false }).total).toBe(26)
    expect(ids({ tags: ['client-a'], sort: 'oldest' })).toEqual([3, 4, 5])
    expect(ids({ tags: ['CLIENT-A', 'keeper'] })).toEqual([5])
    expect(ids({ tags: ['nope'] })).toEqual([])
    expect(ids({ favorite: true, model: ['veo3.1'], sort: 'oldest' })).toEqual([2, 5, 11, 17])
  })

  it('lists the facets for the filter menus', () => {
    expect(f.lib.facets()).toEqual({ models: ['kling-v2-1', 'sora-2', 'veo3.1'], vendors: ['Google', 'Kling', 'OpenAI'], providers: ['kling', 'openai-videos'] })
  })

  it('pages filtered, sorted results without gaps or repeats', () => {
    const all = f.lib.list({ model: ['sora-2', 'kling-v2-1'], sort: 'size', limit: 1000 }).items.map((i) => i.id)
    const paged: string[] = []
    for (let offset = 0; offset < all.length; offset += 3) {
      const page = f.lib.list({ model: ['sora-2', 'kling-v2-1'], sort: 'size', limit: 3, offset })
      expect(page.total).toBe(20)
      paged.push(...page.items.map((i) => i.id))
    }
    expect(paged).toEqual(all)
  })
})

describe('search', () => {
  it('finds English words by prefix, case- and accent-insensitively', () => {
    expect(ids({ search: 'airplane', sort: 'oldest' })).toEqual([0, 10, 20])
    expect(ids({ search: 'AIRPL' })).toHaveLength(3)
    expect(ids({ search: 'cafe', sort: 'oldest' })).toEqual([7, 17, 27])
    expect(ids({ search: 'golden waves', sort: 'oldest' })).toEqual([4, 14, 24])
    expect(ids({ search: 'golden robot' })).toEqual([])
    expect(ids({ search: 'zebra' })).toEqual([])
  })

  it('finds a Chinese word inside an unsegmented sentence', () => {
    expect(ids({ search: '纸飞机', sort: 'oldest' })).toEqual([1, 11, 21])
    expect(ids({ search: '黄昏时分', sort: 'oldest' })).toEqual([1, 11, 21])
    expect(ids({ search: '飞机城市' })).toEqual([]) // not adjacent in the prompt
  })

  it('finds 1- and 2-character queries', () => {
    expect(ids({ search: '飞机', sort: 'oldest' })).toEqual([1, 11, 21])
    expect(ids({ search: '猫', sort: 'oldest' })).toEqual([3, 13, 23])
    expect(ids({ search: '雨', sort: 'oldest' })).toEqual([6, 16, 26])
    expect(ids({ search: '提灯', sort: 'oldest' })).toEqual([6, 16, 26])
    expect(ids({ search: '4k', sort: 'oldest' })).toEqual([7, 17, 27])
    expect(f.lib.list({ search: 'a' }).total).toBeGreaterThan(10)
  })

  it('searches the model and tags, and combines with filters', () => {
    expect(f.lib.list({ search: 'kling' }).total).toBe(10)
    expect(ids({ search: 'keeper' })).toEqual([5])
    expect(ids({ search: 'rain', model: ['veo3.1'] })).toEqual([2])
    expect(ids({ search: 'rain', favorite: true })).toEqual([2])
    expect(ids({ search: '飞机 #11' })).toEqual([11])
  })

  it('treats FTS syntax in the query as plain text', () => {
    for (const q of ['"', 'AND', 'a OR b', 'NEAR(x y)', '*', 'prompt:x', '(', "'; DROP TABLE library_items; --", '^a', '-x']) {
      expect(() => f.lib.list({ search: q })).not.toThrow()
    }
    expect(f.lib.list({ search: '!!!' }).total).toBe(0)
    expect(f.lib.list({ search: '   ' }).total).toBe(30)
  })

  it('follows edits: new tags are searchable, old ones not', () => {
    f.lib.setTags(items[8].id, ['spotlight'])
    expect(ids({ search: 'spotlight' })).toEqual([8])
    f.lib.setTags(items[8].id, [])
    expect(ids({ search: 'spotlight' })).toEqual([])
  })
})
