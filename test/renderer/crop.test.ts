import { describe, expect, it } from 'vitest'
import { centerCrop, cropAxis, cropRect, fixedMime, posterSize, posterTime } from '../../src/renderer/src/lib/crop'

describe('center crop', () => {
  it('trims the sides of a too-wide image', () => {
    expect(centerCrop(4000, 1000, 1280, 720)).toEqual({ sx: 1111, sy: 0, sw: 1778, sh: 1000 })
  })

  it('trims top and bottom of a too-tall image', () => {
    expect(centerCrop(1000, 2000, 1280, 720)).toEqual({ sx: 0, sy: 718, sw: 1000, sh: 563 })
  })

  it('keeps the whole image when the shape already matches', () => {
    expect(centerCrop(640, 360, 1280, 720)).toEqual({ sx: 0, sy: 0, sw: 640, sh: 360 })
  })

  it('the crop has the target shape (within a pixel) and stays inside the source', () => {
    for (const [w, h, tw, th] of [[3000, 2000, 720, 1280], [1024, 1024, 1792, 1024], [301, 7000, 1280, 720]]) {
      const c = centerCrop(w, h, tw, th)
      expect(c.sx).toBeGreaterThanOrEqual(0)
      expect(c.sy).toBeGreaterThanOrEqual(0)
      expect(c.sx + c.sw).toBeLessThanOrEqual(w)
      expect(c.sy + c.sh).toBeLessThanOrEqual(h)
      expect(Math.abs(c.sw / c.sh - tw / th)).toBeLessThan(Math.max(1 / c.sw, 1 / c.sh) * (tw / th) * 2 + 1e-3)
    }
  })

  it('rejects empty sizes', () => {
    expect(() => centerCrop(0, 10, 10, 10)).toThrow()
  })
})

describe('poster helpers', () => {
  it('keeps the video shape at most 480 wide', () => {
    expect(posterSize(1920, 1080)).toEqual({ width: 480, height: 270 })
    expect(posterSize(160, 90)).toEqual({ width: 160, height: 90 })
    expect(posterSize(0, 0)).toEqual({ width: 480, height: 270 })
  })

  it('grabs half a second in, or the middle of a shorter clip', () => {
    expect(posterTime(8)).toBe(0.5)
    expect(posterTime(0.6)).toBe(0.3)
    expect(posterTime(Number.NaN)).toBe(0)
  })

  it('fixed copies stay JPEG for photos, PNG otherwise', () => {
    expect(fixedMime('jpeg')).toBe('image/jpeg')
    expect(fixedMime('webp')).toBe('image/png')
  })
})

describe('crop position', () => {
  it('keeps the top, centre or bottom of a portrait image cropped to landscape', () => {
    expect(cropRect(720, 1280, 1280, 720, 'start')).toEqual({ sx: 0, sy: 0, sw: 720, sh: 405 })
    expect(cropRect(720, 1280, 1280, 720, 'center')).toEqual(centerCrop(720, 1280, 1280, 720))
    expect(cropRect(720, 1280, 1280, 720, 'end')).toEqual({ sx: 0, sy: 875, sw: 720, sh: 405 })
    expect(cropAxis(720, 1280, 1280, 720)).toBe('y')
  })

  it('keeps the left or right of a landscape image cropped to portrait, and trims nothing for the same shape', () => {
    expect(cropRect(1280, 720, 720, 1280, 'start')).toEqual({ sx: 0, sy: 0, sw: 405, sh: 720 })
    expect(cropRect(1280, 720, 720, 1280, 'end')).toEqual({ sx: 875, sy: 0, sw: 405, sh: 720 })
    expect(cropAxis(1280, 720, 720, 1280)).toBe('x')
    expect(cropAxis(640, 360, 1280, 720)).toBeNull()
  })
})
