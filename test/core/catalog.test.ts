import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { Catalog, decodeEndpoints, parseCatalog } from '../../src/core/catalog/catalog'
import { CometClient } from '../../src/core/http/cometClient'
import { RequestBudget } from '../../src/core/http/requestBudget'
import type { HttpTransport } from '../../src/core/http/transport'
import { silentLogger, systemClock } from '../../src/core/ports'

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/cometapi/fixtures.json', import.meta.url), 'utf8'))

describe('decodeEndpoints', () => {
  it('reads every documented encoding', () => {
    const expected = [{ path: '/v1/videos', method: 'POST' }]
    expect(decodeEndpoints('["/v1/videos"]')).toEqual(expected)
    expect(decodeEndpoints('[{"path":"/v1/videos","method":"POST"}]')).toEqual(expected)
    expect(decodeEndpoints('{"create":{"path":"/v1/videos","method":"post"}}')).toEqual(expected)
    expect(decodeEndpoints('{"create":"{\\"path\\":\\"/v1/videos\\",\\"method\\":\\"POST\\"}"}')).toEqual(expected)
    expect(decodeEndpoints([{ path: '/v1/videos', method: 'POST' }])).toEqual(expected)
    expect(decodeEndpoints('/v1/videos')).toEqual(expected)
    expect(decodeEndpoints(JSON.stringify(JSON.stringify(['/v1/videos'])))).toEqual(expected)
  })

  it('survives garbage', () => {
    expect(decodeEndpoints('{not json')).toEqual([])
    expect(decodeEndpoints(null)).toEqual([])
    expect(decodeEndpoints(42)).toEqual([])
    expect(decodeEndpoints('{"a":{"b":{"c":{"d":{"e":{"f":"/v1/videos"}}}}}}')).toEqual([])
  })
})

describe('parseCatalog', () => {
  it('keeps video models, maps families and carries prices', () => {
    const { models } = parseCatalog(fixtures.catalog.response)
    expect(models.map((m) => m.id).sort()).toEqual(['kling-v3', 'sora-2'])
    const sora = models.find((m) => m.id === 'sora-2')!
    expect(sora).toMatchObject({ family: 'openai-videos', familySource: 'endpoints', vendor: 'OpenAI', upcoming: false })
    expect(sora.pricing).toEqual({ perSecond: 0.08, perRequest: null, currency: 'USD' })
    expect(sora.modes).toEqual(['text-to-video', 'image-to-video'])
    const kling = models.find((m) => m.id === 'kling-v3')!
    expect(kling).toMatchObject({ family: 'kling', upcoming: true })
    expect(kling.pricing.perRequest).toBe(0.3)
  })

  it('maps by id prefix when there are no endpoints, and by override last', () => {
    const body = {
      data: [
        { id: 'grok-imagine-video', model_type: 'video', features: ['text-to-video'] },
        { id: 'mystery-video-1', model_type: 'video' },
        { id: 'gen4_turbo', features: ['image-to-video'] }
      ]
    }
    const { models, skipped } = parseCatalog(body, { 'mystery-video-1': 'openai-videos' })
    expect(models.find((m) => m.id === 'grok-imagine-video')).toMatchObject({ family: 'xai', familySource: 'prefix' })
    expect(models.find((m) => m.id === 'mystery-video-1')).toMatchObject({ family: 'openai-videos', familySource: 'override' })
    expect(models.find((m) => m.id === 'gen4_turbo')).toMatchObject({ family: 'runway' })
    expect(skipped).toEqual([])
    expect(parseCatalog({ data: [{ id: 'unknown-x', model_type: 'video' }] }).skipped[0].id).toBe('unknown-x')
  })
})

describe('Catalog cache', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  function client(transport: HttpTransport): CometClient {
    return new CometClient({ baseUrl: () => 'http://127.0.0.1:1', keys: { getKey: async () => null }, transport, clock: systemClock, budget: new RequestBudget(systemClock, 100), logger: silentLogger })
  }

  it('works offline from the cache written by the last refresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvs-cat-'))
    dirs.push(dir)
    const cacheFile = join(dir, 'catalog.json')
    const online: HttpTransport = async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(fixtures.catalog.response)) })
    const a = new Catalog({ client: client(online), cacheFile, clock: systemClock, logger: silentLogger })
    await a.refresh()
    expect(a.models()).toHaveLength(2)
    const offline: HttpTransport = async () => {
      throw new (await import('../../src/core/http/transport')).TransportError('down', 'refused', false)
    }
    const b = new Catalog({ client: client(offline), cacheFile, clock: systemClock, logger: silentLogger })
    expect(b.models().map((m) => m.id)).toContain('sora-2')
    await expect(b.refresh()).rejects.toThrow(/Could not reach/)
    expect(b.models()).toHaveLength(2)
    b.markUnavailable('sora-2', 'model_not_found')
    await new Promise((r) => setTimeout(r, 50)) // the cache is written in the background
    const c = new Catalog({ client: client(offline), cacheFile, clock: systemClock, logger: silentLogger })
    expect(c.resolve('sora-2')?.available).toBe(false)
  })
})
