// A watched folder's image is sent as it was when it was read: the intake copies the file into
// the data folder under its content hash (read once: hashed while copied; written to a temporary
// file and renamed into place), and the job's spec names the copy. Whatever happens to the file in
// the folder afterwards (moved, overwritten by the next capture) changes nothing about the job.
// Before that, a cheap look at the file's end says whether it is whole: the writer may have
// stalled longer than the settle time, or sized the file first and filled it later.
import { createHash } from 'node:crypto'
import { constants, createReadStream, createWriteStream } from 'node:fs'
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import type { ImageType } from '../../shared/modelTypes'

const PNG_END = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82])
const HEAD = 16
const TAIL = PNG_END.length

/**
 * Whether an image of this type, `size` bytes long, with these first and last bytes, is whole:
 * a PNG ends with its IEND chunk, a JPEG with FFD9, a GIF with 0x3B; a WebP's RIFF length and a
 * BMP's file size field match the size.
 */
export function looksWhole(type: ImageType, size: number, head: Buffer, tail: Buffer): boolean {
  switch (type) {
    case 'png':
      return tail.length >= TAIL && tail.subarray(tail.length - TAIL).equals(PNG_END)
    case 'jpeg':
      return tail.length >= 2 && tail[tail.length - 2] === 0xff && tail[tail.length - 1] === 0xd9
    case 'gif':
      return tail.length >= 1 && tail[tail.length - 1] === 0x3b
    case 'webp':
      return head.length >= 8 && head.readUInt32LE(4) + 8 === size
    case 'bmp':
      return head.length >= 6 && head.readUInt32LE(2) === size
    default:
      return true
  }
}

/**
 * Whether a whole JPEG is in `buf`, trailing data allowed (phones append data after the image:
 * a motion photo's video, a maker's trailer). The segments before the first scan are skipped by
 * their lengths (an EXIF thumbnail's own end marker is inside one); after the scan starts, FF D9
 * can only be the image's end (entropy-coded FF bytes are stuffed with 00).
 */
export function jpegWhole(buf: Buffer): boolean {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return false
  let i = 2
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) return false
    const marker = buf[i + 1]
    if (marker === 0xff) {
      i++ // fill byte
      continue
    }
    const len = buf.readUInt16BE(i + 2)
    if (marker === 0xda) {
      const end = buf.indexOf(Buffer.from([0xff, 0xd9]), i + 2 + len)
      return end !== -1
    }
    i += 2 + len
  }
  return false
}

/** O_NOFOLLOW where the platform has it: a file swapped for a link after the check is not followed. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)

async function readAt(h: FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.max(0, length))
  const { bytesRead } = await h.read(buf, 0, buf.length, Math.max(0, position))
  return buf.subarray(0, bytesRead)
}

/** Reads only the first and last few bytes of a file to tell whether it is whole. */
export async function fileLooksWhole(path: string, type: ImageType, size: number): Promise<boolean> {
  const h = await open(path, READ_FLAGS)
  try {
    const head = await readAt(h, Math.min(HEAD, size), 0)
    const tail = await readAt(h, Math.min(TAIL, size), size - Math.min(TAIL, size))
    if (looksWhole(type, size, head, tail)) return true
    // A JPEG with data after its end: read it all and find where the image ends.
    return type === 'jpeg' && jpegWhole(await readAt(h, size, 0))
  } finally {
    await h.close()
  }
}

/** The same check on a file already copied (its path). */
async function copyLooksWhole(path: string, type: ImageType, size: number, head: Buffer, tail: Buffer): Promise<boolean> {
  if (looksWhole(type, size, head, tail)) return true
  if (type !== 'jpeg') return false
  const h = await open(path, constants.O_RDONLY)
  try {
    return jpegWhole(await readAt(h, size, 0))
  } finally {
    await h.close()
  }
}

export type CopyResult =
  | { kind: 'copied'; path: string; hash: string; /** False when this content was already there (by another file or folder). */ created: boolean }
  /** The file changed, or is not the regular file it was, while it was read. */
  | { kind: 'changed' }
  /** The bytes read end short of a whole image. */
  | { kind: 'incomplete' }

/**
 * Copies `source` (expected `size` bytes, modified at `mtime`) to `<dir>/<sha256>/<name>`,
 * hashing it on the way; the copy keeps the file's name, so messages about it say that name.
 */
export async function copyImage(source: string, dir: string, name: string, type: ImageType, expected: { size: number; mtime: number }): Promise<CopyResult> {
  let h: FileHandle
  try {
    h = await open(source, READ_FLAGS)
  } catch (err) {
    // ELOOP: it became a link. ENOENT: gone. Either way, not the file that was looked at.
    if ((err as NodeJS.ErrnoException).code === 'ELOOP' || (err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'changed' }
    throw err
  }
  const same = async (): Promise<boolean> => {
    const st = await h.stat()
    return st.isFile() && st.size === expected.size && Math.floor(st.mtimeMs) === expected.mtime
  }
  await mkdir(dir, { recursive: true })
  const temp = join(dir, `.incoming-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`)
  let keepTemp = false
  try {
    if (!(await same())) return { kind: 'changed' }
    const hash = createHash('sha256')
    let head = Buffer.alloc(0)
    let tail = Buffer.alloc(0)
    let total = 0
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk)
        total += chunk.length
        if (head.length < HEAD) head = Buffer.concat([head, chunk.subarray(0, HEAD - head.length)])
        tail = Buffer.concat([tail, chunk]).subarray(-TAIL)
        done(null, chunk)
      }
    })
    await pipeline(createReadStream('', { fd: h, autoClose: false, start: 0 }), tap, createWriteStream(temp, { flags: 'wx' }))
    if (total !== expected.size || !(await same())) return { kind: 'changed' }
    if (!(await copyLooksWhole(temp, type, total, head, tail))) return { kind: 'incomplete' }
    const digest = hash.digest('hex')
    const folder = join(dir, digest)
    const final = join(folder, name)
    await mkdir(folder, { recursive: true })
    const there = await stat(final).then(
      (s) => s.isFile() && s.size === total,
      () => false
    )
    if (there) return { kind: 'copied', path: final, hash: digest, created: false }
    await rename(temp, final)
    keepTemp = true
    return { kind: 'copied', path: final, hash: digest, created: true }
  } finally {
    await h.close().catch(() => {})
    if (!keepTemp) await rm(temp, { force: true }).catch(() => {})
  }
}

/** Removes a copy this intake made and no job uses (the job was refused, or the content was sent meanwhile). */
export async function dropCopy(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => {})
}
