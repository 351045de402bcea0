import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DownloadError, downloadFile, sniffContainer, type DownloadRequest } from '../../src/core/download/downloader'
import { RangeServer, fakeMp4 } from './rangeServer'

const SIZE = 4 * 1024 * 1024 + 123
const SECRET_QUERY = '?X-Amz-Signature=SECRETSIG123&token=SECRETTOKEN'
const SECRET_KEY = 'Bearer sk-SECRETKEY'

let server: RangeServer
let base: string
let dir: string
let partial: string

beforeAll(async () => {
  server = new RangeServer(fakeMp4(SIZE))
  base = await server.start()
})
afterAll(async () => {
  await server.stop()
})
beforeEach(() => {
  server.setBody(fakeMp4(SIZE), '"v1"')
  server.fault = 'none'
  server.requests = []
  server.bytesSent = 0
  dir = mkdtempSync(join(tmpdir(), 'cvs-dl-'))
  partial = join(dir, '.partial', 'job-1.part')
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function req(extra: Partial<DownloadRequest> = {}): DownloadRequest {
  // The test server is on loopback, like the API base in these tests.
  return { url: `${base}/video.mp4${SECRET_QUERY}`, partialPath: partial, apiBaseUrl: base, connectTimeoutMs: 5000, idleTimeoutMs: 5000, ...extra }
}

async function failure(p: Promise<unknown>): Promise<DownloadError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(DownloadError)
    const e = err as DownloadError
    // Whatever went wrong, no signed token and no key in what a person or a log sees.
    const seen = `${e.message} ${JSON.stringify(e)} ${String(e.stack)}`
    expect(seen).not.toMatch(/SECRET/)
    return e
  }
  throw new Error('expected the download to fail')
}

describe('downloadFile', () => {
  it('downloads the whole file, records resume metadata without the query string', async () => {
    const progress: [number, number | null][] = []
    const r = await downloadFile(req({ onProgress: (a, b) => progress.push([a, b]) }))
    expect(r).toMatchObject({ bytes: SIZE, resumedFrom: 0, bytesTransferred: SIZE, container: 'mp4', contentType: 'video/mp4' })
    expect(readFileSync(partial).equals(server.body)).toBe(true)
    const meta = readFileSync(`${partial}.meta.json`, 'utf8')
    expect(JSON.parse(meta)).toMatchObject({ url: `${base}/video.mp4`, etag: '"v1"', total: SIZE })
    expect(meta).not.toMatch(/SECRET|sig/i)
    expect(progress.at(-1)).toEqual([SIZE, SIZE])
    expect(server.requests[0].range).toBeUndefined()
  })

  it('resumes a download cut at 50% with Range + If-Range and transfers only the rest', async () => {
    server.fault = 'cut-half'
    const e = await failure(downloadFile(req()))
    expect(e.kind).toBe('network')
    expect(e.retryable).toBe(true)
    const half = statSync(partial).size
    expect(half).toBe(Math.floor(SIZE / 2))
    const sentFirst = server.bytesSent

    server.fault = 'none'
    const r = await downloadFile(req())
    expect(r.resumedFrom).toBe(half)
    expect(r.bytesTransferred).toBe(SIZE - half)
    expect(r.bytes).toBe(SIZE)
    expect(server.bytesSent - sentFirst).toBeLessThanOrEqual(Math.ceil(SIZE * 0.51))
    expect(server.bytesSent).toBeLessThanOrEqual(sentFirst + Math.ceil(SIZE * 0.51))
    const last = server.requests.at(-1)!
    expect(last.range).toBe(`bytes=${half}-`)
    expect(last.ifRange).toBe('"v1"')
    expect(readFileSync(partial).equals(server.body)).toBe(true)
  })

  it('restarts cleanly from zero when the server answers a resume with 200', async () => {
    server.fault = 'cut-half'
    await failure(downloadFile(req()))
    server.fault = 'ignore-range'
    const r = await downloadFile(req())
    expect(r.resumedFrom).toBe(0)
    expect(r.bytesTransferred).toBe(SIZE)
    expect(readFileSync(partial).equals(server.body)).toBe(true)
  })

  it('starts over when the file changed (If-Range does not match)', async () => {
    server.fault = 'cut-half'
    await failure(downloadFile(req()))
    const next = fakeMp4(SIZE + 1000, 7)
    server.setBody(next, '"v2"')
    server.fault = 'none'
    const r = await downloadFile(req())
    expect(server.requests.at(-1)!.ifRange).toBe('"v1"')
    expect(r.resumedFrom).toBe(0)
    expect(r.bytes).toBe(next.length)
    expect(readFileSync(partial).equals(next)).toBe(true)
  })

  it('finishes without transferring when the partial is already complete (416)', async () => {
    await downloadFile(req())
    server.requests = []
    const r = await downloadFile(req())
    expect(server.requests[0].range).toBe(`bytes=${SIZE}-`)
    expect(r).toMatchObject({ bytes: SIZE, bytesTransferred: 0, resumedFrom: SIZE, container: 'mp4' })
  })

  it.each([403, 404, 410])('reports %i as an expired link and keeps the partial file', async (status) => {
    server.fault = 'cut-half'
    await failure(downloadFile(req()))
    const before = statSync(partial).size
    server.fault = status
    const e = await failure(downloadFile(req()))
    expect(e).toMatchObject({ kind: 'expired', retryable: true, status })
    expect(statSync(partial).size).toBe(before)
  })

  it('reports other HTTP errors with their status, retryable for 5xx', async () => {
    server.fault = 503
    expect(await failure(downloadFile(req()))).toMatchObject({ kind: 'http', status: 503, retryable: true })
    server.fault = 400
    expect(await failure(downloadFile(req()))).toMatchObject({ kind: 'http', status: 400, retryable: false })
  })

  it('refuses an HTML page, by content type and by content', async () => {
    server.fault = 'html'
    const e = await failure(downloadFile(req()))
    expect(e.kind).toBe('not_video')
    expect(e.message).toContain('an HTML page')
    server.fault = 'html-as-binary'
    const e2 = await failure(downloadFile(req()))
    expect(e2.kind).toBe('not_video')
    expect(e2.message).toContain('an HTML page')
    expect(existsSync(partial)).toBe(false)
    server.fault = 'json'
    expect((await failure(downloadFile(req()))).message).toContain('a JSON document')
  })

  it('refuses a file above maxBytes before writing anything', async () => {
    const e = await failure(downloadFile(req({ maxBytes: 1024 * 1024 })))
    expect(e.kind).toBe('too_large')
    expect(e.retryable).toBe(false)
    expect(e.message).toMatch(/4\.0 MiB.*1\.0 MiB/)
    expect(existsSync(partial)).toBe(false)
    expect(existsSync(`${partial}.meta.json`)).toBe(false)
  })

  it('refuses a huge Content-Length with the default 8 GiB limit', async () => {
    server.fault = 'huge'
    const e = await failure(downloadFile(req()))
    expect(e.kind).toBe('too_large')
    expect(e.message).toContain('20.0 GiB')
    expect(existsSync(partial)).toBe(false)
  })

  it('reports a full disk as a retryable disk error in plain words', async () => {
    if (!existsSync('/dev/full')) return
    const e = await failure(downloadFile(req({ openWrite: () => openSync('/dev/full', 'w') })))
    expect(e).toMatchObject({ kind: 'disk', code: 'ENOSPC', retryable: true })
    expect(e.message).toBe('The disk is full: free some space; the download continues from where it stopped.')
  })

  it('reports a failure to open the file as a disk error', async () => {
    const err = Object.assign(new Error('read-only'), { code: 'EROFS' })
    const e = await failure(
      downloadFile(
        req({
          openWrite: () => {
            throw err
          }
        })
      )
    )
    expect(e).toMatchObject({ kind: 'disk', code: 'EROFS', retryable: true })
  })

  it('is canceled by its abort signal, keeping the partial file', async () => {
    server.fault = 'stall'
    const ac = new AbortController()
    const p = downloadFile(req({ signal: ac.signal, onProgress: (n) => n > 0 && setTimeout(() => ac.abort(), 50) }))
    const e = await failure(p)
    expect(e.kind).toBe('canceled')
    expect(existsSync(partial)).toBe(true)
  })

  it('does not start when the signal is already aborted', async () => {
    const ac = new AbortController()
    ac.abort()
    expect((await failure(downloadFile(req({ signal: ac.signal })))).kind).toBe('canceled')
    expect(server.requests).toHaveLength(0)
  })

  it('calls a stalled transfer a timeout', async () => {
    server.fault = 'stall'
    const e = await failure(downloadFile(req({ idleTimeoutMs: 300 })))
    expect(e).toMatchObject({ kind: 'timeout', retryable: true })
  })

  it('times out when the server never answers', async () => {
    const net = await import('node:net')
    const silent = net.createServer(() => {})
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as import('node:net').AddressInfo).port
    const e = await failure(downloadFile(req({ url: `http://127.0.0.1:${port}/v.mp4${SECRET_QUERY}`, connectTimeoutMs: 200 })))
    expect(e.kind).toBe('timeout')
    silent.close()
  })

  it('reports a refused connection as a retryable network error', async () => {
    const e = await failure(downloadFile(req({ url: `http://127.0.0.1:1/v.mp4${SECRET_QUERY}` })))
    expect(e).toMatchObject({ kind: 'network', retryable: true, code: 'ECONNREFUSED' })
  })

  it('flags a file shorter than the announced total for verification, keeping it for resume', async () => {
    server.fault = 'lying-total'
    const e = await failure(downloadFile(req()))
    expect(e).toMatchObject({ kind: 'verify', retryable: true })
    expect(statSync(partial).size).toBe(SIZE)
  })

  it('follows redirects and gives up on a loop', async () => {
    server.fault = 'redirect'
    const r = await downloadFile(req())
    expect(r.bytes).toBe(SIZE)
    expect(server.requests.map((q) => q.url)).toEqual(['/video.mp4' + SECRET_QUERY, '/final?sig=abc'])
    server.fault = 'redirect-loop'
    const e = await failure(downloadFile(req()))
    expect(e).toMatchObject({ kind: 'refused', retryable: false })
    expect(server.requests.length).toBe(2 + 6)
  })

  it('drops the Authorization header on a redirect to another origin', async () => {
    const cdn = new RangeServer(fakeMp4(SIZE))
    const cdnBase = await cdn.start()
    try {
      server.fault = 'cross-redirect'
      server.redirectTo = `${cdnBase}/signed.mp4?sig=1`
      const r = await downloadFile(req({ headers: { Authorization: SECRET_KEY } }))
      expect(r.bytes).toBe(SIZE)
      expect(server.requests[0].authorization).toBe(SECRET_KEY)
      expect(cdn.requests[0].authorization).toBeUndefined()
    } finally {
      await cdn.stop()
    }
  })

  it('reads chunked bodies', async () => {
    server.fault = 'chunked'
    const r = await downloadFile(req())
    expect(r.bytes).toBe(SIZE)
    expect(readFileSync(partial).equals(server.body)).toBe(true)
  })

  it('throttles progress to at most 10 calls a second', async () => {
    server.fault = 'slow'
    const calls: number[] = []
    const t0 = Date.now()
    await downloadFile(req({ onProgress: () => calls.push(Date.now()) }))
    const seconds = (Date.now() - t0) / 1000
    expect(seconds).toBeGreaterThan(1)
    expect(calls.length).toBeGreaterThan(3)
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 1)
    for (let i = 2; i < calls.length - 1; i++) expect(calls[i] - calls[i - 1]).toBeGreaterThanOrEqual(95)
  })

  it('never puts the query string or the key in an error message', async () => {
    const faults = ['cut-half', 403, 500, 'html', 'huge'] as const
    for (const f of faults) {
      rmSync(partial, { force: true })
      server.fault = f
      await failure(downloadFile(req({ headers: { Authorization: SECRET_KEY } })))
    }
    await failure(downloadFile(req({ url: `nota url ${SECRET_QUERY}` })))
    await failure(downloadFile(req({ url: `ftp://example.com/x${SECRET_QUERY}` })))
    await failure(downloadFile(req({ headers: { Authorization: `${SECRET_KEY}\r\nX-Evil: 1` } })))
  })

  it('does not resume a partial file that is not a video', async () => {
    const dirOf = join(dir, '.partial')
    rmSync(dirOf, { recursive: true, force: true })
    await downloadFile(req())
    writeFileSync(partial, '<html>garbage that is long enough</html>')
    const r = await downloadFile(req())
    expect(r.resumedFrom).toBe(0)
    expect(readFileSync(partial).equals(server.body)).toBe(true)
  })
})

describe('sniffContainer', () => {
  const box = (type: string, brand = 'isom'): Uint8Array => {
    const b = Buffer.alloc(16)
    b.writeUInt32BE(16, 0)
    b.write(type, 4, 'latin1')
    b.write(brand, 8, 'latin1')
    return b
  }
  it('knows MP4, QuickTime and WebM signatures', () => {
    expect(sniffContainer(box('ftyp'))).toBe('mp4')
    expect(sniffContainer(box('ftyp', 'mp42'))).toBe('mp4')
    expect(sniffContainer(box('ftyp', 'qt  '))).toBe('mov')
    for (const t of ['moov', 'mdat', 'free', 'wide']) expect(sniffContainer(box(t))).toBe('mp4')
    expect(sniffContainer(Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3, 4]))).toBe('webm')
  })
  it('rejects everything else', () => {
    expect(sniffContainer(Buffer.from('<!DOCTYPE html><html>'))).toBeNull()
    expect(sniffContainer(Buffer.from('{"error":"x"}'))).toBeNull()
    expect(sniffContainer(new Uint8Array(0))).toBeNull()
    expect(sniffContainer(Buffer.from('abc'))).toBeNull()
  })
})
