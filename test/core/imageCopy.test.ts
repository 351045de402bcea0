// Whether a watched folder's image is whole before it is sent: a JPEG may carry data after its end
// (a phone's motion-photo video, a maker's trailer) and is still whole; one cut short is not, even
// when an EXIF thumbnail inside it has an end marker of its own.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fileLooksWhole, jpegWhole } from '../../src/core/watch/imageCopy'

const IMAGES = join(import.meta.dirname, '../fixtures/images')
const dir = mkdtempSync(join(tmpdir(), 'cvs-jpeg-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A JPEG with an APP1 segment holding a whole little JPEG (as an EXIF thumbnail does). */
function withThumbnail(jpeg: Buffer): Buffer {
  const thumb = readFileSync(join(IMAGES, 'solid-300x300.jpg'))
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.alloc(2), Buffer.from('Exif\0\0'), thumb])
  app1.writeUInt16BE(app1.length - 2, 2)
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)])
}

describe('a JPEG is whole', () => {
  for (const name of ['solid-300x300.jpg', 'progressive-320x240.jpg', 'solid-720x1280.jpg']) {
    it(`${name}: whole, whole with data after it, not whole cut short`, async () => {
      const jpeg = withThumbnail(readFileSync(join(IMAGES, name)))
      expect(jpegWhole(jpeg)).toBe(true)
      const trailer = Buffer.concat([jpeg, Buffer.from('ftypmp42'), Buffer.alloc(200_000, 7)])
      expect(jpegWhole(trailer)).toBe(true)
      // Cut in the middle of the image data, after the thumbnail's own FF D9.
      expect(jpegWhole(jpeg.subarray(0, jpeg.length - 200))).toBe(false)
      const file = join(dir, `trailer-${name}`)
      writeFileSync(file, trailer)
      expect(await fileLooksWhole(file, 'jpeg', statSync(file).size)).toBe(true)
      const cut = join(dir, `cut-${name}`)
      writeFileSync(cut, jpeg.subarray(0, jpeg.length - 200))
      expect(await fileLooksWhole(cut, 'jpeg', statSync(cut).size)).toBe(false)
    })
  }
})
