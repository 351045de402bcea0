import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { destinationGuard } from '../../src/core/download/addressPolicy'
import { ChunkedDecoder } from '../../src/core/download/chunked'
import { openResponse, type Response } from '../../src/core/download/httpClient'
import { RangeServer, fakeMp4 } from './rangeServer'

const body = fakeMp4(3 * 1024 * 1024 + 7)
let server: RangeServer
let base: string

beforeAll(async () => {
  server = new RangeServer(body)
  base = await server.start()
})
afterAll(async () => {
  await server.stop()
})

// The servers here are on loopback, and so is the (pretend) API.
const opts = { headers: {}, connectTimeoutMs: 5000, idleTimeoutMs: 5000, maxRedirects: 5, readBufferBytes: 64 * 1024, guard: destinationGuard('http://127.0.0.1') }

/** Reads a body, pausing after every other piece and resuming on a later tick (like background writes). */
function readPausing(res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let n = 0
    res.readBody({
      data(buf, start, end) {
        parts.push(Buffer.from(buf.subarray(start, end)))
        if (n++ % 2 === 0) return true
        setImmediate(() => res.resume())
        return false
      },
      end: () => resolve(Buffer.concat(parts)),
      error: reject
    })
  })
}

describe('openResponse', () => {
  it.each(['none', 'chunked'] as const)('delivers a %s body intact across pauses', async (fault) => {
    server.fault = fault
    const res = await openResponse(new URL(`${base}/v.mp4`), opts)
    expect(res.status).toBe(200)
    expect((await readPausing(res)).equals(body)).toBe(true)
  })

  it('reads a body delimited by the connection closing, after skipping 100 Continue', async () => {
    const payload = fakeMp4(500_000)
    const raw = net.createServer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nX-Folded: a\r\n b\r\n\r\n')
        s.end(payload)
      })
    })
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r))
    const port = (raw.address() as net.AddressInfo).port
    try {
      const res = await openResponse(new URL(`http://127.0.0.1:${port}/x`), opts)
      expect(res.status).toBe(200)
      expect(res.headers['x-folded']).toBe('a b')
      expect((await readPausing(res)).equals(payload)).toBe(true)
    } finally {
      raw.close()
    }
  })

  it('rejects a malformed response', async () => {
    const raw = net.createServer((s) => s.once('data', () => s.end('SSH-2.0-OpenSSH\r\n\r\n')))
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r))
    const port = (raw.address() as net.AddressInfo).port
    try {
      await expect(openResponse(new URL(`http://127.0.0.1:${port}/x`), opts)).rejects.toMatchObject({ kind: 'http' })
    } finally {
      raw.close()
    }
  })
})

describe('ChunkedDecoder', () => {
  it('decodes a body split at every possible point', () => {
    const wire = Buffer.from('5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n')
    for (let cut = 0; cut <= wire.length; cut++) {
      const d = new ChunkedDecoder()
      let out = ''
      let done = false
      for (const piece of [wire.subarray(0, cut), wire.subarray(cut)]) {
        let pos = 0
        while (pos < piece.length && !done) {
          const step = d.step(piece, pos, piece.length)
          pos = step.pos
          if (step.data) out += piece.subarray(step.data[0], step.data[1]).toString()
          if (step.done) done = true
        }
      }
      expect(out).toBe('hello, world')
      expect(done).toBe(true)
    }
  })

  it('throws on a bad chunk size', () => {
    const d = new ChunkedDecoder()
    const wire = Buffer.from('zz\r\n')
    expect(() => d.step(wire, 0, wire.length)).toThrow()
  })
})
