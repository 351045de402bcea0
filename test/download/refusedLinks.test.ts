// The engine and the downloader's refusals together: a poll answer whose result link points at a
// cloud-metadata address ends the job "made, not downloaded" at once, with the rule in its message,
// and is not tried again; a result link — and every redirect after it — never carries the API key,
// even when a redirect leads back to the API's own origin.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeHttpTransport, type HttpTransport } from '../../src/core/http/transport'
import { createOne, harness, KEY, settle, type Harness } from '../engine/harness'

const kling = (prompt: string) => ({ model: 'kling-v2-6', prompt, seconds: 5, aspectRatio: '16:9' })

/** Rewrites result links in the fake's poll answers (the provider's answer is what an attacker would control). */
function rewriting(rewrite: (url: string) => string, fakeUrl: () => string): HttpTransport {
  return async (req) => {
    const res = await nodeHttpTransport(req)
    if (!/\/kling\//.test(req.url) || req.method !== 'GET') return res
    const text = res.body.toString('utf8')
    const files = new RegExp(`${fakeUrl().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/files/[^"]+`, 'g')
    return { ...res, body: Buffer.from(text.replace(files, (u) => rewrite(u.replace(/\\u0026/g, '&')))) }
  }
}

/** Answers every request with a redirect to the URL in its `to` query parameter, recording what it got. */
async function bouncer(): Promise<{ url: string; seen: { path: string; authorization?: string }[]; close: () => Promise<void> }> {
  const seen: { path: string; authorization?: string }[] = []
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization })
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '/'
    const hops = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('hops') ?? 0)
    const next = hops > 0 ? `/bounce?hops=${hops - 1}&to=${encodeURIComponent(to)}` : to
    res.writeHead(302, { location: next })
    res.end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r()))
  }
}

let h: Harness | null = null
afterEach(async () => {
  await h?.cleanup()
  h = null
})

describe('result links the provider sends', () => {
  it('a link to a cloud-metadata address ends the job made-not-downloaded at once, and is not retried', async () => {
    let fakeUrl = ''
    h = await harness({ durations: { '*': 200 } }, { transport: rewriting((u) => u.replace(/^http:\/\/[^/]+/, 'http://169.254.169.254'), () => fakeUrl) })
    fakeUrl = h.fake.url
    h.engine.start()
    const id = await createOne(h.engine, kling('metadata please'))
    const started = Date.now()
    const [job] = await settle(h.engine, [id], 15_000)
    expect(job.state).toBe('download_failed')
    expect(job.error).toMatchObject({ kind: 'download', code: 'download.failed' })
    expect(job.error?.message).toMatch(/link-local, cloud-metadata or reserved address \(169\.254\.169\.254\)/)
    expect(Date.now() - started).toBeLessThan(10_000)
    // One try, then the verdict: no backoff loop of "interrupted, resuming in N s".
    await new Promise((r) => setTimeout(r, 1500))
    expect(h.logs.filter((l) => l.includes(`download of ${id} failed`))).toHaveLength(1)
    expect(h.engine.getJob(id)?.state).toBe('download_failed')
    expect(h.fake.log.filter((e) => e.kind === 'file')).toEqual([])
  })

  it('the API key never travels with a result-link download, across redirects, even back to the API origin', async () => {
    const bounce = await bouncer()
    try {
      let fakeUrl = ''
      h = await harness({ durations: { '*': 200 } }, { transport: rewriting((u) => `${bounce.url}/bounce?hops=3&to=${encodeURIComponent(u)}`, () => fakeUrl) })
      fakeUrl = h.fake.url
      h.engine.start()
      const id = await createOne(h.engine, kling('follow me home'))
      const [job] = await settle(h.engine, [id], 15_000)
      expect(job.state).toBe('completed')
      expect(bounce.seen.length).toBe(4)
      expect(bounce.seen.map((s) => s.authorization)).toEqual([undefined, undefined, undefined, undefined])
      const files = h.fake.log.filter((e) => e.kind === 'file')
      expect(files.length).toBeGreaterThan(0)
      expect(files.map((f) => f.authorization)).toEqual(files.map(() => null))
      // The key did go where it belongs: the API's own calls.
      expect(h.fake.log.some((e) => e.kind === 'create' && e.authorization === `Bearer ${KEY}`)).toBe(true)
    } finally {
      await bounce.close()
    }
  })
})
