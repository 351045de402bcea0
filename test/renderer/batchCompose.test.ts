import { describe, expect, it } from 'vitest'
import type { ImageCard } from '../../src/shared/ipc/contract'
import type { CatalogModel } from '../../src/shared/modelTypes'
import { rulesForModel } from '../../src/shared/modelRules'
import { batchCounts, cardStatus, markDuplicates, mergeCards, planBatch, replaceCard, type BatchData } from '../../src/renderer/src/store/batchModel'
import { adaptDraftToModel, draftErrors, draftFromSpec, emptyDraft, finalSpec, specFromDraft, visibleErrors } from '../../src/renderer/src/store/composeModel'

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
