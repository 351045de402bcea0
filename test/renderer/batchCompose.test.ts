import { describe, expect, it } from 'vitest'
import type { ImageCard } from '../../src/shared/ipc/contract'
import type { CatalogModel } from '../../src/shared/modelTypes'
import { rulesForModel } from '../../src/shared/modelRules'
import { batchCounts, cardStatus, checkCard, fixableCards, markDuplicates, mergeCards, planBatch, replaceCard, sizePerImage, sizesOf, type BatchData } from '../../src/renderer/src/store/batchModel'
import { adaptDraftToModel, draftErrors, draftForModel, draftFromSpec, emptyDraft, finalSpec, rememberFields, rememberedOf, specFromDraft, visibleErrors } from '../../src/renderer/src/store/composeModel'

function model(id: string, family: CatalogModel['family'], pricing: Partial<CatalogModel['pricing']>): CatalogModel {
  const rules = rulesForModel(id, family)
  return { id, name: id, vendor: 'V', family, familySource: 'prefix', features: [], modes: [...rules.modes], pricing: { perSecond: null, perRequest: null, currency: 'USD', ...pricing }, endpoints: [], upcoming: false, available: true, unavailableReason: null, docUrl: null, rules }
}

function card(path: string, hash: string, patch: Partial<ImageCard> = {}): ImageCard {
  return { path, name: path.slice(1), token: `t${path}`, info: { path, type: 'jpeg', bytes: 1000, width: 1280, height: 720 }, hash, duplicateOf: null, problems: [], fix: null, ...patch }
}

const kling = model('kling-v3', 'kling', { perRequest: 0.3 })
const sora = model('sora-2', 'openai-videos', { perSecond: 0.08 })

function data(cards: ImageCard[], patch: Partial<BatchData> = {}): BatchData {
  return { cards, prompts: {}, keepDuplicates: new Set(), sharedPrompt: 'shared', settings: { seconds: null, size: '', aspectRatio: '', resolution: '' }, createErrors: {}, ...patch }
}

describe('batch cards', () => {
  it('marks later cards with the same hash as duplicates, across drops', () => {
    const first = mergeCards([], [card('/a', 'h1'), card('/b', 'h2')])
    const merged = mergeCards(first, [card('/c', 'h1'), card('/a', 'h1')])
    expect(merged.map((c) => c.path)).toEqual(['/a', '/b', '/c'])
    expect(merged[2].duplicateOf).toBe('/a')
    expect(markDuplicates(merged.slice(1))[1].duplicateOf).toBeNull()
  })

  it('excludes duplicates by default and problem cards always', () => {
    const d = data(markDuplicates([card('/a', 'h1'), card('/b', 'h1'), card('/c', 'h3', { problems: [{ field: 'images[0]', code: 'image.tooSmall', message: 'small' }] })]))
    expect(batchCounts(d)).toEqual({ ready: 1, duplicate: 1, problem: 1 })
    expect(cardStatus(d.cards[1], { ...d, keepDuplicates: new Set(['/b']) })).toBe('ready')
  })

  it('plans one spec per usable card with its own or the shared prompt and the total cost', () => {
    const d = data([card('/a', 'h1'), card('/b', 'h2')], { prompts: { '/b': 'own' } })
    const plan = planBatch(d, kling)
    expect(plan.specs.map((s) => s.prompt)).toEqual(['shared', 'own'])
    expect(plan.specs[0].images).toEqual(['/a'])
    expect(plan.specs[0].seconds).toBe(5)
    expect(plan.total).toBe(0.6)
    expect(planBatch(d, sora).total).toBe(0.64)
  })

  it('a fixed card replaces the original and keeps its own prompt', () => {
    const out = replaceCard({ cards: [card('/a', 'h1', { fix: { width: 1280, height: 720 } })], prompts: { '/a': 'mine' } }, '/a', card('/a-fixed', 'h9'))
    expect(out.cards.map((c) => c.path)).toEqual(['/a-fixed'])
    expect(out.prompts).toEqual({ '/a-fixed': 'mine' })
  })
})

describe('a mixed-orientation batch on a model whose image must match the size (Sora)', () => {
  const landscape = (i: number): ImageCard => card(`/l${i}`, `hl${i}`, { info: { path: `/l${i}`, type: 'png', bytes: 5000, width: 1280, height: 720 } })
  const portrait = (i: number): ImageCard => card(`/p${i}`, `hp${i}`, { info: { path: `/p${i}`, type: 'png', bytes: 5000, width: 720, height: 1280 } })
  const mixed = [0, 1, 2, 3].flatMap((i) => [landscape(i), portrait(i)])

  it('by default sends each image at the size of its own orientation: all 8 ready, none to fix', () => {
    expect(sizePerImage(sora)).toBe(true)
    expect(sizePerImage(kling)).toBe(false)
    const d = data(mixed)
    expect(batchCounts(d, sora)).toEqual({ ready: 8, duplicate: 0, problem: 0 })
    const plan = planBatch(d, sora)
    expect(plan.specs).toHaveLength(8)
    expect(plan.specs.map((s) => [s.images?.[0], s.size])).toEqual(mixed.map((c) => [c.path, c.path.startsWith('/l') ? '1280x720' : '720x1280']))
    expect(sizesOf(plan)).toEqual([
      { size: '1280x720', count: 4 },
      { size: '720x1280', count: 4 }
    ])
    expect(plan.total).toBe(2.56)
  })

  it('with one Size chosen, the other orientation needs a fix that crops to that Size, and the fix follows the Size', () => {
    const d = data(mixed, { settings: { seconds: null, size: '1280x720', aspectRatio: '', resolution: '' } })
    expect(batchCounts(d, sora)).toEqual({ ready: 4, duplicate: 0, problem: 4 })
    const check = checkCard(portrait(0), d, sora)
    expect(check.problems.map((p) => p.code)).toEqual(['image.sizeMismatch'])
    expect(check.fix).toEqual({ width: 1280, height: 720 })
    expect(fixableCards(d, sora).map((f) => [f.card.path, f.fix])).toEqual([0, 1, 2, 3].map((i) => [`/p${i}`, { width: 1280, height: 720 }]))
    // Changing the Size moves the problem to the other cards, each with a fix to the new Size.
    const other = { ...d, settings: { ...d.settings, size: '720x1280' } }
    expect(checkCard(portrait(0), other, sora).problems).toEqual([])
    expect(checkCard(landscape(0), other, sora).fix).toEqual({ width: 720, height: 1280 })
  })

  it('a card the engine refused on create keeps a fix button, whatever main said when it was dropped', () => {
    const refused = { '/p0': [{ field: 'images[0]', code: 'image.sizeMismatch', message: 'size' }] }
    const d = data([portrait(0)], { settings: { seconds: null, size: '1280x720', aspectRatio: '', resolution: '' }, createErrors: refused })
    expect(checkCard(d.cards[0], d, sora)).toEqual({ problems: [expect.objectContaining({ code: 'image.sizeMismatch' })], fix: { width: 1280, height: 720 } })
    expect(cardStatus(d.cards[0], d, sora)).toBe('problem')
  })
})

describe('Compose remembers the last fields of each model', () => {
  it('opens a model with the fields it was last sent with, when it still accepts them', () => {
    const remembered = rememberedOf({ model: 'sora-2', prompt: 'p', seconds: 8, size: '720x1280' })
    expect(remembered).toEqual({ seconds: 8, size: '720x1280' })
    expect(draftForModel(emptyDraft(), sora, remembered)).toMatchObject({ model: 'sora-2', seconds: 8, size: '720x1280' })
    // Values the model no longer takes are dropped, not sent.
    expect(draftForModel(emptyDraft(), sora, { seconds: 7, size: '999x999' })).toMatchObject({ seconds: null, size: '' })
    expect(draftForModel(emptyDraft(), sora, undefined)).toEqual(adaptDraftToModel(emptyDraft(), sora))
  })

  it('never switches the form to image-to-video by itself: images are not remembered, and Generate would refuse an empty image slot', () => {
    const fromImages = rememberedOf({ model: 'sora-2', prompt: 'p', seconds: 4, images: ['/a.png'] })
    expect(fromImages).toEqual({ seconds: 4 })
    expect(draftForModel(emptyDraft(), sora, { ...fromImages, mode: 'image-to-video' } as never).mode).toBe('text-to-video')
  })

  it('what the form already holds and the model accepts wins over what was remembered', () => {
    const typed = { ...emptyDraft('kling-v3'), prompt: 'typed', seconds: 12, size: '1280x720' }
    expect(draftForModel(typed, sora, { seconds: 8, size: '720x1280' })).toMatchObject({ prompt: 'typed', seconds: 12, size: '1280x720' })
  })

  it('keeps the most recent models only', () => {
    let all = {}
    for (let i = 0; i < 60; i++) all = rememberFields(all, `m${i}`, { seconds: i }, 50)
    all = rememberFields(all, 'm20', { seconds: 99 }, 50)
    const ids = Object.keys(all)
    expect(ids).toHaveLength(50)
    expect(ids[0]).toBe('m10')
    expect(ids[ids.length - 1]).toBe('m20')
  })
})

describe('compose draft', () => {
  it('sends only the fields the model has, with its defaults filled', () => {
    const draft = { ...emptyDraft('sora-2'), prompt: 'p', negativePrompt: 'n', seed: '5', aspectRatio: '16:9' }
    expect(specFromDraft(draft, sora.rules)).toEqual({ model: 'sora-2', prompt: 'p' })
    expect(finalSpec(draft, sora.rules)).toEqual({ model: 'sora-2', prompt: 'p', seconds: 4, size: '1280x720' })
  })

  it('switching model keeps what the new one accepts and drops the rest', () => {
    const d = { ...emptyDraft('kling-v3'), prompt: 'p', negativePrompt: 'n', seconds: 10, aspectRatio: '3:2' }
    const s = adaptDraftToModel(d, sora)
    expect(s.negativePrompt).toBe('')
    expect(s.seconds).toBeNull()
    expect(s.aspectRatio).toBe('')
    expect(s.prompt).toBe('p')
    expect(adaptDraftToModel(d, kling).seconds).toBe(10)
  })

  it('runway is image-only: the mode follows the model', () => {
    const runway = model('gen4_turbo', 'runway', { perRequest: 0.25 })
    expect(adaptDraftToModel(emptyDraft(), runway).mode).toBe('image-to-video')
  })

  it('live errors hide "not filled in yet" until the first submit', () => {
    const d = { ...emptyDraft('kling-v3'), mode: 'image-to-video' as const, prompt: 'x'.repeat(501) }
    const errors = draftErrors(d, kling.rules)
    expect(errors.map((e) => e.code).sort()).toEqual(['images.tooFew', 'prompt.tooLong'])
    expect(visibleErrors(errors, false).map((e) => e.code)).toEqual(['prompt.tooLong'])
    expect(visibleErrors(errors, true)).toHaveLength(2)
  })

  it('a job spec prefills the form (duplicate / generate again)', () => {
    const d = draftFromSpec({ model: 'kling-v3', prompt: 'again', seconds: 10, negativePrompt: 'blur', images: ['/x.jpg'] }, kling)
    expect(d.prompt).toBe('again')
    expect(d.seconds).toBe(10)
    expect(d.mode).toBe('image-to-video')
    expect(d.negativePrompt).toBe('blur')
  })
})

describe('batch plan issues', () => {
  it('an empty shared prompt is reported once, not per card', async () => {
    const { planIssues } = await import('../../src/renderer/src/store/batchModel')
    const d = data([card('/a', 'h1'), card('/b', 'h2')], { sharedPrompt: '' })
    const issues = planIssues(planBatch(d, sora), sora)
    expect(issues.map((e) => e.code)).toEqual(['prompt.empty'])
    expect(planIssues(planBatch({ ...d, sharedPrompt: 'ok' }, sora), sora)).toEqual([])
  })
})
