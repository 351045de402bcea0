import { describe, expect, it } from 'vitest'
import { rulesForModel } from '../../src/shared/modelRules'

const MB = 1024 * 1024

describe('rulesForModel: known models', () => {
  it('sora-2: 4–20 s in steps of the two doc generations, two sizes, one matching image, remix', () => {
    const r = rulesForModel('sora-2', 'openai-videos')
    expect(r.ruleSet).toBe('sora-2')
    expect(r.seconds?.allowed).toEqual([4, 8, 12, 16, 20])
    expect(r.size?.allowed).toEqual(['720x1280', '1280x720'])
    expect(r.images).toMatchObject({ min: 0, max: 1, mustMatchSize: true })
    expect(r.prompt.max).toBe(32000)
    expect(r.remix).toBe(true)
    expect(r.seed).toBeUndefined()
    expect(r.negativePrompt).toBeUndefined()
  })

  it('sora-2-pro adds the tall and wide 1024x1792 sizes; dated snapshots share the rules', () => {
    expect(rulesForModel('sora-2-pro', 'openai-videos').size?.allowed).toEqual(['720x1280', '1280x720', '1024x1792', '1792x1024'])
    expect(rulesForModel('sora-2-pro-2025-10-06', 'openai-videos').ruleSet).toBe('sora-2-pro')
    expect(rulesForModel('SORA-2', 'openai-videos').ruleSet).toBe('sora-2')
  })

  it('Seedance 2.0: 4–15 s, ratio labels, 480p/720p, one image', () => {
    for (const id of ['doubao-seedance-2-0', 'doubao-seedance-2-0-fast']) {
      const r = rulesForModel(id, 'openai-videos')
      expect(r.ruleSet).toBe('seedance-2-0')
      expect(r.seconds).toMatchObject({ min: 4, max: 15, integer: true })
      expect(r.size?.allowed).toEqual(['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'])
      expect(r.resolution?.allowed).toEqual(['480p', '720p'])
      expect(r.images.max).toBe(1)
    }
  })

  it('Seedance 1.x pro: text only, with 1080p', () => {
    const r15 = rulesForModel('doubao-seedance-1-5-pro', 'openai-videos')
    expect(r15.seconds).toMatchObject({ min: 4, max: 12 })
    expect(r15.resolution?.allowed).toEqual(['480p', '720p', '1080p'])
    expect(r15.images.max).toBe(0)
    expect(r15.modes).toEqual(['text-to-video'])
    const r10 = rulesForModel('doubao-seedance-1-0-pro', 'openai-videos')
    expect(r10.seconds).toMatchObject({ min: 2, max: 10 })
    expect(r10.images.max).toBe(0)
    expect(rulesForModel('doubao-seedance-1-5-pro-251215', 'openai-videos').ruleSet).toBe('seedance-1-5-pro')
  })

  it('seedance-2-5: 4–30 s, 480p/720p, image ok', () => {
    const r = rulesForModel('seedance-2-5', 'openai-videos')
    expect(r.seconds).toMatchObject({ min: 4, max: 30 })
    expect(r.resolution?.allowed).toEqual(['480p', '720p'])
    expect(r.images.max).toBe(1)
  })

  it('Veo 3 and 3.1: 16x9/9x16, 4/6/8 s default 8, up to two ordered images', () => {
    for (const id of ['veo3', 'veo3-fast', 'veo3.1', 'veo3.1-fast']) {
      const r = rulesForModel(id, 'openai-videos')
      expect(r.ruleSet).toBe('veo3')
      expect(r.size?.allowed).toEqual(['16x9', '9x16'])
      expect(r.seconds).toMatchObject({ allowed: [4, 6, 8], default: 8 })
      expect(r.images).toMatchObject({ min: 0, max: 2 })
    }
  })

  it('Wan, Vidu, HappyHorse: text only, their own seconds and sizes', () => {
    const wan26 = rulesForModel('wan2.6', 'openai-videos')
    expect(wan26.seconds?.allowed).toEqual([5, 10, 15])
    expect(wan26.size?.allowed).toHaveLength(9)
    expect(wan26.images.max).toBe(0)
    const wan27 = rulesForModel('wan2.7', 'openai-videos')
    expect(wan27.seconds).toMatchObject({ min: 2, max: 15 })
    expect(wan27.size?.allowed).toEqual(['1280x720', '720x1280', '1920x1080', '1080x1920', '1440x1440'])
    const vidu = rulesForModel('viduq3-turbo', 'openai-videos')
    expect(vidu.seconds).toMatchObject({ min: 1, max: 16 })
    expect(vidu.size?.allowed).toEqual(['640x352', '960x528', '1280x720', '1920x1080'])
    const hh = rulesForModel('happyhorse-1.0', 'openai-videos')
    expect(hh.seconds).toMatchObject({ min: 3, max: 15 })
    expect(hh.size?.allowed).toContain('1440x1440')
  })

  it('Omni: aspect ratio + resolution, seconds default 4, no size', () => {
    const r = rulesForModel('omni-fast', 'openai-videos')
    expect(r.aspectRatio?.allowed).toEqual(['16:9', '9:16', '1:1'])
    expect(r.resolution?.allowed).toEqual(['720p', '1080p'])
    expect(r.seconds?.default).toBe(4)
    expect(r.size).toBeUndefined()
  })

  it('Runway: image-to-video only, exactly one image, 512-character prompt, 5/10 s, seed range', () => {
    for (const id of ['gen3a_turbo', 'gen4_turbo']) {
      const r = rulesForModel(id, 'runway')
      expect(r.modes).toEqual(['image-to-video'])
      expect(r.images).toMatchObject({ min: 1, max: 1 })
      expect(r.prompt).toEqual({ required: false, max: 512 })
      expect(r.seconds?.allowed).toEqual([5, 10])
      expect(r.seed).toEqual({ min: 0, max: 999999999 })
      expect(r.aspectRatio?.allowed).toEqual(expect.arrayContaining(['1280:768', '1584:672', '16:9', '9:16']))
      // Runway's 5 MB data-URI cap, less the base64 growth.
      expect(r.images.maxBytes).toBeLessThan(3.8 * 1000 * 1000)
    }
    expect(rulesForModel('gen3a_turbo', 'runway').aspectRatio?.default).toBe('1280:768')
  })

  it('Kling: 500/200 characters, 5/10 s, 7 ratios, 2 JPEG/PNG images of 300 px and 10 MB', () => {
    const r = rulesForModel('kling-v2-6', 'kling')
    expect(r.prompt.max).toBe(500)
    expect(r.negativePrompt?.max).toBe(200)
    expect(r.seconds?.allowed).toEqual([5, 10])
    expect(r.aspectRatio?.allowed).toEqual(['16:9', '9:16', '1:1', '4:3', '3:4', '3:2', '2:3'])
    expect(r.images).toMatchObject({ min: 0, max: 2, types: ['jpeg', 'png'], maxBytes: 10 * MB, minWidth: 300, minHeight: 300 })
  })

  it('xAI: 1–15 s default 8, three resolutions, seven ratios, one JPEG/PNG/WebP image', () => {
    const r = rulesForModel('grok-imagine-video', 'xai')
    expect(r.seconds).toMatchObject({ min: 1, max: 15, default: 8, integer: true })
    expect(r.resolution?.allowed).toEqual(['480p', '720p', '1080p'])
    expect(r.aspectRatio?.allowed).toHaveLength(7)
    expect(r.images).toMatchObject({ min: 0, max: 1, types: ['jpeg', 'png', 'webp'] })
    expect(rulesForModel('grok-imagine-video-1.5', 'xai').ruleSet).toBe('grok-imagine-video')
  })
})

describe('rulesForModel: unknown ids and family mismatches', () => {
  it('gives each family permissive defaults and names them', () => {
    const generic = rulesForModel('minimax-h3', 'openai-videos')
    expect(generic.ruleSet).toBe('generic-v1-videos')
    expect(generic.size?.open).toBe(true)
    expect(generic.resolution?.open).toBe(true)
    expect(rulesForModel('runway-next', 'runway').ruleSet).toBe('runway-default')
    expect(rulesForModel('runway-next', 'runway').aspectRatio?.open).toBe(true)
    expect(rulesForModel('kling-video-x', 'kling').ruleSet).toBe('kling')
    expect(rulesForModel('some-kling-model', 'kling').ruleSet).toBe('kling-default')
    expect(rulesForModel('grok-next', 'xai').ruleSet).toBe('xai-default')
  })

  it('a known id sent through another family gets that family\'s defaults', () => {
    expect(rulesForModel('sora-2', 'kling').ruleSet).toBe('kling-default')
  })

  it('returns a copy each time', () => {
    const a = rulesForModel('sora-2', 'openai-videos')
    a.prompt.max = 1
    expect(rulesForModel('sora-2', 'openai-videos').prompt.max).toBe(32000)
  })
})
