// Streams a finished video from its (signed, temporary) result URL into `.partial/<key>.part`:
// resumable with Range/If-Range, bounded in size, checked to be a video, fsynced before we
// say it is done. Never buffers the file; never logs or reports a query string or a header.
import { close, fstat, fsync, openSync, read } from 'node:fs'
import { mkdir, rm, statfs } from 'node:fs/promises'
import type { LookupFunction } from 'node:net'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import type { VideoContainer } from '../../shared/library'
import type { ProxyDecider } from '../http/proxy'
import { type DestinationGuard, destinationGuard } from './addressPolicy'
import { DownloadError, diskError } from './downloadError'
import { FileSink } from './fileSink'
import { canceled, openResponse, type Response } from './httpClient'
import { type PartialMeta, type Resume, resumePoint, stripQuery, validatorOf, writeMeta } from './partialMeta'
import { SNIFF_BYTES, describeBytes, describeContentType, sniffContainer } from './sniff'
import { systemClock } from '../ports'

export { DownloadError, type DownloadErrorKind } from './downloadError'
export { sniffContainer } from './sniff'
export { stripQuery } from './partialMeta'

export interface DownloadRequest {
  url: string
  /** `<library>/.partial/<jobId>.part`, chosen by the caller. */
  partialPath: string
  /** e.g. Authorization for the API's content route; never logged, dropped on a cross-origin redirect. */
  headers?: Record<string, string>
  /**
   * The API's base URL. Private and loopback addresses are reached only when it is on one itself
   * (a self-hosted gateway, the tests' fake); without it, never.
   */
  apiBaseUrl?: string
  /** Resolves host names (default: the system's, `dns.lookup`); tests map made-up names here. Every answer is checked. */
  lookup?: LookupFunction
  /** Decides whether (and through which proxy) each hop goes; absent: always direct. */
  proxy?: ProxyDecider
  signal?: AbortSignal
  /** Refuse larger results (default 8 GiB). */
  maxBytes?: number
  /** Until the response headers arrive (default 15 s). */
  connectTimeoutMs?: number
  /** No byte for this long = stalled (default 60 s). */
  idleTimeoutMs?: number
  /** Throttled to at most 10 calls a second (the last call reports the finished size). */
  onProgress?: (received: number, total: number | null) => void
  /** Opens the partial file and returns its descriptor; tests inject failures here (e.g. /dev/full). */
  openWrite?: (path: string, flags: 'w+' | 'r+') => number
  /** Free bytes on the disk of `dir` (default: statfs); null when unknown. */
  freeSpace?: (dir: string) => Promise<number | null>
}

export interface DownloadResult {
  /** Size of the finished file. */
  bytes: number
  contentType: string | null
  /** Bytes already on disk that this call kept (0 when it started over). */
  resumedFrom: number
  /** Body bytes received over the network by this call. */
  bytesTransferred: number
  container: VideoContainer
}

export const DEFAULT_MAX_BYTES = 8 * 1024 ** 3
/** Room left for everything else (the database first) when a download is checked against free space. */
export const DISK_RESERVE_BYTES = 32 * 1024 ** 2
const PROGRESS_INTERVAL_MS = 110
const MAX_REDIRECTS = 5
const MAX_RESTARTS = 2
/** Headers the downloader sets itself; a caller's copy would break resuming or the byte count. */
const OWN_HEADERS = new Set(['range', 'if-range', 'accept-encoding', 'connection', 'host', 'content-length', 'transfer-encoding'])

const fsyncAsync = promisify(fsync)
const closeAsync = promisify(close)
const fstatAsync = promisify(fstat)
const readAsync = promisify(read)

interface Ctx {
  req: DownloadRequest
  url: URL
  host: string
  metaPath: string
  maxBytes: number
  guard: DestinationGuard
}

/** Errors after which the partial file is worthless (not a video, too large, longer than announced). */
const discard = new WeakSet<Error>()

export async function downloadFile(req: DownloadRequest): Promise<DownloadResult> {
  const url = parseUrl(req.url)
  if (req.signal?.aborted) throw canceled()
  const guard = destinationGuard(req.apiBaseUrl, req.lookup)
  // Before the disk is touched: a link that is refused now is refused for good.
  const refused = await guard.check(url)
  if (refused) throw refused
  try {
    await mkdir(dirname(req.partialPath), { recursive: true })
  } catch (err) {
    throw diskError(err as NodeJS.ErrnoException)
  }
  const ctx: Ctx = {
    req,
    url,
    host: url.host,
    metaPath: `${req.partialPath}.meta.json`,
    maxBytes: req.maxBytes ?? DEFAULT_MAX_BYTES,
    guard
  }
  let resume = await resumePoint(req.partialPath, ctx.metaPath, url)
  try {
    for (let restarts = 0; ; restarts++) {
      const outcome = await transfer(ctx, resume)
      if (outcome !== 'restart') return outcome
      if (restarts >= MAX_RESTARTS) {
        throw new DownloadError(`${ctx.host} answered the resume request inconsistently; the download will start over later.`, 'http', true)
      }
      // The server cannot continue our partial file: start from zero.
      resume = null
    }
  } catch (err) {
    if (err instanceof Error && discard.has(err)) await removePartial(ctx)
    if (req.signal?.aborted && !(err instanceof DownloadError && err.kind === 'canceled')) throw canceled()
    throw err
  }
}

async function transfer(ctx: Ctx, resume: Resume | null): Promise<DownloadResult | 'restart'> {
  const { req } = ctx
  const offset = resume?.offset ?? 0
  const headers: Record<string, string> = { 'User-Agent': 'CometVideoStudio' }
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (!OWN_HEADERS.has(name.toLowerCase())) headers[name] = value
  }
  headers['Accept-Encoding'] = 'identity'
  if (resume) {
    headers.Range = `bytes=${offset}-`
    const validator = validatorOf(resume.meta)
    if (validator) headers['If-Range'] = validator
  }
  const res = await openResponse(ctx.url, {
    headers,
    connectTimeoutMs: req.connectTimeoutMs ?? 15_000,
    idleTimeoutMs: req.idleTimeoutMs ?? 60_000,
    maxRedirects: MAX_REDIRECTS,
    guard: ctx.guard,
    signal: req.signal,
    proxy: req.proxy
  })
  const status = res.status

  if (status === 416 && resume) {
    res.close()
    // Every byte is already here (e.g. a crash after the last write): check it and finish.
    if (resume.meta.total !== null && offset === resume.meta.total) {
      const fd = openFile(ctx, 'r+')
      return await withFd(fd, () => finish(ctx, fd, offset, offset, 0, resume.meta.total, null))
    }
    return 'restart'
  }
  if (status === 403 || status === 404 || status === 410) {
    res.close()
    throw new DownloadError(
      `The download link from ${ctx.host} has expired or is no longer valid (HTTP ${status}); a fresh link is needed.`,
      'expired',
      true,
      { status }
    )
  }
  if (status !== 200 && status !== 206) {
    res.close()
    throw httpError(status, ctx.host)
  }

  let append = false
  let total: number | null
  const bodyLength = parseLength(res.headers['content-length'])
  if (status === 206) {
    const range = parseContentRange(res.headers['content-range'])
    const changed = range && range.start > 0 && resume?.meta.total != null && range.total != null && range.total !== resume.meta.total
    if (!range || (range.start !== 0 && range.start !== offset) || changed) {
      res.close()
      return 'restart'
    }
    append = range.start > 0
    total = range.total ?? (append ? resume?.meta.total ?? null : null)
  } else {
    total = bodyLength
  }
  const startAt = append ? offset : 0
  const contentType = res.headers['content-type'] ?? null

  const looksLike = describeContentType(contentType)
  if (looksLike) {
    res.close()
    throw notVideo(looksLike, ctx.host)
  }
  const announced = total ?? (bodyLength !== null ? startAt + bodyLength : null)
  if (announced !== null && announced > ctx.maxBytes) {
    res.close()
    throw markDiscard(tooLarge(announced, ctx.maxBytes))
  }
  // Never start what cannot fit: a partial file filling the disk would keep it full while it waits.
  const need = announced !== null ? announced - startAt : 0
  if (need > 0) {
    const free = await freeBytes(ctx)
    if (free !== null && need > free - DISK_RESERVE_BYTES) {
      res.close()
      throw new DownloadError(
        `The video needs ${formatBytes(need)} but the library's disk has only ${formatBytes(Math.max(0, free))} free: free some space; the download starts when there is room.`,
        'disk',
        true,
        { code: 'ENOSPC' }
      )
    }
  }

  const meta: PartialMeta = {
    version: 1,
    url: stripQuery(ctx.url),
    etag: res.headers.etag ?? null,
    lastModified: res.headers['last-modified'] ?? null,
    total
  }
  let fd: number
  try {
    await writeMeta(ctx.metaPath, meta)
    fd = openFile(ctx, append ? 'r+' : 'w+')
  } catch (err) {
    res.close()
    throw err instanceof DownloadError ? err : diskError(err as NodeJS.ErrnoException)
  }
  return withFd(fd, async () => {
    const received = await receiveBody(ctx, res, fd, append, startAt, total)
    if (bodyLength !== null && received !== bodyLength) {
      throw new DownloadError(`The download from ${ctx.host} stopped early; it continues from where it stopped.`, 'verify', true)
    }
    let size: number
    try {
      size = (await fstatAsync(fd)).size
    } catch (err) {
      throw diskError(err as NodeJS.ErrnoException)
    }
    return finish(ctx, fd, size, startAt, received, total, contentType)
  })
}

/** Moves the body from the socket to the file; resolves with the body bytes received. */
function receiveBody(ctx: Ctx, res: Response, fd: number, append: boolean, startAt: number, total: number | null): Promise<number> {
  const { req } = ctx
  return new Promise((resolve, reject) => {
    let received = 0
    let lastProgress = 0
    // A new file must start like a video: hold its first bytes back until we know.
    let head: Buffer | null = append ? null : Buffer.alloc(0)
    let settled = false
    const sink = new FileSink(fd, startAt, () => res.resume(), (err) => res.close(diskError(err)))
    const settle = (err: Error | null): void => {
      if (settled) return
      settled = true
      // Never return while a background write still targets the file.
      sink.whenIdle(() => (err ? reject(err) : resolve(received)))
    }
    const put = (buf: Buffer, start: number, end: number): boolean => {
      try {
        return sink.write(buf, start, end)
      } catch (err) {
        throw diskError(err as NodeJS.ErrnoException)
      }
    }
    const checkHead = (bytes: Buffer): void => {
      if (!sniffContainer(bytes)) throw markDiscard(notVideo(describeBytes(bytes), ctx.host))
    }
    res.readBody({
      data(buf, start, end) {
        received += end - start
        if (startAt + received > ctx.maxBytes) throw markDiscard(tooLarge(startAt + received, ctx.maxBytes))
        if (req.onProgress) {
          const now = systemClock.monotonic!()
          if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
            lastProgress = now
            safeProgress(req, startAt + received, total)
          }
        }
        if (head !== null) {
          const take = Math.min(SNIFF_BYTES - head.length, end - start)
          head = Buffer.concat([head, buf.subarray(start, start + take)])
          start += take
          if (head.length < SNIFF_BYTES) return true
          const first = head
          head = null
          checkHead(first)
          put(first, 0, first.length) // the first write is always synchronous
          if (start === end) return true
        }
        return put(buf, start, end)
      },
      end() {
        try {
          if (head !== null && head.length > 0) {
            checkHead(head)
            put(head, 0, head.length)
          }
          settle(null)
        } catch (err) {
          settle(err as Error)
        }
      },
      error(err) {
        settle(err)
      }
    })
  })
}

/** Checks the file against what the server announced and what a video looks like, then fsyncs it. */
async function finish(
  ctx: Ctx, fd: number, size: number, resumedFrom: number, transferred: number, total: number | null, contentType: string | null
): Promise<DownloadResult> {
  if (total !== null && size !== total) {
    const err = new DownloadError(
      `The downloaded file has ${size} of the ${total} bytes ${ctx.host} announced; the download will ${size > total ? 'start over' : 'continue from where it stopped'}.`,
      'verify',
      true
    )
    throw size > total ? markDiscard(err) : err
  }
  if (size === 0) {
    throw markDiscard(new DownloadError(`${ctx.host} sent an empty file instead of the video; the download will try again.`, 'verify', true))
  }
  const head = Buffer.alloc(SNIFF_BYTES)
  let container: VideoContainer | null
  try {
    const { bytesRead } = await readAsync(fd, head, 0, SNIFF_BYTES, 0)
    container = sniffContainer(head.subarray(0, bytesRead))
    if (container) await fsyncAsync(fd)
  } catch (err) {
    throw diskError(err as NodeJS.ErrnoException)
  }
  if (!container) throw markDiscard(notVideo(describeBytes(head), ctx.host))
  safeProgress(ctx.req, size, total ?? size)
  return { bytes: size, contentType, resumedFrom, bytesTransferred: transferred, container }
}

async function freeBytes(ctx: Ctx): Promise<number | null> {
  const dir = dirname(ctx.req.partialPath)
  try {
    if (ctx.req.freeSpace) return await ctx.req.freeSpace(dir)
    const st = await statfs(dir)
    return Number(st.bavail) * Number(st.bsize)
  } catch {
    return null
  }
}

function openFile(ctx: Ctx, flags: 'w+' | 'r+'): number {
  try {
    return ctx.req.openWrite ? ctx.req.openWrite(ctx.req.partialPath, flags) : openSync(ctx.req.partialPath, flags)
  } catch (err) {
    throw diskError(err as NodeJS.ErrnoException)
  }
}

async function withFd<T>(fd: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } finally {
    await closeAsync(fd).catch(() => {})
  }
}

async function removePartial(ctx: Ctx): Promise<void> {
  await rm(ctx.req.partialPath, { force: true }).catch(() => {})
  await rm(ctx.metaPath, { force: true }).catch(() => {})
}

function markDiscard<E extends Error>(err: E): E {
  discard.add(err)
  return err
}

function safeProgress(req: DownloadRequest, received: number, total: number | null): void {
  try {
    req.onProgress?.(received, total)
  } catch {
    // A progress listener must not break the download.
  }
}

function parseUrl(raw: string): URL {
  try {
    return new URL(raw)
  } catch {
    // Never echo the input: it may carry a signed token.
    throw new DownloadError('The download link is not a valid URL.', 'http', false)
  }
}

function httpError(status: number, host: string): DownloadError {
  if (status === 401) {
    return new DownloadError(`${host} refused the download (HTTP 401): the API key was not accepted. Check it in Settings.`, 'http', false, { status })
  }
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500
  const advice = retryable ? 'the download will try again' : 'the link cannot be used'
  return new DownloadError(`${host} answered HTTP ${status} to the download; ${advice}.`, 'http', retryable, { status })
}

function notVideo(what: string, host: string): DownloadError {
  return new DownloadError(`The download link from ${host} returned ${what}, not a video.`, 'not_video', false)
}

function tooLarge(bytes: number, max: number): DownloadError {
  return new DownloadError(
    `The video is ${formatBytes(bytes)}, more than the ${formatBytes(max)} limit for one download; it was not saved.`,
    'too_large',
    false
  )
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${n} bytes`
}

function parseLength(v: string | undefined): number | null {
  if (v === undefined || !/^\d+$/.test(v.trim())) return null
  return Number(v.trim())
}

function parseContentRange(v: string | undefined): { start: number; end: number; total: number | null } | null {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(v?.trim() ?? '')
  if (!m) return null
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) }
}
