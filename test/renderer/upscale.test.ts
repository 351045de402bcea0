import { describe, expect, it } from 'vitest'
import { fieldErrorText, readableSizes, translate } from '../../src/renderer/src/i18n'
import { formatSize } from '../../src/renderer/src/lib/format'
import { outputSize, UPSCALE_WARN_AT, upscaleWarning } from '../../src/renderer/src/lib/upscale'
import { applyDefaults, validateSpec } from '../../src/shared/validation'
import { rulesForModel } from '../../src/shared/modelRules'

const sora = rulesForModel('sora-2', 'openai-videos')
const kling = rulesForModel('kling-v2-6', 'kling')
const seedance = rulesForModel('doubao-seedance-2-0', 'openai-videos')
const veo = rulesForModel('veo3', 'openai-videos')
const runway = rulesForModel('gen4_turbo', 'runway')

describe('how much a reference image is scaled up', () => {
  it('40×30 into a 1280×720 Sora video is about 32×', () => {
    expect(upscaleWarning({ width: 40, height: 30 }, { model: 'sora-2', prompt: 'a', size: '1280x720' }, sora)).toEqual({ factor: 32, from: { width: 40, height: 30 }, to: { width: 1280, height: 720 } })
  })

  it('uses the size the model would pick when the spec has none (Sora: the allowed size closest in shape)', () => {
    expect(outputSize({ model: 'sora-2', prompt: 'a' }, sora, { width: 30, height: 40 })).toEqual({ width: 720, height: 1280 })
    expect(upscaleWarning({ width: 30, height: 40 }, { model: 'sora-2', prompt: 'a' }, sora)?.factor).toBe(32)
  })

  it('reads resolution with aspect ratio, ratio-labelled sizes and pixel ratios', () => {
    expect(outputSize(applyDefaults({ model: 's', prompt: 'a' }, seedance), seedance, { width: 10, height: 10 })).toEqual({ width: 1280, height: 720 })
    expect(outputSize({ model: 's', prompt: 'a', size: '9:16', resolution: '1080p' }, seedance, { width: 10, height: 10 })).toEqual({ width: 1080, height: 1920 })
    // Veo's 16x9 is a shape, not a 16×9 pixel video.
    expect(outputSize({ model: 'veo3', prompt: 'a', size: '16x9' }, veo, { width: 10, height: 10 })).toEqual({ width: 1280, height: 720 })
    expect(outputSize({ model: 'gen4_turbo', prompt: 'a', aspectRatio: '720:1280' }, runway, { width: 10, height: 10 })).toEqual({ width: 720, height: 1280 })
    expect(outputSize({ model: 'x', prompt: 'a', resolution: '4k', aspectRatio: '16:9' }, seedance, { width: 10, height: 10 })).toEqual({ width: 3840, height: 2160 })
  })

  it('a model that states no size is taken as 720p in the image’s own shape', () => {
    expect(outputSize({ model: 'kling-v2-6', prompt: 'a' }, kling, { width: 400, height: 300 })).toEqual({ width: 960, height: 720 })
    expect(upscaleWarning({ width: 200, height: 150 }, { model: 'kling-v2-6', prompt: 'a' }, kling)?.factor).toBe(5)
  })

  it('does not warn for an image at or near the video size, nor below the threshold', () => {
    expect(upscaleWarning({ width: 1280, height: 720 }, { model: 'sora-2', prompt: 'a', size: '1280x720' }, sora)).toBeNull()
    expect(upscaleWarning({ width: 640, height: 360 }, { model: 'sora-2', prompt: 'a', size: '1280x720' }, sora)).toBeNull()
    // Just under and at the threshold.
    expect(upscaleWarning({ width: 321, height: 180 }, { model: 'sora-2', prompt: 'a', size: '1280x720' }, sora)).toBeNull()
    expect(upscaleWarning({ width: 320, height: 180 }, { model: 'sora-2', prompt: 'a', size: '1280x720' }, sora)?.factor).toBe(UPSCALE_WARN_AT)
  })

  it('says nothing when the image size is unknown', () => {
    expect(upscaleWarning({ width: null, height: null }, { model: 'sora-2', prompt: 'a' }, sora)).toBeNull()
    expect(upscaleWarning({ width: 0, height: 30 }, { model: 'sora-2', prompt: 'a' }, sora)).toBeNull()
  })

  it('the warning reads the same in both languages, with sizes written one way', () => {
    const w = upscaleWarning({ width: 40, height: 30 }, { model: 'sora-2', prompt: 'a', size: '1280x720' }, sora)!
    const params = { from: formatSize(w.from.width, w.from.height), to: formatSize(w.to.width, w.to.height), factor: w.factor }
    expect(translate('en', 'images.upscaleWarn', params)).toBe('40×30 will be scaled up about 32× to 1280×720: expect a blurry video.')
    expect(translate('zh-CN', 'images.upscaleWarn', params)).toBe('40×30 将被放大约 32 倍到 1280×720，视频可能会很模糊。')
  })
})

describe('sizes are written one way', () => {
  it('formatSize turns the API form into 1280×720', () => {
    expect(formatSize('1280x720')).toBe('1280×720')
    expect(formatSize(40, 30)).toBe('40×30')
    expect(formatSize('16:9')).toBe('16:9')
  })

  it('engine sentences about sizes show 40×30, but keep file names as they are', () => {
    expect(readableSizes('"icon-40x30.png" is 40x30 pixels; this model needs at least 300x300.')).toBe('"icon-40x30.png" is 40×30 pixels; this model needs at least 300×300.')
    const [mismatch] = validateSpec({ model: 'sora-2', prompt: 'a', size: '1280x720' }, sora, [{ path: '/x/icon-40x30.png', type: 'png', width: 40, height: 30, bytes: 100 }])
    expect(mismatch!.code).toBe('image.sizeMismatch')
    expect(fieldErrorText('en', mismatch!)).toContain('is 40×30 pixels')
    expect(fieldErrorText('en', mismatch!)).toContain('icon-40x30.png')
    expect(fieldErrorText('zh-CN', mismatch!)).toContain('为 40×30 像素')
    expect(fieldErrorText('zh-CN', mismatch!)).toContain('icon-40x30.png')
    expect(fieldErrorText('zh-CN', mismatch!)).not.toMatch(/\d+x\d+ 的参考图/)
  })
})
