import { describe, expect, it } from 'vitest'
import { adapterFor, familyForEndpointPath, familyForModelId } from '../../src/core/adapters/index'
import { PROVIDER_FAMILIES } from '../../src/shared/jobs'
import { fx } from './fixtures'

describe('adapterFor', () => {
  it('has one adapter per family, with the whole interface', () => {
    for (const family of PROVIDER_FAMILIES) {
      const a = adapterFor(family)
      expect(a.family).toBe(family)
      for (const fn of ['validate', 'buildCreate', 'parseCreate', 'buildPoll', 'parsePoll'] as const) expect(typeof a[fn]).toBe('function')
    }
    expect(adapterFor('openai-videos').contentRequest).toBeTypeOf('function')
    expect(adapterFor('openai-videos').buildRemix).toBeTypeOf('function')
    expect(adapterFor('kling').buildLookup).toBeTypeOf('function')
    expect(adapterFor('kling').parseLookup).toBeTypeOf('function')
  })
})

describe('familyForEndpointPath', () => {
  it.each([
    ['/v1/videos', 'openai-videos'],
    ['/v1/videos/{id}/remix', 'openai-videos'],
    ['/runwayml/v1/image_to_video', 'runway'],
    ['/runway/pro/generate', 'runway'],
    ['/kling/v1/videos/text2video', 'kling'],
    ['/kling/v1/videos/image2video', 'kling'],
    ['/grok/v1/videos/generations', 'xai'],
    ['https://api.cometapi.com/v1/videos?variant=video', 'openai-videos'],
    ['v1/videos', 'openai-videos'],
    ['/V1/Videos', 'openai-videos'],
    ['/v1/chat/completions', null],
    ['/v1/videosx', null],
    ['/volc/v3/contents/generations/tasks', null],
    ['', null]
  ])('%s → %s', (path, family) => {
    expect(familyForEndpointPath(path)).toBe(family)
  })

  it('reads the paths hidden in the catalog fixture\'s JSON-string endpoints', () => {
    const rows = (fx('catalog.response.data') as { id: string; endpoints?: string }[]).filter((r) => r.endpoints)
    const decode = (v: unknown): string[] => {
      if (typeof v === 'string') {
        try {
          return decode(JSON.parse(v))
        } catch {
          return [v]
        }
      }
      if (Array.isArray(v)) return v.flatMap(decode)
      if (typeof v === 'object' && v !== null) {
        const rec = v as Record<string, unknown>
        return typeof rec.path === 'string' ? [rec.path] : Object.values(rec).flatMap(decode)
      }
      return []
    }
    const families = Object.fromEntries(rows.map((r) => [r.id, decode(r.endpoints).map(familyForEndpointPath)]))
    expect(families).toEqual({ 'sora-2': ['openai-videos'], 'kling-v3': ['kling'] })
  })
})

describe('familyForModelId', () => {
  it.each([
    ['sora-2', 'openai-videos'],
    ['sora-2-pro', 'openai-videos'],
    ['doubao-seedance-2-0-fast', 'openai-videos'],
    ['seedance-2-5', 'openai-videos'],
    ['veo3.1-fast', 'openai-videos'],
    ['wan2.6', 'openai-videos'],
    ['viduq3-turbo', 'openai-videos'],
    ['happyhorse-1.0', 'openai-videos'],
    ['omni-fast', 'openai-videos'],
    ['gen3a_turbo', 'runway'],
    ['gen4_turbo', 'runway'],
    ['runway-gen4', 'runway'],
    ['kling-v2-6', 'kling'],
    ['Kling-V3', 'kling'],
    ['grok-imagine-video', 'xai'],
    ['grok-imagine-video-1.5', 'xai'],
    ['grok-4', null],
    ['gpt-4o', null],
    ['wanderer', null],
    ['omni-moderation-latest', null],
    ['minimax-h3', null]
  ])('%s → %s', (id, family) => {
    expect(familyForModelId(id)).toBe(family)
  })
})
