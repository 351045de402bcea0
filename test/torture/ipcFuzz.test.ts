// Every IPC channel fuzzed with 1,000 malformed payloads through dispatch() and the real handlers
// (a Studio in a temp folder): each is rejected by validation (or, when a mutation happens to be
// valid, handled without an internal error), nothing throws, and memory stays flat. Then the same
// through the browser test host's WebSocket bridge with malformed frames.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { checkRequest, dispatch } from '../../src/app/dispatch'
import { createHandlers, type Handlers } from '../../src/app/handlers'
import { INVOKE_CHANNELS, invokeChannels, type InvokeChannel } from '../../src/shared/ipc/contract'
import { startHost, type Host } from '../browser/host/host'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { recordFigures } from './figures'
import { probeImage } from '../../src/core/images/imageProbe'
import { makeStudio, prng, type StudioRig, walkFiles } from './helpers'

const PER_CHANNEL = Number(process.env.FUZZ_N ?? 1000)
const ROUNDS = 4

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

const spec = { model: 'sora-2', prompt: 'fuzz', seconds: 4, size: '1280x720' }
const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47])
/** One valid request per channel: the fuzzer breaks them in every way it knows. */
const TEMPLATES: Record<InvokeChannel, unknown> = {
  'app.info': {},
  'key.status': {},
  'key.set': { key: 'sk-test-good' },
  'key.clear': {},
  'engine.status': {},
  'catalog.list': { refresh: false },
  'jobs.list': { states: ['queued', 'completed'], limit: 10, offset: 0 },
  'jobs.validate': { spec },
  'jobs.create': { specs: [spec], confirmOverBudget: false, lineage: 'compare' },
  'jobs.cancel': { id: 'j1' },
  'jobs.retry': { id: 'j1' },
  'jobs.duplicate': { id: 'j1', edits: { prompt: 'again' } },
  'jobs.remix': { id: 'j1', prompt: 'teal' },
  'jobs.decide': { id: 'j1', choice: 'dismiss' },
  'jobs.decideMany': { batchId: 'b1', choice: 'dismiss' },
  'jobs.retryDownload': { id: 'j1' },
  'jobs.contact': { id: 'j1', choice: 'check' },
  'jobs.confirmHeld': { ids: ['j1'] },
  'jobs.remove': { ids: ['j1'] },
  'jobs.open': { id: 'j1' },
  'jobs.showInFolder': { id: 'j1' },
  'files.inspect': { paths: ['/nonexistent/a.png'], model: 'sora-2' },
  'files.saveFixedImage': { sourceName: 'a.png', mime: 'image/png', bytes },
  'library.list': { search: 'x', model: ['sora-2'], favorite: true, sort: 'newest', offset: 0, limit: 10, from: 0, to: 1 },
  'library.get': { id: 'i1' },
  'library.facets': {},
  'library.favorite': { id: 'i1', favorite: true },
  'library.tags': { id: 'i1', tags: ['a'] },
  'library.poster': { id: 'i1', bytes },
  'library.delete': { id: 'i1' },
  'library.rescan': {},
  'library.open': { id: 'i1' },
  'library.showInFolder': { id: 'i1' },
  'spend.summary': {},
  'settings.get': {},
  'settings.update': { theme: 'dark', requestsPerSecond: 2, dailyBudget: null, favoriteModels: ['sora-2'] },
  'settings.chooseFolder': {},
  'settings.moveLibrary': { to: '/nonexistent/library' },
  'shell.openExternal': { url: 'https://www.cometapi.com' }
}
/** Valid-by-accident payloads are not run here: they would move the library or hit the network. */
const NEVER_RUN_VALID = new Set<InvokeChannel>(['settings.moveLibrary', 'key.set', 'catalog.list', 'library.rescan'])

const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'then', 'valueOf', '', 'x'.repeat(300), '\u0000', 'id', '$bytes']

function deep(depth: number, leaf: unknown): unknown {
  let v = leaf
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v }
  return v
}

const HUGE = 'x'.repeat(100_001) // past every string limit in the contract (the longest is 40,000)
const MANY = new Array(10_001).fill('a') // one past the longest list the contract takes
const DEEP = deep(2000, 1)
const BIG_BYTES = new Uint8Array(3 * 1024 * 1024)
const JUNK: unknown[] = [
  NaN, Infinity, -Infinity, -1, 1e308, 2 ** 53 + 1, 0.5, '', ' ', HUGE, 'nope', '\u0000', '../../etc/passwd', 'C:\\Windows\\System32',
  'relative/path', '%2e%2e/%2e%2e', true, false, null, [], {}, [1, 'a', null], new Array(101).fill({}), { $bytes: '!!!' }, DEEP,
  JSON.parse('{"__proto__":{"polluted":true}}'), BIG_BYTES
]
const NOT_STRINGS = JUNK.filter((j) => typeof j !== 'string')
/** Expensive to check, so used now and then rather than all the time. */
const HEAVY: unknown[] = [MANY, new Array(10_001).fill(NaN), new Array(10_001).fill({ id: 'x' })]

/** Something of the wrong kind in place of `v`. */
function wrong(r: () => number, v: unknown): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]
  if (r() < 0.03) return pick(HEAVY)
  if (typeof v === 'string') return r() < 0.8 ? pick(NOT_STRINGS) : pick([HUGE, `${v}\u0000`, `${v}\r\nX-Injected: 1`])
  if (typeof v === 'number') return pick([NaN, Infinity, -1, 1e308, '1', null, [], 0.5])
  if (typeof v === 'boolean') return pick(['true', 1, 0, null, {}])
  if (Array.isArray(v)) return pick([{}, 'a', 1, new Array(101).fill(v[0] ?? 'a'), [{}], [NaN], [DEEP]])
  return pick(JUNK)
}

/** Copies plain templates (bytes are shared: the fuzzer only ever replaces them). */
function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone)
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]))
  return v
}

function mutate(r: () => number, template: unknown): unknown {
  const roll = r()
  if (roll < 0.12) return wrong(r, template) // the whole payload is the wrong thing
  const copy = clone(template) as Record<string, unknown>
  const keys = Object.keys(copy)
  if (roll < 0.3 || !keys.length) {
    // An unknown key (schemas are strict), including prototype-pollution names.
    const key = KEYS[Math.floor(r() * KEYS.length)]
    Object.defineProperty(copy, key, { value: wrong(r, 'x'), enumerable: true, configurable: true, writable: true })
    return copy
  }
  // A field, possibly nested, replaced by the wrong kind of value.
  let target: Record<string, unknown> = copy
  let key = keys[Math.floor(r() * keys.length)]
  while (target[key] && typeof target[key] === 'object' && !(target[key] instanceof Uint8Array) && r() < 0.6) {
    const inner = target[key] as Record<string, unknown>
    const innerKeys = Object.keys(inner)
    if (!innerKeys.length) break
    target = inner
    key = innerKeys[Math.floor(r() * innerKeys.length)]
  }
  target[key] = wrong(r, target[key])
  return copy
}

describe('IPC fuzzing', () => {
  let fake: FakeCometApi
  let dir: string
  let rig: StudioRig
  let handlers: Handlers
  const figures: Record<string, string | number> = {}
  const logger = { log: () => {} }

  beforeAll(async () => {
    fake = await startFakeCometApi({ durations: { '*': 200 } })
    dir = mkdtempSync(join(tmpdir(), 'cvs-torture-fuzz-'))
    rig = makeStudio(dir, fake.url)
    rig.studio.start()
    handlers = createHandlers(rig.studio)
  })
  afterAll(async () => {
    await rig?.studio.stop()
    await fake?.close()
    rmSync(dir, { recursive: true, force: true })
    recordFigures('IPC fuzzing', figures)
  })

  it(`${PER_CHANNEL.toLocaleString('en')} malformed payloads on each of ${INVOKE_CHANNELS.length} channels: rejected, nothing thrown, memory flat`, async () => {
    const r = prng(4242)
    const perRound = Math.ceil(PER_CHANNEL / ROUNDS)
    const heap: number[] = []
    let rejected = 0
    let validRan = 0
    let validSkipped = 0
    const problems: string[] = []
    const internal: string[] = []
    for (let round = 0; round < ROUNDS; round++) {
      for (const channel of INVOKE_CHANNELS) {
        for (let i = 0; i < perRound; i++) {
          const payload = mutate(r, TEMPLATES[channel])
          if (NEVER_RUN_VALID.has(channel) && checkRequest(channel, payload).ok) {
            validSkipped++
            continue
          }
          let result
          try {
            result = await dispatch(handlers, channel, payload, logger)
          } catch (err) {
            problems.push(`${channel} threw ${(err as Error).message}`)
            continue
          }
          if (!result.ok && result.error.code === 'invalid_request') {
            rejected++
            continue
          }
          // Let through: it must really be a valid request, and be handled without an internal error.
          if (!invokeChannels[channel].req.safeParse(payload ?? {}).success) problems.push(`${channel}: accepted ${JSON.stringify(payload)?.slice(0, 200)}`)
          validRan++
          if (!result.ok && result.error.code === 'internal') internal.push(`${channel}: ${result.error.message} for ${JSON.stringify(payload)?.slice(0, 200)}`)
        }
      }
      gc()
      heap.push(process.memoryUsage().heapUsed)
    }
    // Unknown channels and prototype names as channel names.
    for (const channel of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'jobs', '', 42, null, { toString: () => 'app.info' }]) {
      const res = await dispatch(handlers, channel, {}, logger)
      if (res.ok || res.error.code !== 'unknown_channel') problems.push(`channel ${String(channel)} was not refused`)
    }
    expect(problems.slice(0, 5)).toEqual([])
    expect(internal.slice(0, 5)).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    const growth = heap[heap.length - 1] - heap[1]
    expect(growth).toBeLessThan(16 * 1024 * 1024)
    expect(rig.studio.engine.status().role).toBe('owner')
    // Requests that failed left nothing behind (e.g. an unreadable "fixed" image).
    for (const f of walkFiles(join(dir, 'fixed-images'))) expect((await probeImage(join(dir, 'fixed-images', f))).type, f).not.toBeNull()
    figures.channels = INVOKE_CHANNELS.length
    figures['malformed payloads sent'] = rejected + validRan + validSkipped
    figures['rejected by validation (invalid_request)'] = rejected
    figures['mutations that happened to be valid: handled cleanly / not run'] = `${validRan} / ${validSkipped}`
    figures['internal errors, throws, crashes'] = internal.length + problems.length
    figures['heap after GC, round 2 → last (MB)'] = `${(heap[1] / 1048576).toFixed(1)} → ${(heap[heap.length - 1] / 1048576).toFixed(1)}`
  })

  describe('through the browser test host (WebSocket bridge)', () => {
    let host: Host
    let hostDir: string
    beforeAll(async () => {
      hostDir = mkdtempSync(join(tmpdir(), 'cvs-torture-wshost-'))
      host = await startHost({ dataDir: hostDir, apiUrl: fake.url, dropRoot: hostDir })
    })
    afterAll(async () => {
      await host?.close()
      rmSync(hostDir, { recursive: true, force: true })
    })

    it('malformed frames are dropped or refused, and the host keeps answering', async () => {
      const ws = new WebSocket(host.url.replace('http', 'ws') + '__bridge')
      await new Promise((ok, fail) => {
        ws.once('open', ok)
        ws.once('error', fail)
      })
      const replies: { id?: unknown; result?: { ok: boolean; error?: { code: string } } }[] = []
      ws.on('message', (d) => replies.push(JSON.parse(String(d))))
      const r = prng(7)
      const frames: (string | Buffer)[] = [
        '', '{', 'null', '[]', '"x"', '{"id":1}', '{"id":2,"channel":"nope"}', '{"id":3,"channel":"__proto__","payload":{}}',
        '{"id":4,"channel":"jobs.create","payload":{"specs":"all"}}', `{"id":5,"channel":"app.info","payload":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
        `{"id":8,"channel":"jobs.list","payload":${'{"a":'.repeat(2_000)}1${'}'.repeat(2_000)}}`,
        JSON.stringify({ id: 6, channel: 'library.poster', payload: { id: 'i', bytes: { $bytes: 'not base64!!' } } }),
        Buffer.from([0xff, 0xfe, 0x00, 0x01]), '{"__proto__":{"polluted":1},"id":7,"channel":"app.info"}', 'x'.repeat(2_000_000)
      ]
      for (let i = 0; i < 1000; i++) {
        const base = frames[Math.floor(r() * frames.length)]
        ws.send(typeof base === 'string' && r() < 0.3 ? base.slice(0, Math.floor(r() * base.length)) : base)
      }
      ws.send(JSON.stringify({ id: 'alive', channel: 'app.info', payload: {} }))
      const end = Date.now() + 20_000
      while (!replies.some((x) => x.id === 'alive') && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50))
      ws.close()
      expect(replies.find((x) => x.id === 'alive')?.result?.ok).toBe(true)
      const answered = replies.filter((x) => x.id !== 'alive' && x.result)
      // Only frame 7 is a real request (app.info, with a `__proto__` key that must pollute nothing).
      expect(answered.filter((x) => x.result!.ok).map((x) => x.id)).toEqual(answered.filter((x) => x.result!.ok).map(() => 7))
      expect(answered.filter((x) => !x.result!.ok).length).toBeGreaterThan(100)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      figures['WebSocket: malformed frames sent / host still answering'] = '1,000 / yes'
    })
  })
})
