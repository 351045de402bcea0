import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HEADER_PROBE_BYTES, IMAGE_MIME, headerBytesNeeded, parseImageHeader } from '../../src/shared/imageHeader'

const dir = join(__dirname, '../fixtures/images')
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)))

/** Offset of the first SOFn marker in a JPEG (test-side walk, kept naive on purpose). */
function sofOffset(b: Uint8Array): number {
  let i = 2
  while (i < b.length) {
    const m = b[i + 1]
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return i
    i += 2 + ((b[i + 2] << 8) | b[i + 3])
  }
  throw new Error('no SOF')
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)))
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0))
  let at = 0
  for (const a of arrays) {
    out.set(a, at)
    at += a.length
  }
  return out
}

/** An APPn segment of `payload` bytes (max 65533). */
function appSegment(n: number, payload: number): Uint8Array {
  const len = payload + 2
  const seg = new Uint8Array(2 + len)
  seg.set([0xff, 0xe0 + n, len >> 8, len & 0xff])
  return seg
}

describe('parseImageHeader on real files', () => {
  it.each([
    ['solid-1280x720.png', 'png', 1280, 720],
    ['solid-100x100.png', 'png', 100, 100],
    ['solid-720x1280.jpg', 'jpeg', 720, 1280],
    ['solid-300x300.jpg', 'jpeg', 300, 300],
    ['progressive-320x240.jpg', 'jpeg', 320, 240],
    ['lossy-64x48.webp', 'webp', 64, 48],
    ['lossless-65x49.webp', 'webp', 65, 49],
    ['extended-64x48.webp', 'webp', 64, 48],
    ['solid-40x30.gif', 'gif', 40, 30],
    ['solid-16x8.bmp', 'bmp', 16, 8]
  ])('%s → %s %ix%i', (file, type, width, height) => {
    const bytes = read(file)
    expect(parseImageHeader(bytes)).toEqual({ type, width, height })
    expect(headerBytesNeeded(bytes)).toBeNull()
  })

  it('reads the content, not the name: a PDF called .png is not an image', () => {
    expect(parseImageHeader(read('pdf-renamed.png'))).toBeNull()
  })

  it('a zero-byte file is not an image', () => {
    expect(parseImageHeader(read('empty.png'))).toBeNull()
    expect(headerBytesNeeded(read('empty.png'))).toBeNull()
  })

  it('a PNG whose first chunk is not IHDR is a PNG without a size', () => {
    expect(parseImageHeader(read('corrupt-header.png'))).toEqual({ type: 'png', width: null, height: null })
    expect(headerBytesNeeded(read('corrupt-header.png'))).toBeNull()
  })
})

describe('truncated and odd inputs', () => {
  it('a PNG cut inside its header is a PNG without a size, and asks for 24 bytes', () => {
    const cut = read('solid-100x100.png').subarray(0, 16)
    expect(parseImageHeader(cut)).toEqual({ type: 'png', width: null, height: null })
    expect(headerBytesNeeded(cut)).toBe(24)
  })

  it('a JPEG cut before its frame header asks for more bytes', () => {
    const full = read('solid-720x1280.jpg')
    const sof = sofOffset(full)
    const cut = full.subarray(0, sof + 3)
    expect(parseImageHeader(cut)).toEqual({ type: 'jpeg', width: null, height: null })
    const need = headerBytesNeeded(cut)
    expect(need).not.toBeNull()
    expect(need!).toBeGreaterThan(cut.length)
    expect(parseImageHeader(full.subarray(0, need!))).toEqual({ type: 'jpeg', width: 720, height: 1280 })
  })

  it('a bare JPEG start (FF D8 FF) is a JPEG without a size', () => {
    expect(parseImageHeader(Uint8Array.from([0xff, 0xd8, 0xff]))).toEqual({ type: 'jpeg', width: null, height: null })
  })

  it('skips 0xFF fill bytes before a marker', () => {
    const full = read('solid-300x300.jpg')
    const padded = concat(full.subarray(0, 2), [0xff, 0xff, 0xff], full.subarray(2))
    expect(parseImageHeader(padded)).toEqual({ type: 'jpeg', width: 300, height: 300 })
  })

  it('does not mistake DHT (C4), JPG (C8) or DAC (CC) for a frame header', () => {
    const full = read('solid-300x300.jpg')
    const fake = [0xff, 0xc4, 0x00, 0x06, 0x01, 0x02, 0x03, 0x04, 0xff, 0xcc, 0x00, 0x04, 0x09, 0x09, 0xff, 0xc8, 0x00, 0x04, 0x07, 0x07]
    expect(parseImageHeader(concat(full.subarray(0, 2), fake, full.subarray(2)))).toEqual({ type: 'jpeg', width: 300, height: 300 })
  })

  it('finds the frame header behind more than 64 KB of metadata, and says how much to read', () => {
    const full = read('progressive-320x240.jpg')
    const big = concat(full.subarray(0, 2), appSegment(1, 40000), appSegment(2, 40000), full.subarray(2))
    const head = big.subarray(0, HEADER_PROBE_BYTES)
    expect(parseImageHeader(head)).toEqual({ type: 'jpeg', width: null, height: null })
    const need = headerBytesNeeded(head)!
    expect(need).toBeGreaterThan(HEADER_PROBE_BYTES)
    expect(need).toBeLessThan(big.length)
    // Each hint reaches at least one segment further, so following hints always ends at the frame header.
    let bytes = head
    let rounds = 0
    for (let n = headerBytesNeeded(bytes); n !== null; n = headerBytesNeeded(bytes)) {
      expect(n).toBeGreaterThan(bytes.length)
      bytes = big.subarray(0, n)
      rounds++
    }
    expect(rounds).toBeLessThan(10)
    expect(parseImageHeader(bytes)).toEqual({ type: 'jpeg', width: 320, height: 240 })
    expect(parseImageHeader(big)).toEqual({ type: 'jpeg', width: 320, height: 240 })
  })

  it('a JPEG whose scan starts before any frame header has no size and asks for nothing', () => {
    const b = Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34])
    expect(parseImageHeader(b)).toEqual({ type: 'jpeg', width: null, height: null })
    expect(headerBytesNeeded(b)).toBeNull()
  })

  it('a JPEG with garbage where a marker should be is damaged, not "needs more"', () => {
    const b = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34, 0x56])
    expect(parseImageHeader(b)).toEqual({ type: 'jpeg', width: null, height: null })
    expect(headerBytesNeeded(b)).toBeNull()
  })

  it('reads a top-down BMP (negative height) and an OS/2 core-header BMP', () => {
    const topDown = read('solid-16x8.bmp').slice()
    new DataView(topDown.buffer).setInt32(22, -8, true)
    expect(parseImageHeader(topDown)).toEqual({ type: 'bmp', width: 16, height: 8 })
    const core = new Uint8Array(26)
    core.set([0x42, 0x4d])
    const dv = new DataView(core.buffer)
    dv.setUint32(14, 12, true)
    dv.setUint16(18, 7, true)
    dv.setUint16(20, 5, true)
    expect(parseImageHeader(core)).toEqual({ type: 'bmp', width: 7, height: 5 })
  })

  it('text that happens to start with "BM" is not a bitmap', () => {
    expect(parseImageHeader(new TextEncoder().encode('BMW makes cars, and this is plain text.'))).toBeNull()
  })

  it('a GIF cut after its signature is a GIF without a size', () => {
    expect(parseImageHeader(read('solid-40x30.gif').subarray(0, 7))).toEqual({ type: 'gif', width: null, height: null })
  })

  it('a WebP with an unknown first chunk is a WebP without a size', () => {
    const b = read('lossy-64x48.webp').slice()
    b.set(new TextEncoder().encode('ALPH'), 12)
    expect(parseImageHeader(b)).toEqual({ type: 'webp', width: null, height: null })
  })

  it('zero width or height counts as a damaged header', () => {
    const b = read('solid-100x100.png').slice()
    new DataView(b.buffer).setUint32(16, 0)
    expect(parseImageHeader(b)).toEqual({ type: 'png', width: null, height: null })
  })
})

describe('IMAGE_MIME', () => {
  it('names the standard media type of each format', () => {
    expect(IMAGE_MIME).toEqual({ png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp' })
  })
})
