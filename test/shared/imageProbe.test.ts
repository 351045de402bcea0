import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ImageReadError, loadImage, probeImage, toImageReadError } from '../../src/core/images/imageProbe'

const dir = join(__dirname, '../fixtures/images')
const tmp = mkdtempSync(join(tmpdir(), 'probe-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** A JPEG with `count` APP segments of ~60 KB before its frame header. */
function jpegBehindMetadata(count: number): Buffer {
  const src = readFileSync(join(dir, 'solid-300x300.jpg'))
  const seg = Buffer.alloc(60000 + 4)
  seg.set([0xff, 0xe1, (60002 >> 8) & 0xff, 60002 & 0xff])
  return Buffer.concat([src.subarray(0, 2), ...Array<Buffer>(count).fill(seg), src.subarray(2)])
}

describe('probeImage', () => {
  it.each([
    ['solid-1280x720.png', 'png', 1280, 720],
    ['solid-720x1280.jpg', 'jpeg', 720, 1280],
    ['progressive-320x240.jpg', 'jpeg', 320, 240],
    ['lossless-65x49.webp', 'webp', 65, 49],
    ['solid-40x30.gif', 'gif', 40, 30]
  ])('%s', async (file, type, width, height) => {
    const path = join(dir, file)
    const info = await probeImage(path)
    expect(info).toEqual({ path, type, width, height, bytes: readFileSync(path).length })
  })

  it('gives type null for a PDF named .png and for an empty file', async () => {
    expect(await probeImage(join(dir, 'pdf-renamed.png'))).toMatchObject({ type: null, width: null, bytes: 77 })
    expect(await probeImage(join(dir, 'empty.png'))).toMatchObject({ type: null, width: null, bytes: 0 })
  })

  it('reads past the first 64 KB when a JPEG keeps its size behind metadata', async () => {
    const path = join(tmp, 'exif-heavy.jpg')
    writeFileSync(path, jpegBehindMetadata(3)) // frame header at ~180 KB
    expect(await probeImage(path)).toMatchObject({ type: 'jpeg', width: 300, height: 300 })
  })

  it('stops at 1 MB and reports a JPEG without a size rather than reading on', async () => {
    const path = join(tmp, 'exif-huge.jpg')
    writeFileSync(path, jpegBehindMetadata(20)) // frame header at ~1.2 MB
    expect(await probeImage(path)).toMatchObject({ type: 'jpeg', width: null, height: null })
  })

  it('turns a missing file into a plain-words ImageReadError', async () => {
    const path = join(tmp, 'nope.png')
    const err = await probeImage(path).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ImageReadError)
    expect(err).toMatchObject({ reason: 'not_found', path, code: 'ENOENT' })
    expect((err as Error).message).toContain(path)
    expect((err as Error).message).toContain('does not exist')
  })

  it('turns a folder into an ImageReadError', async () => {
    const err = await probeImage(tmp).catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'ImageReadError', reason: 'is_directory' })
    expect((err as Error).message).toContain('folder')
    await expect(loadImage(tmp)).rejects.toMatchObject({ reason: 'is_directory' })
  })

  it('maps EACCES (which root cannot provoke) to a permission error', () => {
    const err = toImageReadError('/x/cat.png', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }))
    expect(err).toMatchObject({ reason: 'permission', code: 'EACCES', path: '/x/cat.png' })
    expect(err.message).toContain('permission denied')
    expect(toImageReadError('/x', { code: 'EISDIR' }).reason).toBe('is_directory')
    expect(toImageReadError('/x', new Error('boom')).reason).toBe('other')
  })
})

describe('loadImage', () => {
  it('reads the file once and returns info, bytes, mime and file name', async () => {
    const path = join(dir, 'solid-300x300.jpg')
    const img = await loadImage(path)
    expect(img.info).toEqual({ path, type: 'jpeg', width: 300, height: 300, bytes: img.bytes.length })
    expect(img.mime).toBe('image/jpeg')
    expect(img.fileName).toBe('solid-300x300.jpg')
    expect(Buffer.from(img.bytes).equals(readFileSync(path))).toBe(true)
  })

  it('labels a non-image as application/octet-stream and leaves the verdict to validation', async () => {
    const img = await loadImage(join(dir, 'pdf-renamed.png'))
    expect(img.info.type).toBeNull()
    expect(img.mime).toBe('application/octet-stream')
  })

  it('refuses a file over maxBytes without reading it', async () => {
    await expect(loadImage(join(dir, 'solid-720x1280.jpg'), { maxBytes: 1000 })).rejects.toMatchObject({ reason: 'too_large' })
  })
})
