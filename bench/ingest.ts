// Batch ingest: 1,000 dropped images checked, turned into 1,000 jobs, persisted and announced.
//   npx tsx bench/ingest.ts [--quick] [--runs N] [--files N]
//
// What the app does when a folder of images is dropped on the batch screen and Create is pressed:
// `inspectFiles` (src/app/fileInspector.ts: magic bytes and pixel size from the headers,
// a content fingerprint for duplicates, the model's checks), then `engine.createJobs` for every
// usable card (validation probes each image again, then one transaction writes every job before any
// network call, then a `job.created` event per job). The engine is not started: nothing is sent.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Engine } from '../src/core/engine'
import { probeImage } from '../src/core/images/imageProbe'
import { ImageTokens, inspectFiles } from '../src/app/fileInspector'
import type { JobSpec } from '../src/shared/jobs'
import { applyDefaults } from '../src/shared/validation'
import { solidPng } from '../test/helpers/png'
import { startFakeInWorker } from '../test/fake-cometapi/worker'
import { WORK } from './lib/proc'
import { Results, runsArg } from './lib/results'
import { prng } from './lib/stats'

const FILES = (() => {
  const i = process.argv.indexOf('--files')
  return i > 0 ? Number(process.argv[i + 1]) : 1000
})()
const RUNS = runsArg(5, 2)
const MODEL = 'doubao-seedance-2-0'
const DROP = join(WORK, `ingest-${FILES}`)

// ---- the dropped files (generated once, cached) -------------------------------------------------

const SIZES: [number, number][] = [[640, 360], [1280, 720], [1920, 1080], [720, 1280], [1024, 1024], [800, 600], [3000, 2000], [1080, 1920]]

/** Bytes after the header: distinct per file (no accidental duplicates), cheap to make. */
function filler(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n)
  let x = seed * 2654435761
  for (let i = 0; i < n; i += 4) {
    x = (x * 1103515245 + 12345) >>> 0
    b.writeUInt32LE(x, Math.min(i, n - 4))
  }
  return b
}

function jpeg(w: number, h: number, size: number, seed: number): Buffer {
  const soi = Buffer.from([0xff, 0xd8])
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00])
  // An EXIF-sized APP1 before the frame header, as cameras write it.
  const exifLen = 8000
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, exifLen >> 8, exifLen & 0xff]), filler(exifLen - 2, seed + 1)])
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 0xff, w >> 8, w & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01])
  const head = Buffer.concat([soi, app0, app1, sof])
  return Buffer.concat([head, filler(Math.max(0, size - head.length - 2), seed), Buffer.from([0xff, 0xd9])])
}

function webp(w: number, h: number, size: number, seed: number): Buffer {
  const head = Buffer.alloc(30)
  head.write('RIFF', 0, 'ascii')
  head.writeUInt32LE(size - 8, 4)
  head.write('WEBPVP8 ', 8, 'ascii')
  head.writeUInt32LE(size - 20, 16)
  head[20] = 0x10 // frame tag (keyframe)
  head[23] = 0x9d
  head[24] = 0x01
  head[25] = 0x2a
  head.writeUInt16LE(w & 0x3fff, 26)
  head.writeUInt16LE(h & 0x3fff, 28)
  return Buffer.concat([head, filler(Math.max(0, size - 30), seed)])
}

function png(w: number, h: number, size: number, seed: number): Buffer {
  // A real tiny PNG whose IHDR we rewrite to the wanted size, padded with an ancillary chunk.
  const base = Buffer.from(solidPng(8, 8, [seed & 255, (seed >> 8) & 255, 90]))
  base.writeUInt32BE(w, 16)
  base.writeUInt32BE(h, 20)
  const pad = Math.max(0, size - base.length - 12)
  const chunk = Buffer.alloc(12 + pad)
  chunk.writeUInt32BE(pad, 0)
  chunk.write('zTXt', 4, 'ascii')
  filler(pad, seed).copy(chunk, 8)
  // IEND must stay last: insert before it.
  return Buffer.concat([base.subarray(0, base.length - 12), chunk, base.subarray(base.length - 12)])
}

interface DropSet {
  paths: string[]
  bytes: number
  kinds: Record<string, number>
}

function makeDrop(): DropSet {
  const marker = join(DROP, '.complete')
  if (!existsSync(marker)) {
    rmSync(DROP, { recursive: true, force: true })
    mkdirSync(DROP, { recursive: true })
    const rand = prng(7)
    for (let i = 0; i < FILES; i++) {
      const r = rand()
      const [w, h] = SIZES[Math.floor(rand() * SIZES.length)]
      // Log-uniform 20 KB .. 2.5 MB: phone screenshots to camera photos.
      const size = Math.round(20_000 * Math.exp(rand() * Math.log(125)))
      const id = String(i).padStart(4, '0')
      let name: string
      let data: Buffer
      if (r < 0.015) [name, data] = [`scan-${id}.png`, Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n'), filler(40_000, i)])]
      else if (r < 0.03) [name, data] = [`empty-${id}.jpg`, Buffer.alloc(0)]
      else if (r < 0.05) [name, data] = [`cut-${id}.jpg`, jpeg(w, h, size, i).subarray(0, 600)]
      else if (r < 0.5) [name, data] = [`photo-${id}.png`, png(w, h, size, i)]
      else if (r < 0.85) [name, data] = [`photo-${id}.jpg`, jpeg(w, h, size, i)]
      else [name, data] = [`photo-${id}.webp`, webp(w, h, size, i)]
      writeFileSync(join(DROP, name), data)
    }
    writeFileSync(marker, '')
  }
  const names = readdirSync(DROP).filter((n) => !n.startsWith('.')).sort()
  const kinds: Record<string, number> = {}
  for (const n of names) {
    const k = n.startsWith('photo-') ? n.split('.').pop()! : n.split('-')[0]
    kinds[k] = (kinds[k] ?? 0) + 1
  }
  return { paths: names.map((n) => join(DROP, n)), bytes: 0, kinds }
}

// ---- the measurement -----------------------------------------------------------------------------

interface RunResult {
  inspectMs: number
  createMs: number
  totalMs: number
  cards: number
  rejected: number
  jobsInDb: number
  events: number
  maxBlockMs: number
  p99BlockMs: number
}

async function once(drop: DropSet, apiUrl: string, run: number): Promise<RunResult> {
  const dataDir = join(WORK, `ingest-data-${run}`)
  rmSync(dataDir, { recursive: true, force: true })
  const engine = new Engine({ dataDir, keys: { getKey: async () => 'sk-test-good' }, settingsOverrides: { baseUrl: apiUrl } })
  await engine.refreshModels({ force: true })
  const model = engine.model(MODEL)
  if (!model) throw new Error(`${MODEL} is not in the fake catalog`)
  let events = 0
  engine.on((e) => {
    if (e.type === 'job.created') events++
  })
  const tokens = new ImageTokens()
  await new Promise((r) => setTimeout(r, 20))

  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  const t0 = performance.now()
  const reply = await inspectFiles(drop.paths, model, tokens)
  const t1 = performance.now()
  const usable = reply.cards.filter((c) => c.problems.length === 0 && !c.duplicateOf)
  const specs: JobSpec[] = usable.map((c) => applyDefaults({ model: MODEL, prompt: 'The photo slowly comes alive', images: [c.path] }, model.rules))
  const created = await engine.createJobs({ specs, confirmOverBudget: true })
  const t2 = performance.now()
  loop.disable()
  if (!created.ok) throw new Error(`createJobs refused the batch: ${JSON.stringify(created.errors.slice(0, 3))}`)
  const jobsInDb = engine.countJobs()
  await engine.close()
  rmSync(dataDir, { recursive: true, force: true })
  return {
    inspectMs: t1 - t0,
    createMs: t2 - t1,
    totalMs: t2 - t0,
    cards: usable.length,
    rejected: reply.rejected.length + reply.cards.length - usable.length,
    jobsInDb,
    events,
    maxBlockMs: loop.max / 1e6,
    p99BlockMs: loop.percentile(99) / 1e6
  }
}

const res = new Results('ingest', '3. Batch ingest', 'npx tsx bench/ingest.ts')
const drop = makeDrop()
res.describe(
  `${drop.paths.length.toLocaleString('en')} files dropped at once (generated once into bench/.work): ${Object.entries(drop.kinds).map(([k, n]) => `${n} ${k}`).join(', ')} ` +
    `(scan = a PDF named .png, empty = 0 bytes, cut = a JPEG cut before its frame header). Sizes log-uniform 20 KB–2.5 MB; JPEGs carry an 8 KB EXIF block before the frame header. ` +
    `Model ${MODEL} (PNG/JPEG/WebP). Timed: \`inspectFiles\` + \`engine.createJobs\` for every usable card, until every job is in SQLite and its \`job.created\` event emitted. ` +
    `Main-thread blocking: \`perf_hooks.monitorEventLoopDelay\` (5 ms resolution) over the whole operation, max. ${RUNS} runs, each into a fresh database; the OS file cache is warm after the first.`
)
const fake = await startFakeInWorker({})
const results: RunResult[] = []
try {
  for (let r = 0; r < RUNS; r++) {
    const x = await once(drop, fake.url, r)
    results.push(x)
    console.log(`run ${r + 1}/${RUNS}: inspect ${x.inspectMs.toFixed(0)} ms + create ${x.createMs.toFixed(0)} ms = ${x.totalMs.toFixed(0)} ms; ${x.cards} jobs (${x.jobsInDb} rows, ${x.events} events), ${x.rejected} rejected; longest block ${x.maxBlockMs.toFixed(1)} ms`)
  }
} finally {
  await fake.close()
}
const last = results[results.length - 1]
res.note(`Each run: ${last.cards} jobs created (${last.jobsInDb} rows in the jobs table, ${last.events} \`job.created\` events) and ${last.rejected} files set aside with a reason.`)
res.add(`${drop.paths.length.toLocaleString('en')} files → ${last.cards} jobs persisted and announced`, results.map((x) => x.totalMs), {
  target: '< 1,000 ms',
  meets: (v) => v < 1000,
  unit: 'ms',
  digits: 0,
  why:
    'Two steps wait on the disk one file at a time (the "where it goes" rows): fileInspector\u2019s folder walk (stat + realpath per file) and createJobs\u2019 ' +
    'validation (a header probe per image, one after another). Doing each 16 at a time, as the inspector already does for its own probes, saves the difference ' +
    'shown there (src/app/fileInspector.ts collect, src/core/engine.ts createJobs).'
})
res.add('… of which inspecting the files (headers, fingerprints, model checks)', results.map((x) => x.inspectMs), { unit: 'ms', digits: 0 })
res.add('… of which createJobs (validation, one transaction, events)', results.map((x) => x.createMs), { unit: 'ms', digits: 0 })
res.add('Longest main-thread block during the ingest', results.map((x) => x.maxBlockMs), { target: '≤ 50 ms', meets: (v) => v <= 50, unit: 'ms', digits: 1, value: Math.max(...results.map((x) => x.maxBlockMs)) })
res.add('Event-loop delay p99 during the ingest', results.map((x) => x.p99BlockMs), { unit: 'ms', digits: 1 })
// Where the time goes: two steps that wait on the disk one file at a time, against the same work
// done 16 at a time (what would shorten them; engine.ts and fileInspector.ts are outside bench/).
async function limited<T>(items: T[], n: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++])
  }))
}
const usablePaths = drop.paths.filter((p) => /photo-/.test(p))
const walkSeq: number[] = []
const walkPar: number[] = []
const probeSeq: number[] = []
const probePar: number[] = []
for (let r = 0; r < Math.min(RUNS, 3); r++) {
  let t = performance.now()
  for (const p of drop.paths) {
    await stat(p)
    await realpath(p)
  }
  walkSeq.push(performance.now() - t)
  t = performance.now()
  await limited(drop.paths, 16, async (p) => {
    await stat(p)
    await realpath(p)
  })
  walkPar.push(performance.now() - t)
  t = performance.now()
  for (const p of usablePaths) await probeImage(p)
  probeSeq.push(performance.now() - t)
  t = performance.now()
  await limited(usablePaths, 16, (p) => probeImage(p))
  probePar.push(performance.now() - t)
}
res.add('Where it goes: stat + realpath of each dropped file, one at a time (fileInspector collect)', walkSeq, { unit: 'ms', digits: 0 })
res.add('… the same, 16 at a time', walkPar, { unit: 'ms', digits: 0 })
res.add('Where it goes: header probe of each usable image, one at a time (engine.createJobs → validate)', probeSeq, { unit: 'ms', digits: 0 })
res.add('… the same, 16 at a time', probePar, { unit: 'ms', digits: 0 })

res.finish()
