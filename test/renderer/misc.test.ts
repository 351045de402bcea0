import { describe, expect, it } from 'vitest'
import type { LibraryItem } from '../../src/shared/library'
import { clampTime, commandFor, fasterSpeed } from '../../src/renderer/src/features/player/playerKeys'
import { formatBytes, formatClock, formatMoney, priceParts } from '../../src/renderer/src/lib/format'
import { initialModel, matchesModel, modelGroup, orderModels, recentModels } from '../../src/renderer/src/lib/models'
import { selectFavoriteModels, useApp } from '../../src/renderer/src/store/app'
import { compareRuns } from '../../src/renderer/src/store/compareModel'
import { jobsFromList } from '../../src/renderer/src/store/jobsModel'
import { dayStart, pagesFor, placePage, queryOf, defaultFilters } from '../../src/renderer/src/store/libraryModel'
import type { CatalogModel } from '../../src/shared/modelTypes'
import type { JobView } from '../../src/shared/jobs'

describe('player keys', () => {
  it('maps the usual keys', () => {
    expect(commandFor(' ', 0, null)).toEqual({ type: 'toggle' })
    expect(commandFor('ArrowLeft', 0, null)).toEqual({ type: 'seek', by: -5 })
    expect(commandFor('j', 0, null)).toEqual({ type: 'seek', by: -10 })
    expect(commandFor('K', 0, null)).toEqual({ type: 'pause' })
    expect(commandFor('f', 0, null)).toEqual({ type: 'fullscreen' })
    expect(commandFor('m', 0, null)).toEqual({ type: 'mute' })
    expect(commandFor('x', 0, null)).toBeNull()
  })

  it('repeated L speeds up', () => {
    expect(commandFor('l', 1000, null)).toEqual({ type: 'forward', by: 10, faster: false })
    expect(commandFor('l', 1800, 1000)).toEqual({ type: 'forward', by: 10, faster: true })
    expect(commandFor('l', 9000, 1000)).toEqual({ type: 'forward', by: 10, faster: false })
    expect(fasterSpeed(1)).toBe(1.25)
    expect(fasterSpeed(2)).toBe(2)
  })

  it('keeps seeks inside the video', () => {
    expect(clampTime(-3, 8)).toBe(0)
    expect(clampTime(12, 8)).toBe(8)
    expect(clampTime(5, Number.NaN)).toBe(5)
  })
})

describe('formatting', () => {
  it('money, sizes, clocks', () => {
    expect(formatMoney(0.32, 'en')).toBe('$0.32')
    expect(formatMoney(0.032, 'en')).toBe('$0.032')
    expect(formatMoney(null, 'en')).toBe('—')
    expect(formatMoney(1.5, 'zh-CN')).toBe('$1.50')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(4_200_000)).toBe('4.0 MB')
    expect(formatClock(75_000)).toBe('1:15')
    expect(formatClock(3_725_000)).toBe('1:02:05')
    expect(priceParts({ perSecond: null, perRequest: 0.25, currency: 'USD' })).toEqual({ amount: 0.25, per: 'video' })
    expect(priceParts({ perSecond: null, perRequest: null, currency: null })).toBeNull()
  })
})

describe('library paging', () => {
  it('builds the query from filters', () => {
    const q = queryOf({ ...defaultFilters, search: ' fox ', models: ['sora-2'], favorite: true, from: '2025-11-01', to: '2025-11-02' }, 2)
    expect(q.offset).toBe(200)
    expect(q.limit).toBe(100)
    expect(q.search).toBe('fox')
    expect(q.model).toEqual(['sora-2'])
    expect(q.favorite).toBe(true)
    expect((q.to ?? 0) - (q.from ?? 0)).toBe(2 * 86_400_000)
    expect(dayStart('nope')).toBeUndefined()
  })

  it('places pages into a sparse list as long as the total', () => {
    const item = (id: string): LibraryItem => ({ id }) as LibraryItem
    const list = placePage([], 1, [item('x'), item('y')], 250)
    expect(list.length).toBe(250)
    expect(list[100]?.id).toBe('x')
    expect(list[0]).toBeUndefined()
    expect(pagesFor(95, 205)).toEqual([0, 1, 2])
  })
})

describe('model lists', () => {
  const m = (id: string, vendor: string, extra: Partial<CatalogModel> = {}): CatalogModel => ({ id, name: id, vendor, modes: ['text-to-video'], available: true, upcoming: false, ...extra }) as CatalogModel
  const models = [m('b', 'Zed'), m('a', 'Acme'), m('up', 'Acme', { upcoming: true }), m('fav', 'Zed')]

  it('pins usable favourites, sinks unavailable', () => {
    expect(orderModels(models, ['fav', 'up']).map((x) => x.id)).toEqual(['fav', 'a', 'b', 'up'])
  })

  it('lists favourites, then the recently used (most recent first), then the rest by vendor', () => {
    const more = [...models, m('c', 'Acme'), m('d', 'Acme')]
    const recent = recentModels(['d', 'd', 'b', 'fav', 'up', 'b'])
    expect(recent).toEqual(['d', 'b', 'fav', 'up'])
    expect(orderModels(more, ['fav'], recent).map((x) => x.id)).toEqual(['fav', 'd', 'b', 'a', 'c', 'up'])
    expect(modelGroup(more[5], new Set(['fav']), new Set(recent))).toBe('recent')
    expect(modelGroup(more[2], new Set(['fav']), new Set(recent))).toBe('off')
  })

  it('searches id, name and vendor; filters by mode', () => {
    expect(models.filter((x) => matchesModel(x, { search: 'zed', vendor: null, mode: null })).map((x) => x.id)).toEqual(['b', 'fav'])
    expect(models.filter((x) => matchesModel(x, { search: '', vendor: null, mode: 'image-to-video' }))).toEqual([])
  })

  it('opens with the last model when it still works', () => {
    expect(initialModel(models, 'b', [])?.id).toBe('b')
    expect(initialModel(models, 'up', ['fav'])?.id).toBe('fav')
  })
})

describe('compare runs', () => {
  it('groups compare jobs by batch, newest run first', () => {
    const j = (id: string, batchId: string | null, createdAt: number, lineage: JobView['lineage'] = 'compare'): JobView => ({ id, batchId, createdAt, lineage, spec: { model: 'm', prompt: `p${batchId}` }, state: 'queued', updatedAt: createdAt }) as JobView
    const runs = compareRuns(jobsFromList([j('a1', 'A', 1), j('a2', 'A', 2), j('b1', 'B', 10), j('x', null, 5, null)]))
    expect(runs.map((r) => r.key)).toEqual(['B', 'A'])
    expect(runs[1].jobIds).toEqual(['a1', 'a2'])
  })
})

describe('store selectors', () => {
  it('gives the same favourites array on every call before settings arrive (a fresh [] loops React forever)', () => {
    const before = useApp.getState()
    expect(before.settings).toBeNull()
    expect(selectFavoriteModels(before)).toBe(selectFavoriteModels(useApp.getState()))
    expect(selectFavoriteModels(before)).toEqual([])
  })
})
