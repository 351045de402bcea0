// Every IPC channel fuzzed with 1,000 malformed payloads through dispatch() and the real handlers
// (a Studio in a temp folder): each is rejected by validation (or, when a mutation happens to be
// valid, handled without an internal error), nothing throws, and memory stays flat. Then payloads
// a compromised page would really send — valid shapes with paths outside the library, traversal,
// absurd numbers, strings at the limit, prototype keys, ids that do not exist — each refused or
// "not found" with no side effect. Then the browser test host's WebSocket bridge, malformed frames.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
import { FIXTURES, makeStudio, prng, sha256, type StudioRig, walkFiles } from './helpers'
import type { ShellPorts } from '../../src/app/shellPorts'
import { SIDECAR_FORMAT } from '../../src/core/library/sidecar'

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
  'keys.list': {},
  'keys.add': { label: 'Team', key: 'sk-test-good' },
  'keys.update': { id: 'k-1', dailyCap: 5 },
  'keys.remove': { id: 'k-1' },
  'engine.status': {},
  'engine.pause': { paused: true },
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
  'jobs.details': { id: 'j1' },
  'jobs.retryFailed': { ids: ['j1'] },
  'jobs.cancelMany': { ids: ['j1'] },
  'files.inspect': { paths: ['/nonexistent/a.png'], model: 'sora-2' },
  'files.chosen': { paths: ['/nonexistent/a.png'] },
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
  'library.ids': { search: 'x', favorite: true, sort: 'newest', offset: 0, limit: 10 },
  'library.favoriteMany': { ids: ['i1'], favorite: true },
  'library.tagMany': { ids: ['i1'], add: ['a'] },
  'library.deleteMany': { ids: ['i1'] },
  'library.export': { ids: ['i1'] },
  'library.saveCopy': { id: 'i1' },
  'library.openFolder': {},
  'spend.summary': {},
  'settings.get': {},
  'settings.update': { theme: 'dark', requestsPerSecond: 2, dailyBudget: null, favoriteModels: ['sora-2'] },
  'settings.chooseFolder': {},
  'settings.moveLibrary': { to: '/nonexistent/library' },
  'proxy.status': {},
  'proxy.set': { settings: { mode: 'auto', type: 'http', host: '', port: null }, credentials: { clear: true } },
  'watch.list': {},
  'watch.add': { path: '/nonexistent/watched', recipe: { model: 'kling-v2-6', prompt: 'fuzz {file}', seconds: 5 } },
  'watch.inspect': { path: '/nonexistent/watched' },
  'watch.remove': { id: 'w1' },
  'watch.pause': { id: 'w1', paused: true },
  'shell.openExternal': { url: 'https://www.cometapi.com' },
  'updates.state': {},
  'updates.check': {},
  'updates.restart': { mode: 'ask' },
  'updates.dismiss': {}
}
/** Valid-by-accident payloads are not run here: they would move the library or hit the network. */
const NEVER_RUN_VALID = new Set<InvokeChannel>(['settings.moveLibrary', 'key.set', 'catalog.list', 'library.rescan'])
/**
 * Not given hostile payloads: they reach the network (a key check, the catalog), or doing what they
 * ask is their job (the preload's record of a drop, the folder dialog, a rescan of the folder, opening it).
 */
const NEVER_RUN_HOSTILE = new Set<InvokeChannel>(['key.set', 'catalog.list', 'files.chosen', 'settings.chooseFolder', 'library.openFolder', 'library.rescan'])
/** Channels that only read: any answer is fine, as long as nothing changed. */
const READ_ONLY = new Set<InvokeChannel>([
  'app.info', 'key.status', 'engine.status', 'jobs.list', 'jobs.validate', 'library.list', 'library.ids', 'library.get', 'library.facets', 'spend.summary', 'settings.get'
])

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

  describe('well-formed hostile payloads', () => {
    let hostileDir: string
    let outside: string
    let hostile: StudioRig
    let h: Handlers
    const shellCalls: string[] = []

    beforeAll(async () => {
      hostileDir = mkdtempSync(join(tmpdir(), 'cvs-torture-hostile-'))
      // What a compromised page would like to reach: files outside the data folder.
      outside = mkdtempSync(join(tmpdir(), 'cvs-torture-outside-'))
      writeFileSync(join(outside, 'secret.txt'), 'CANARY')
      copyFileSync(join(FIXTURES, 'videos/sample.mp4'), join(outside, 'clip.mp4'))
      copyFileSync(join(FIXTURES, 'images/solid-100x100.png'), join(outside, 'photo.png'))
      hostile = makeStudio(hostileDir, fake.url)
      const shell = hostile.studio.o.shell as unknown as Record<keyof ShellPorts, (...args: unknown[]) => unknown>
      for (const name of Object.keys(shell) as (keyof ShellPorts)[]) {
        const real = shell[name]
        shell[name] = (...args: unknown[]) => {
          shellCalls.push(`${name} ${args.filter((a) => typeof a === 'string').join(' ')}`)
          return real(...args)
        }
      }
      h = createHandlers(hostile.studio)
      // One indexed item whose (hostile) sidecar names a script in the library folder.
      const root = hostile.studio.engine.library.root
      mkdirSync(join(root, '.partial'), { recursive: true })
      writeFileSync(join(root, '.partial', 'x.part'), 'PARTIAL')
      writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho owned\n')
      writeFileSync(join(root, 'run.json'), JSON.stringify({
        format: SIDECAR_FORMAT, version: 1, id: 'planted', jobId: 'planted-job', file: 'run.sh', bytes: 21, container: 'mp4',
        model: 'sora-2', provider: 'openai-videos', prompt: 'planted', createdAt: 1, completedAt: 2
      }))
      expect((await h['library.rescan']({})).added).toBe(1)
      // The model list is cached on first use (validating a spec needs it): a legitimate write, done before the snapshot.
      await h['catalog.list']({ refresh: true })
    })
    afterAll(async () => {
      await hostile?.studio.stop()
      rmSync(hostileDir, { recursive: true, force: true })
      rmSync(outside, { recursive: true, force: true })
    })

    type Payload = { kind: string; channel: InvokeChannel; payload: unknown }

    function payloads(): Payload[] {
      const root = hostile.studio.engine.library.root
      const out: Payload[] = []
      const add = (kind: string, channel: InvokeChannel, payload: unknown): void => void out.push({ kind, channel, payload })
      const withKey = (target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> => {
        Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true })
        return target
      }

      // Paths outside the library and the chosen files, traversal in every spelling.
      const paths = [
        join(outside, 'secret.txt'), join(outside, 'photo.png'), join(outside, 'clip.mp4'), `${root}/../../${outside.split('/').pop()}/photo.png`,
        join(root, '.partial', 'x.part'), join(root, 'run.sh'), '/etc/passwd', '/proc/self/environ', '%2e%2e/%2e%2e/etc/passwd', '..%2f..%2fetc%2fpasswd',
        '%252e%252e%252fetc%252fpasswd', '..\\..\\Windows\\win.ini', 'C:\\Windows\\win.ini', '\\\\server\\share\\x.png', 'relative/x.png', 'file:///etc/passwd',
        `${outside}/${'a'.repeat(4096 - outside.length - 1)}`
      ]
      add('paths', 'files.inspect', { paths })
      for (const p of paths) {
        add('paths', 'files.inspect', { paths: [p], model: 'sora-2' })
        add('paths', 'files.inspect', { paths: [p], fromJob: 'nope' })
        add('paths', 'jobs.validate', { spec: { ...spec, images: [p] } })
        add('paths', 'jobs.create', { specs: [{ ...spec, images: [p] }] })
        add('paths', 'jobs.duplicate', { id: 'nope', edits: { images: [p] } })
      }
      for (const to of [outside, join(outside, 'new-library'), `${root}/..`, `${root}/../library2`, join(root, '.partial'), root]) add('paths', 'settings.moveLibrary', { to })
      for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'vbscript:msgbox', 'smb://server/share', 'ms-settings:privacy', 'https://user:pass@example.com/']) {
        add('paths', 'shell.openExternal', { url })
      }
      for (const baseUrl of ['http://169.254.169.254/', 'file:///etc/passwd', 'http://evil.example', 'https://evil.example', 'https://user:pass@api.cometapi.com', `https://${'a'.repeat(480)}.example`]) {
        add('paths', 'settings.update', { baseUrl })
        add('paths', 'settings.update', { baseUrl, confirmOrigin: 'https://other.example' })
      }
      for (const id of ['planted']) for (const channel of ['library.open', 'library.showInFolder'] as const) add('paths', channel, { id })

      // Absurd numbers, where the schema takes numbers.
      for (const [limit, offset] of [[20_000, 10_000_000], [1, -0], [1e308, 0], [1, 2 ** 53], [-0, 0]]) add('numbers', 'jobs.list', { limit, offset })
      for (const [from, to] of [[1e308, -1e308], [-0, -0], [Number.MAX_VALUE, Number.MIN_VALUE], [2 ** 53 + 1, -(2 ** 53)]]) {
        add('numbers', 'library.list', { from, to, offset: 10_000_000, limit: 1000 })
      }
      for (const edit of [{ seconds: 600 }, { seconds: -0 }, { seconds: 5e-324 }, { seed: 2 ** 32 }, { seed: 1e308 }, { params: { n: 1e308 } }, { params: { n: -0 } }, { params: { n: Number.MIN_VALUE } }]) {
        add('numbers', 'jobs.validate', { spec: { ...spec, ...edit } })
        add('numbers', 'jobs.create', { specs: [{ ...spec, ...edit, seconds: (edit as { seconds?: number }).seconds ?? 600 }] })
      }
      for (const patch of [{ requestsPerSecond: 1e308 }, { requestsPerSecond: -0 }, { dailyBudget: 1e308 }, { maxConcurrentDownloads: 2 ** 53 }, { maxConcurrentCreates: -0 }]) {
        add('numbers', 'settings.update', patch)
      }

      // Strings at the limit.
      add('strings', 'jobs.validate', { spec: { model: 'sora-2', prompt: 'p'.repeat(40_000), negativePrompt: 'n'.repeat(10_000), size: 's'.repeat(40), params: { ['k'.repeat(100)]: 'v'.repeat(2000) } } })
      add('strings', 'jobs.create', { specs: [{ ...spec, model: 'm'.repeat(200), prompt: 'p'.repeat(40_000) }] })
      add('strings', 'jobs.remix', { id: 'nope', prompt: 'p'.repeat(40_000) })
      add('strings', 'library.list', { search: 's'.repeat(500), model: new Array(100).fill('m'.repeat(200)), tags: new Array(50).fill('t'.repeat(64)) })
      add('strings', 'files.inspect', { paths: new Array(10_000).fill(join(outside, 'photo.png')), model: 'm'.repeat(200) })
      add('strings', 'shell.openExternal', { url: `file:///${'a'.repeat(1990)}` })
      add('strings', 'settings.update', { confirmOrigin: 'x'.repeat(500), baseUrl: `https://${'b'.repeat(480)}.example` })

      // Prototype keys in every object position of every request (own properties, as JSON.parse makes them).
      const positions = (v: unknown, at: string[] = []): string[][] =>
        v && typeof v === 'object' && !(v instanceof Uint8Array)
          ? [...(Array.isArray(v) ? [] : [at]), ...Object.entries(v).flatMap(([k, x]) => positions(x, [...at, k]))]
          : []
      const protoTemplates: [InvokeChannel, unknown][] = [
        ...(Object.entries(TEMPLATES) as [InvokeChannel, unknown][]).filter(([c]) => !NEVER_RUN_HOSTILE.has(c)),
        ['jobs.validate', { spec: { ...spec, params: { steps: 1 } } }],
        ['jobs.create', { specs: [{ ...spec, images: [join(outside, 'photo.png')], params: { steps: 1 } }] }],
        ['jobs.duplicate', { id: 'nope', edits: { params: { steps: 1 } } }]
      ]
      for (const [channel, template] of protoTemplates) {
        for (const at of positions(template)) {
          for (const key of ['__proto__', 'constructor', 'prototype']) {
            for (const value of [{ polluted: true }, 'polluted', 1]) {
              const copy = clone(template)
              withKey(at.reduce((o, k) => (o as Record<string, unknown>)[k], copy) as Record<string, unknown>, key, value)
              add('prototype keys', channel, copy)
            }
          }
        }
      }

      // Ids that do not exist (and some that look like paths or prototype names), on every channel that takes one.
      const ghosts = ['nope', '..', '.', '.partial', '.trash', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'x'.repeat(128), '0', '-0', '1e308', 'NaN', 'a:b', 'run.json']
      for (const id of ghosts) {
        for (const channel of ['jobs.cancel', 'jobs.retry', 'jobs.duplicate', 'jobs.retryDownload', 'jobs.open', 'jobs.showInFolder', 'library.get', 'library.delete', 'library.open', 'library.showInFolder'] as const) {
          add('unknown ids', channel, { id })
        }
        add('unknown ids', 'jobs.remix', { id, prompt: 'x' })
        add('unknown ids', 'jobs.decide', { id, choice: 'resubmit' })
        add('unknown ids', 'jobs.decideMany', { ids: [id], choice: 'resubmit' })
        add('unknown ids', 'jobs.decideMany', { batchId: id, choice: 'resubmit' })
        add('unknown ids', 'jobs.contact', { id, choice: 'check' })
        add('unknown ids', 'jobs.confirmHeld', { ids: [id] })
        add('unknown ids', 'jobs.remove', { ids: [id] })
        add('unknown ids', 'library.favorite', { id, favorite: true })
        add('unknown ids', 'library.tags', { id, tags: ['__proto__', 'constructor'] })
        add('unknown ids', 'files.inspect', { paths: [join(outside, 'photo.png')], fromJob: id })
      }
      return out
    }

    /** An answer that did nothing: a read, "nothing found", or every path refused unread. */
    function didNothing(channel: InvokeChannel, value: unknown): boolean {
      if (READ_ONLY.has(channel)) return true
      const v = value as { ok?: boolean; jobs?: unknown[]; cards?: unknown[]; rejected?: { code: string }[] } | null
      if (channel === 'files.inspect') return v?.cards?.length === 0 && !!v.rejected?.every((r) => r.code === 'notChosen')
      if (channel === 'jobs.create') return v?.ok === false
      if (channel === 'library.delete') return value === true
      return v === null || value === 0 || (Array.isArray(value) && value.length === 0) || (Array.isArray(v?.jobs) && v.jobs.length === 0)
    }

    function snapshot(): string {
      const engine = hostile.studio.engine
      const files = (d: string): string[] =>
        walkFiles(d).filter((f) => !f.startsWith('studio.db')).map((f) => `${f} ${sha256(readFileSync(join(d, f)))}`)
      return JSON.stringify({
        jobs: engine.countJobs(),
        settings: engine.settings,
        library: engine.library.list({}).items,
        files: files(hostileDir),
        outside: files(outside),
        proto: [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort())
      })
    }

    it('each is refused or not found, touching nothing: no file, no job, no setting, no shell call, no prototype', async () => {
      const all = payloads()
      const before = snapshot()
      const counts: Record<string, number> = {}
      const outcomes = { validation: 0, refused: 0, nothing: 0 }
      const problems: string[] = []
      for (const { kind, channel, payload } of all) {
        counts[kind] = (counts[kind] ?? 0) + 1
        const calls = shellCalls.length
        const jobs = hostile.studio.engine.countJobs()
        const settings = JSON.stringify(hostile.studio.engine.settings)
        const res = await dispatch(h, channel, payload, logger)
        const what = `${kind}: ${channel} ${JSON.stringify(payload)?.slice(0, 160)}`
        if (!res.ok && res.error.code === 'invalid_request') outcomes.validation++
        else if (!res.ok && res.error.code !== 'internal' && res.error.code !== 'busy') outcomes.refused++
        else if (res.ok && didNothing(channel, res.value)) outcomes.nothing++
        else problems.push(`${what} → ${JSON.stringify(res).slice(0, 200)}`)
        if (shellCalls.length !== calls) problems.push(`${what} → shell: ${shellCalls.slice(calls).join('; ')}`)
        if (hostile.studio.engine.countJobs() !== jobs) problems.push(`${what} → a job was created`)
        if (JSON.stringify(hostile.studio.engine.settings) !== settings) problems.push(`${what} → a setting changed`)
      }
      expect(problems.slice(0, 10)).toEqual([])
      expect(shellCalls).toEqual([])
      expect(JSON.parse(snapshot())).toEqual(JSON.parse(before))
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('polluted')
      expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('CANARY')
      figures['hostile well-formed payloads sent'] = all.length
      for (const [kind, n] of Object.entries(counts)) figures[`  of which ${kind}`] = n
      figures['hostile: refused by validation / by the handler / handled as nothing to do'] = `${outcomes.validation} / ${outcomes.refused} / ${outcomes.nothing}`
      figures['hostile: side effects (files, jobs, settings, shell calls, prototypes)'] = 0
    })

    // Studio.savePoster once threw a plain Error here (the person saw "Something went wrong").
    it('a poster for an id that does not exist is refused with a sentence, not an internal error', async () => {
      const before = walkFiles(hostileDir).length
      const internal: string[] = []
      for (const id of ['nope', '..', '.partial', '__proto__', 'constructor', 'x'.repeat(128)]) {
        const res = await dispatch(h, 'library.poster', { id, bytes }, logger)
        expect(res.ok).toBe(false)
        if (!res.ok && res.error.code === 'internal') internal.push(id)
      }
      expect(walkFiles(hostileDir).length).toBe(before)
      expect(internal).toEqual([])
    })
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
