// What a later call needs to continue a download safely: `<partial>.meta.json`, written when a
// transfer starts (URL without its query string, validators, announced size).
import { open, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { SNIFF_BYTES, sniffContainer } from './sniff'

/** Written next to the partial file when a transfer starts, so a later call can resume safely. */
export interface PartialMeta {
  version: 1
  /** The URL without its query string (no signed tokens on disk). */
  url: string
  etag: string | null
  lastModified: string | null
  total: number | null
}

export interface Resume {
  offset: number
  meta: PartialMeta
}

/** Where an earlier attempt stopped, when it is safe to continue from there. */
export async function resumePoint(partialPath: string, metaPath: string, url: URL): Promise<Resume | null> {
  let size: number
  try {
    size = (await stat(partialPath)).size
  } catch {
    return null
  }
  const meta = await readMeta(metaPath)
  if (!meta || size < SNIFF_BYTES) return null
  if (meta.total !== null && size > meta.total) return null
  // Without a validator, a Range request is only safe against the very same resource.
  if (!validatorOf(meta) && meta.url !== stripQuery(url)) return null
  try {
    const fh = await open(partialPath, 'r')
    try {
      const head = Buffer.alloc(SNIFF_BYTES)
      await fh.read(head, 0, SNIFF_BYTES, 0)
      if (!sniffContainer(head)) return null
    } finally {
      await fh.close()
    }
  } catch {
    return null
  }
  return { offset: size, meta }
}

async function readMeta(path: string): Promise<PartialMeta | null> {
  try {
    const m = JSON.parse(await readFile(path, 'utf8')) as Partial<PartialMeta>
    if (m.version !== 1 || typeof m.url !== 'string') return null
    return {
      version: 1,
      url: m.url,
      etag: typeof m.etag === 'string' ? m.etag : null,
      lastModified: typeof m.lastModified === 'string' ? m.lastModified : null,
      total: typeof m.total === 'number' ? m.total : null
    }
  } catch {
    return null
  }
}

/** If-Range needs a strong ETag or a date. */
export function validatorOf(meta: PartialMeta): string | null {
  if (meta.etag && !meta.etag.startsWith('W/')) return meta.etag
  return meta.lastModified
}

/** Written whole or not at all: a crash half-way through would cost the whole partial file (no safe resume). */
export async function writeMeta(metaPath: string, meta: PartialMeta): Promise<void> {
  const tmp = `${metaPath}.tmp`
  await writeFile(tmp, JSON.stringify(meta))
  await rename(tmp, metaPath)
}

/** The URL as it may be stored or shown: no query string, no fragment, no user info. */
export function stripQuery(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}
