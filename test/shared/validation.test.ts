import { describe, expect, it } from 'vitest'
import type { JobSpec } from '../../src/shared/jobs'
import { rulesForModel } from '../../src/shared/modelRules'
import type { FieldError, ImageInfo, ImageType, ModelRules } from '../../src/shared/modelTypes'
import { applyDefaults, estimateCost, promptRequired, validateSpec } from '../../src/shared/validation'

const MB = 1024 * 1024
const sora = rulesForModel('sora-2', 'openai-videos')
const kling = rulesForModel('kling-v2-6', 'kling')
const runway = rulesForModel('gen3a_turbo', 'runway')
const wan27 = rulesForModel('wan2.7', 'openai-videos')

function spec(extra: Partial<JobSpec> = {}): JobSpec {
  return { model: 'sora-2', prompt: 'A paper airplane glides across a desk.', ...extra }
}

function img(type: ImageType | null, width: number | null, height: number | null, bytes = 50_000, path = '/pics/cat.png'): ImageInfo {
  return { path, type, width, height, bytes }
}

function only(errors: FieldError[]): FieldError {
  expect(errors).toHaveLength(1)
  return errors[0]
}

describe('prompt', () => {
  it('accepts an ordinary prompt', () => {
    expect(validateSpec(spec(), sora, [])).toEqual([])
  })

  it('rejects an empty prompt and a prompt of only whitespace', () => {
    expect(only(validateSpec(spec({ prompt: '' }), sora, []))).toMatchObject({ field: 'prompt', code: 'prompt.empty' })
    const blank = only(validateSpec(spec({ prompt: ' \n\t ' }), sora, []))
    expect(blank).toMatchObject({ field: 'prompt', code: 'prompt.empty' })
    expect(blank.message).toContain('only spaces')
  })

  it('lets Runway go without a prompt (promptText is optional)', () => {
    expect(validateSpec({ model: 'gen3a_turbo', prompt: '' }, runway, [img('png', 1280, 768)])).toEqual([])
  })

  it('counts length in code points, so emoji and CJK count once', () => {
    const emoji = '🎬'.repeat(500) // 1000 UTF-16 units
    expect(validateSpec({ model: 'kling-v2-6', prompt: emoji }, kling, [])).toEqual([])
    const e = only(validateSpec({ model: 'kling-v2-6', prompt: `${emoji}猫` }, kling, []))
    expect(e).toMatchObject({ field: 'prompt', code: 'prompt.tooLong', params: { max: 500, actual: 501 } })
    expect(e.message).toContain('500')
  })

  it('rejects a prompt over Sora\'s 32000', () => {
    expect(only(validateSpec(spec({ prompt: 'a'.repeat(32001) }), sora, [])).code).toBe('prompt.tooLong')
  })

  it('accepts right-to-left text, tabs and line breaks', () => {
    expect(validateSpec(spec({ prompt: 'طائرة ورقية\nמטוס נייר\tpaper plane' }), sora, [])).toEqual([])
  })

  it('rejects control characters with their code point and position', () => {
    const e = only(validateSpec(spec({ prompt: 'ab🎬\u0007c' }), sora, []))
    expect(e).toMatchObject({ field: 'prompt', code: 'prompt.controlChar', params: { codePoint: 'U+0007', position: 4 } })
    expect(e.message).toContain('U+0007')
    // Line breaks pasted from Windows (CRLF) are ordinary text.
    expect(validateSpec(spec({ prompt: 'line\r\nbreak' }), sora, [])).toEqual([])
    expect(only(validateSpec(spec({ prompt: 'bell\u001bescape' }), sora, [])).params?.codePoint).toBe('U+001B')
    expect(only(validateSpec(spec({ prompt: 'x\u0085y' }), sora, [])).code).toBe('prompt.controlChar')
  })

  it('rejects a lone surrogate (cannot be sent as UTF-8)', () => {
    expect(only(validateSpec(spec({ prompt: 'broken \uD83C here' }), sora, [])).code).toBe('prompt.controlChar')
  })
})

describe('negative prompt', () => {
  it('is refused where the model has none, naming the fields it has', () => {
    const e = only(validateSpec(spec({ negativePrompt: 'blurry' }), sora, []))
    expect(e).toMatchObject({ field: 'negativePrompt', code: 'negativePrompt.unsupported' })
    expect(e.allowed).toEqual(['prompt', 'seconds', 'size', 'images'])
    expect(e.message).toContain('prompt, seconds, size, images')
  })

  it('is limited to 200 characters on Kling', () => {
    const base = { model: 'kling-v2-6', prompt: 'A beach' }
    expect(validateSpec({ ...base, negativePrompt: 'x'.repeat(200) }, kling, [])).toEqual([])
    expect(only(validateSpec({ ...base, negativePrompt: 'x'.repeat(201) }, kling, []))).toMatchObject({
      field: 'negativePrompt',
      code: 'negativePrompt.tooLong',
      params: { max: 200, actual: 201 }
    })
  })
})

describe('seconds', () => {
  it('must be one of Sora\'s allowed values', () => {
    const e = only(validateSpec(spec({ seconds: 5 }), sora, []))
    expect(e).toMatchObject({ field: 'seconds', code: 'seconds.notAllowed', allowed: [4, 8, 12, 16, 20] })
    expect(e.message).toContain('4, 8, 12, 16 or 20')
    expect(validateSpec(spec({ seconds: 20 }), sora, [])).toEqual([])
  })

  it('must be in range and whole where the model has a range', () => {
    const base = { model: 'wan2.7', prompt: 'A robot' }
    expect(only(validateSpec({ ...base, seconds: 1 }, wan27, []))).toMatchObject({ code: 'seconds.outOfRange', params: { min: 2, max: 15 } })
    expect(only(validateSpec({ ...base, seconds: 16 }, wan27, [])).code).toBe('seconds.outOfRange')
    expect(only(validateSpec({ ...base, seconds: 2.5 }, wan27, [])).code).toBe('seconds.notInteger')
    expect(only(validateSpec({ ...base, seconds: Number.NaN }, wan27, [])).code).toBe('seconds.notANumber')
    expect(validateSpec({ ...base, seconds: 15 }, wan27, [])).toEqual([])
  })

  it('is refused on a model without a length setting', () => {
    const noSeconds: ModelRules = { ...sora, seconds: undefined }
    expect(only(validateSpec(spec({ seconds: 4 }), noSeconds, [])).code).toBe('seconds.unsupported')
  })
})

describe('size, aspect ratio, resolution', () => {
  it('size must be in the model\'s list, with the list given', () => {
    const e = only(validateSpec(spec({ size: '1024x1792' }), sora, []))
    expect(e).toMatchObject({ field: 'size', code: 'size.notAllowed', allowed: ['720x1280', '1280x720'] })
    expect(e.message).toContain('720x1280, 1280x720')
    expect(validateSpec(spec({ model: 'sora-2-pro', size: '1024x1792' }), rulesForModel('sora-2-pro', 'openai-videos'), [])).toEqual([])
  })

  it('Seedance takes ratio labels, Veo takes 16x9', () => {
    const seedance = rulesForModel('doubao-seedance-2-0', 'openai-videos')
    expect(only(validateSpec(spec({ size: '1280x720' }), seedance, [])).code).toBe('size.notAllowed')
    expect(validateSpec(spec({ size: '21:9', resolution: '480p' }), seedance, [])).toEqual([])
    const veo = rulesForModel('veo3.1', 'openai-videos')
    expect(only(validateSpec(spec({ size: '16:9' }), veo, [])).allowed).toEqual(['16x9', '9x16'])
  })

  it('a field the model does not have is refused with the fields it has', () => {
    const e = only(validateSpec(spec({ aspectRatio: '16:9' }), sora, []))
    expect(e).toMatchObject({ field: 'aspectRatio', code: 'aspectRatio.unsupported' })
    expect(e.message).toContain('It takes: prompt, seconds, size, images')
    expect(only(validateSpec(spec({ resolution: '720p' }), wan27, [])).code).toBe('resolution.unsupported')
  })

  it('resolution and aspect ratio lists are checked', () => {
    const omni = rulesForModel('omni-fast', 'openai-videos')
    expect(only(validateSpec(spec({ resolution: '480p' }), omni, []))).toMatchObject({ code: 'resolution.notAllowed', allowed: ['720p', '1080p'] })
    expect(only(validateSpec(spec({ aspectRatio: '4:3' }), omni, []))).toMatchObject({ code: 'aspectRatio.notAllowed', allowed: ['16:9', '9:16', '1:1'] })
  })

  it('open lists of unknown models accept any value', () => {
    const generic = rulesForModel('minimax-h3', 'openai-videos')
    expect(validateSpec(spec({ size: '1024x1024', resolution: '4k', aspectRatio: '5:4', seconds: 6 }), generic, [])).toEqual([])
  })
})

describe('seed', () => {
  it('is a whole number in Runway\'s range', () => {
    const base = { model: 'gen3a_turbo', prompt: 'x' }
    const images = [img('png', 1280, 768)]
    expect(validateSpec({ ...base, seed: 999999999 }, runway, images)).toEqual([])
    expect(only(validateSpec({ ...base, seed: -1 }, runway, images))).toMatchObject({ field: 'seed', code: 'seed.outOfRange', params: { min: 0, max: 999999999 } })
    expect(only(validateSpec({ ...base, seed: 1000000000 }, runway, images)).code).toBe('seed.outOfRange')
    expect(only(validateSpec({ ...base, seed: 1.5 }, runway, images)).code).toBe('seed.outOfRange')
  })

  it('is refused where the model has none (Sora takes it only as an extra param)', () => {
    expect(only(validateSpec(spec({ seed: 1 }), sora, [])).code).toBe('seed.unsupported')
  })
})

describe('image count', () => {
  it('text-only models refuse images', () => {
    const e = only(validateSpec(spec({ images: ['/a.png'] }), wan27, [img('png', 1280, 720)]))
    expect(e).toMatchObject({ field: 'images', code: 'images.unsupported' })
    expect(e.message).toContain('text only')
  })

  it('too many and too few', () => {
    const two = [img('png', 1280, 720), img('png', 1280, 720)]
    expect(only(validateSpec(spec(), sora, two))).toMatchObject({ field: 'images', code: 'images.tooMany', params: { max: 1, actual: 2 } })
    const e = only(validateSpec({ model: 'gen3a_turbo', prompt: 'x' }, runway, []))
    expect(e).toMatchObject({ field: 'images', code: 'images.tooFew' })
    expect(e.message).toContain('exactly 1 image')
  })

  it('counts the spec\'s image paths even before they are probed', () => {
    expect(only(validateSpec(spec({ images: ['/a.png', '/b.png'] }), sora, [])).code).toBe('images.tooMany')
  })

  it('Kling takes two (image + tail), Veo two ordered frames', () => {
    const k = [img('jpeg', 300, 300), img('png', 600, 400)]
    expect(validateSpec({ model: 'kling-v2-6', prompt: 'x' }, kling, k)).toEqual([])
    expect(only(validateSpec({ model: 'kling-v2-6', prompt: 'x' }, kling, [...k, k[0]])).code).toBe('images.tooMany')
    expect(validateSpec(spec({ model: 'veo3.1' }), rulesForModel('veo3.1', 'openai-videos'), [img('png', 1, 1), img('png', 1, 1)])).toEqual([])
  })
})

describe('each image', () => {
  const k = { model: 'kling-v2-6', prompt: 'x' }

  it('not an image: judged by content, reported against its index', () => {
    const e = only(validateSpec(k, kling, [img('jpeg', 300, 300), img(null, null, null, 77, '/docs/scan.png')]))
    expect(e).toMatchObject({ field: 'images[1]', code: 'image.notImage', allowed: ['jpeg', 'png'] })
    expect(e.message).toContain('"scan.png" is not an image (looked at its content, not its name)')
  })

  it('type must be allowed (Kling: JPG/PNG only)', () => {
    const e = only(validateSpec(k, kling, [img('webp', 400, 400)]))
    expect(e).toMatchObject({ field: 'images[0]', code: 'image.typeNotAllowed', allowed: ['jpeg', 'png'] })
    expect(e.message).toContain('JPEG or PNG')
  })

  it('bytes over the limit, with both sizes in MB', () => {
    const e = only(validateSpec(k, kling, [img('png', 400, 400, 11 * MB)]))
    expect(e).toMatchObject({ field: 'images[0]', code: 'image.tooLarge', params: { actualMb: '11 MB', maxMb: '10 MB' } })
    expect(e.message).toContain('11 MB')
    expect(e.message).toContain('10 MB')
    expect(only(validateSpec(k, kling, [img('png', 400, 400, 10.4 * MB)])).message).toContain('10.4 MB')
  })

  it('too small (Kling: 300x300)', () => {
    const e = only(validateSpec(k, kling, [img('png', 100, 100)]))
    expect(e).toMatchObject({ code: 'image.tooSmall', params: { actual: '100x100', minWidth: 300, minHeight: 300 } })
    expect(e.message).toContain('at least 300x300')
    expect(only(validateSpec(k, kling, [img('png', 299, 400)])).code).toBe('image.tooSmall')
  })

  it('too big in pixels and aspect out of range', () => {
    const limited: ModelRules = { ...kling, images: { ...kling.images, maxWidth: 4000, maxHeight: 4000 } }
    expect(only(validateSpec(k, limited, [img('png', 5000, 3000)])).code).toBe('image.tooBig')
    const wide = only(validateSpec(k, kling, [img('png', 1000, 300)]))
    expect(wide).toMatchObject({ code: 'image.aspectOutOfRange' })
    expect(wide.message).toContain('1:2.5 to 2.5:1')
    expect(validateSpec(k, kling, [img('png', 750, 300)])).toEqual([])
  })

  it('a recognised image without a readable size is reported as damaged', () => {
    expect(only(validateSpec(k, kling, [img('png', null, null)])).code).toBe('image.unreadable')
  })

  it('Sora: the reference must match the size, and the app offers to resize', () => {
    const e = only(validateSpec(spec({ size: '1280x720' }), sora, [img('jpeg', 720, 1280, 5623, '/p/tall.jpg')]))
    expect(e).toMatchObject({ field: 'images[0]', code: 'image.sizeMismatch', params: { needed: '1280x720', actual: '720x1280' } })
    expect(e.message).toContain('exactly 1280x720')
    expect(e.message).toContain('resize and crop')
    expect(validateSpec(spec({ size: '720x1280' }), sora, [img('jpeg', 720, 1280)])).toEqual([])
    // No size given: the default size is what will be sent.
    expect(only(validateSpec(spec(), sora, [img('png', 100, 100)])).params?.needed).toBe('1280x720')
  })
})

describe('remix', () => {
  it('only where the model remixes, and without images', () => {
    expect(validateSpec(spec({ remixOf: 'video_1' }), sora, [])).toEqual([])
    expect(only(validateSpec(spec({ remixOf: 'video_1' }), wan27, [])).code).toBe('remixOf.unsupported')
    expect(only(validateSpec(spec({ remixOf: 'video_1' }), sora, [img('png', 1280, 720)])).code).toBe('images.notWithRemix')
  })
})

describe('applyDefaults', () => {
  it('fills the documented defaults, keeps what the user chose', () => {
    expect(applyDefaults(spec(), sora)).toMatchObject({ seconds: 4, size: '1280x720' })
    expect(applyDefaults(spec({ seconds: 12, size: '720x1280' }), sora)).toMatchObject({ seconds: 12, size: '720x1280' })
    expect(applyDefaults(spec(), rulesForModel('doubao-seedance-2-0', 'openai-videos'))).toMatchObject({ seconds: 5, size: '16:9', resolution: '720p' })
    expect(applyDefaults(spec(), rulesForModel('grok-imagine-video', 'xai')).seconds).toBe(8)
  })

  it('gives Kling no aspect ratio (image-to-video has none) and leaves remixes alone', () => {
    expect(applyDefaults({ model: 'kling-v2-6', prompt: 'x' }, kling)).toEqual({ model: 'kling-v2-6', prompt: 'x', seconds: 5 })
    expect(applyDefaults(spec({ remixOf: 'video_1' }), sora)).toEqual(spec({ remixOf: 'video_1' }))
  })

  it('does not change its input', () => {
    const s = spec()
    applyDefaults(s, sora)
    expect(s.seconds).toBeUndefined()
  })
})

describe('estimateCost', () => {
  const perSecond = { perSecond: 0.08, perRequest: null, currency: 'USD' }
  it('per second × the job\'s seconds, or the model default', () => {
    expect(estimateCost(perSecond, sora, spec({ seconds: 12 }))).toBe(0.96)
    expect(estimateCost(perSecond, sora, spec())).toBe(0.32)
    expect(estimateCost({ perSecond: 0.08, perRequest: null, currency: null }, sora, spec({ seconds: 3 }))).toBe(0.24)
  })

  it('per request, and null when unpriced or the length is unknown', () => {
    expect(estimateCost({ perSecond: null, perRequest: 0.3, currency: 'USD' }, kling, { model: 'kling-v3', prompt: 'x' })).toBe(0.3)
    expect(estimateCost({ perSecond: null, perRequest: null, currency: null }, sora, spec())).toBeNull()
    expect(estimateCost(perSecond, rulesForModel('minimax-h3', 'openai-videos'), spec())).toBeNull()
  })
})

describe('an empty prompt: the label and the check follow one rule', () => {
  const kling3 = rulesForModel('kling-v3', 'kling')
  const photo = img('png', 1024, 1024, 50_000, '/pics/a.png')

  it('Kling text-to-video refuses an empty prompt here (not only at create); with an image it is optional', () => {
    expect(validateSpec({ model: 'kling-v3', prompt: '' }, kling3, []).map((e) => e.code)).toContain('prompt.empty')
    expect(validateSpec({ model: 'kling-v3', prompt: '', images: [photo.path] }, kling3, [photo]).map((e) => e.code)).not.toContain('prompt.empty')
    expect(promptRequired(kling3, 0)).toBe(true)
    expect(promptRequired(kling3, 1)).toBe(false)
  })

  it('for every rule set, "(optional)" is shown exactly when an empty prompt passes the check', () => {
    const ids: [string, Parameters<typeof rulesForModel>[1]][] = [
      ['sora-2', 'openai-videos'], ['doubao-seedance-2-0', 'openai-videos'], ['veo3.1', 'openai-videos'], ['wan2.6', 'openai-videos'],
      ['viduq3-turbo', 'openai-videos'], ['omni-fast', 'openai-videos'], ['gen4_turbo', 'runway'], ['kling-v3', 'kling'], ['grok-imagine-video', 'xai'], ['unknown-model', 'openai-videos']
    ]
    for (const [id, family] of ids) {
      const r = rulesForModel(id, family)
      for (const n of r.images.max > 0 ? [0, 1] : [0]) {
        if (n < r.images.min) continue
        const images = Array.from({ length: n }, () => photo)
        const refused = validateSpec({ model: id, prompt: '', images: images.map((i) => i.path) }, r, images).some((e) => e.code === 'prompt.empty')
        expect({ id, images: n, required: promptRequired(r, n) }).toEqual({ id, images: n, required: refused })
      }
    }
  })
})
