// Reads what validation needs to know about a local image (type, byte size, pixel size) without
// decoding it, and loads the bytes once when a job is about to be sent.
import { open, readFile, stat, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { HEADER_PROBE_BYTES, IMAGE_MIME, headerBytesNeeded, parseImageHeader } from '../../shared/imageHeader'
import type { ImageInfo } from '../../shared/modelTypes'
import type { LoadedImage } from '../adapters/types'

/** JPEG metadata (EXIF thumbnails, ICC profiles) rarely pushes the frame header past this. */
const MAX_PROBE_BYTES = 1024 * 1024

export type ImageReadReason = 'not_found' | 'permission' | 'is_directory' | 'not_a_file' | 'too_large' | 'other'

/** A local image could not be read. The message names the file and the reason in plain words. */
export class ImageReadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: ImageReadReason,
    message: string,
    readonly code: string | null = null
  ) {
    super(message)
    this.name = 'ImageReadError'
  }
}

export async function probeImage(path: string): Promise<ImageInfo> {
  const size = await statFile(path)
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    throw toImageReadError(path, err)
  }
  try {
    let want = Math.min(HEADER_PROBE_BYTES, size)
    let bytes = await readPrefix(path, handle, want)
    // Only JPEG asks for more; each round reads exactly up to where its frame header must be.
    while (true) {
      const need = headerBytesNeeded(bytes)
      if (need === null || need <= bytes.length || bytes.length >= size || bytes.length >= MAX_PROBE_BYTES) break
      want = Math.min(Math.max(need, bytes.length * 2), MAX_PROBE_BYTES, size)
      bytes = await readPrefix(path, handle, want)
    }
    return infoFrom(path, size, bytes)
  } finally {
    await handle.close()
  }
}

export interface LoadOptions {
  /** Refuse files larger than this instead of pulling them into memory. */
  maxBytes?: number
}

export async function loadImage(path: string, options: LoadOptions = {}): Promise<LoadedImage> {
  const size = await statFile(path)
  if (options.maxBytes !== undefined && size > options.maxBytes) {
    throw new ImageReadError(
      path,
      'too_large',
      `Can't use the image "${path}": it is ${formatMb(size)}, more than the ${formatMb(options.maxBytes)} this model accepts.`
    )
  }
  let bytes: Uint8Array
  try {
    const buf = await readFile(path)
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
  } catch (err) {
    throw toImageReadError(path, err)
  }
  const info = infoFrom(path, bytes.byteLength, bytes)
  return {
    info,
    fileName: basename(path),
    mime: info.type ? IMAGE_MIME[info.type] : 'application/octet-stream',
    bytes
  }
}

function infoFrom(path: string, size: number, bytes: Uint8Array): ImageInfo {
  const header = parseImageHeader(bytes)
  return {
    path,
    type: header?.type ?? null,
    bytes: size,
    width: header?.width ?? null,
    height: header?.height ?? null
  }
}

async function statFile(path: string): Promise<number> {
  let st
  try {
    st = await stat(path)
  } catch (err) {
    throw toImageReadError(path, err)
  }
  // Opening a folder succeeds on Linux and a FIFO would block: check before reading.
  if (st.isDirectory()) {
    throw new ImageReadError(path, 'is_directory', `Can't read the image "${path}": it is a folder, not a file.`, 'EISDIR')
  }
  if (!st.isFile()) {
    throw new ImageReadError(path, 'not_a_file', `Can't read the image "${path}": it is not a regular file.`)
  }
  return st.size
}

async function readPrefix(path: string, handle: FileHandle, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length)
  let filled = 0
  try {
    // read() may return fewer bytes than asked; loop until the prefix is full or the file ends.
    while (filled < length) {
      const { bytesRead } = await handle.read(buf, filled, length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
  } catch (err) {
    throw toImageReadError(path, err)
  }
  return buf.subarray(0, filled)
}

/** Turns a Node fs error into a plain-words ImageReadError (exported for tests of codes a test cannot provoke as root). */
export function toImageReadError(path: string, err: unknown): ImageReadError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : null
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new ImageReadError(
        path,
        'not_found',
        `Can't read the image "${path}": the file does not exist (it may have been moved, renamed or deleted).`,
        code
      )
    case 'EACCES':
    case 'EPERM':
      return new ImageReadError(
        path,
        'permission',
        `Can't read the image "${path}": permission denied. Check that your user may read this file.`,
        code
      )
    case 'EISDIR':
      return new ImageReadError(path, 'is_directory', `Can't read the image "${path}": it is a folder, not a file.`, code)
    default: {
      const detail = err instanceof Error ? err.message : String(err)
      return new ImageReadError(path, 'other', `Can't read the image "${path}": ${detail}`, code)
    }
  }
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
