// Download throughput: the engine's downloadFile against `curl -o`, same URL, alternating, same run.
//   npx tsx bench/download.ts [--quick] [--runs N]
//
// The fake CometAPI runs on its own thread and serves a generated file (1 GiB; 128 MiB for the
// concurrent and resume figures) over loopback from a signed result URL, as a finished task's
// video. Our side runs in a child process (bench/download/child.ts), so its peak resident memory
// is the downloader's own; it also fsyncs the file before it returns, as the app does (curl does not).
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeInWorker, type WorkerFake } from '../test/fake-cometapi/worker'
import { quick, Results, runsArg } from './lib/results'
import { run, runTsx, WORK } from './lib/proc'
import { median } from './lib/stats'

const MiB = 1024 ** 2
const BIG = quick ? 256 * MiB : 1024 * MiB
const SMALL = quick ? 32 * MiB : 128 * MiB
const CONCURRENT = 8
const RUNS = runsArg(5, 2)
// The 1 GiB comparison swings with this VM's page-cache speed: more pairs for a steadier median.
const PAIRS = runsArg(9, 2)
const KEY = 'sk-test-good'
const DIR = join(WORK, 'download')
const CHILD = join(import.meta.dirname, 'download/child.ts')

/** Creates an xAI task on the fake and polls it until it hands out its signed result URL. */
async function resultUrl(fake: WorkerFake, model: string): Promise<string> {
  const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }
  const created = (await (await fetch(`${fake.url}/grok/v1/videos/generations`, { method: 'POST', headers, body: JSON.stringify({ model, prompt: 'benchmark' }) })).json()) as { request_id: string }
  for (;;) {
    const body = (await (await fetch(`${fake.url}/grok/v1/videos/${created.request_id}`, { headers })).json()) as { status?: string; video?: { url: string } }
    if (body.status === 'done' && body.video) return body.video.url
    await new Promise((r) => setTimeout(r, 20))
  }
}

interface Single {
  ms: number
  bytes: number
  idleMiB: number
  peakMiB: number
  peakResetOk: boolean
}

/** curl's own transfer time, and how long a `sync FILE` then takes (what durability would add to it). */
async function curlOnce(url: string, file: string): Promise<{ ms: number; bytes: number; syncMs: number }> {
  const out = await run('curl', ['-s', '-o', file, '-w', '%{time_total} %{size_download}', url])
  const t = performance.now()
  await run('sync', [file])
  const syncMs = performance.now() - t
  rmSync(file, { force: true })
  const [secs, bytes] = out.trim().split(' ').map(Number)
  return { ms: secs * 1000, bytes, syncMs }
}

async function curlParallel(url: string, n: number): Promise<{ ms: number; bytes: number; syncMs: number }> {
  const args = ['-s', '-Z', '--parallel-max', String(n)]
  const files = Array.from({ length: n }, (_, i) => join(DIR, `curl-${i}.out`))
  for (const f of files) args.push('-o', f, url)
  let t = performance.now()
  await run('curl', args)
  const ms = performance.now() - t
  t = performance.now()
  await run('sync', files)
  const syncMs = performance.now() - t
  for (const f of files) rmSync(f, { force: true })
  return { ms, bytes: n * SMALL, syncMs }
}

/** Flushes dirty pages left by the previous run, so each measurement starts from the same state. */
const sync = (): Promise<string> => run('sync', [])

const res = new Results('download', '1. Download throughput', 'npx tsx bench/download.ts')
res.describe(
  `A ${BIG / MiB} MiB file served by the fake CometAPI (its own worker thread, Node http + fs stream) over loopback from a task's signed result URL. ` +
    `${PAIRS} runs per side for 1 GiB (${RUNS} for the others), alternating (the side that goes first alternates too), \`sync\` before each run. curl: \`curl -s -o FILE URL\`, time from its own ` +
    `\`%{time_total}\`. Ours: \`downloadFile\` (src/core/download) in a child process, timed around the call, which includes the final fsync curl does not do. ` +
    `Peak memory: the child's VmHWM (peak resident set) after resetting it via /proc/self/clear_refs just before the download, minus its resident set at that moment.`
)
res.describe(
  `Concurrency: ${CONCURRENT} downloads of a ${SMALL / MiB} MiB file at once — ours as ${CONCURRENT} concurrent downloadFile calls in one process, curl as one ` +
    `\`curl -Z --parallel-max ${CONCURRENT}\` process (wall time from spawn). Resume: the fake's \`truncate\` fault sends the first 50 % of the ${SMALL / MiB} MiB body, then ends the connection; ` +
    `a second downloadFile call resumes with Range/If-Range.`
)

mkdirSync(DIR, { recursive: true })
const fake = await startFakeInWorker({
  durations: { '*': 1 },
  videoBytes: { 'grok-imagine-video': BIG, 'grok-imagine-video-1.5': SMALL },
  resultUrlTtlMs: 3600_000
})
try {
  const bigUrl = await resultUrl(fake, 'grok-imagine-video')
  const smallUrl = await resultUrl(fake, 'grok-imagine-video-1.5')
  // Warm-up: the fake generates each file on first use and the OS caches it; neither is measured.
  await curlOnce(bigUrl, join(DIR, 'warm.out'))
  await curlOnce(smallUrl, join(DIR, 'warm.out'))

  const curlMBs: number[] = []
  const oursMBs: number[] = []
  const ratios: number[] = []
  const durableRatios: number[] = []
  const memAbove: number[] = []
  const peaks: number[] = []
  for (let i = 0; i < PAIRS; i++) {
    let c: { ms: number; bytes: number; syncMs: number } | null = null
    let o: Single | null = null
    for (const side of i % 2 === 0 ? ['curl', 'ours'] : ['ours', 'curl']) {
      await sync()
      if (side === 'curl') c = await curlOnce(bigUrl, join(DIR, 'curl.out'))
      else o = await runTsx<Single>(CHILD, ['single', bigUrl, join(DIR, 'ours.part')])
    }
    const cm = c!.bytes / MiB / (c!.ms / 1000)
    const om = o!.bytes / MiB / (o!.ms / 1000)
    if (c!.bytes !== BIG || o!.bytes !== BIG) throw new Error(`size mismatch: curl ${c!.bytes}, ours ${o!.bytes}`)
    curlMBs.push(cm)
    oursMBs.push(om)
    ratios.push(om / cm)
    durableRatios.push(om / (c!.bytes / MiB / ((c!.ms + c!.syncMs) / 1000)))
    memAbove.push(o!.peakMiB - o!.idleMiB)
    peaks.push(o!.peakMiB)
    console.log(`run ${i + 1}/${PAIRS}: curl ${cm.toFixed(0)} MiB/s, ours ${om.toFixed(0)} MiB/s, ratio ${(om / cm).toFixed(3)}, peak RSS ${o!.peakMiB.toFixed(1)} MiB (idle ${o!.idleMiB.toFixed(1)})`)
  }
  res.add(`curl -o, ${BIG / MiB} MiB`, curlMBs, { unit: 'MiB/s', digits: 0 })
  res.add(`downloadFile, ${BIG / MiB} MiB (with fsync)`, oursMBs, { unit: 'MiB/s', digits: 0 })
  res.add('Throughput ratio, ours ÷ curl (per alternating pair)', ratios, {
    target: '≥ 0.95',
    meets: (v) => v >= 0.95,
    digits: 3,
    why:
      'Ours fsyncs the file before it reports it done (a background fdatasync every 64 MiB and one at the end); curl leaves the data in the page cache. ' +
      `Against curl plus a \`sync\` of its file (the next row) the ratio is ${median(durableRatios).toFixed(2)}; the spread is this VM\u2019s page-cache and flush speed, which varies run to run.`
  })
  res.add('Same, against curl + `sync FILE` (the same durability as ours)', durableRatios, { digits: 3 })
  res.add('Peak resident memory above idle while downloading', memAbove, {
    target: '≤ 100 MiB',
    meets: (v) => v <= 100,
    unit: 'MiB',
    digits: 1,
    value: Math.max(...memAbove)
  })
  res.add('Peak resident memory of the downloading process (absolute)', peaks, { unit: 'MiB', digits: 1 })

  const cPar: number[] = []
  const oPar: number[] = []
  const parRatio: number[] = []
  const parDurable: number[] = []
  const parMem: number[] = []
  for (let i = 0; i < RUNS; i++) {
    let c: { ms: number; bytes: number; syncMs: number } | null = null
    let o: { ms: number; bytes: number; idleMiB: number; peakMiB: number } | null = null
    for (const side of i % 2 === 0 ? ['curl', 'ours'] : ['ours', 'curl']) {
      await sync()
      if (side === 'curl') c = await curlParallel(smallUrl, CONCURRENT)
      else o = await runTsx(CHILD, ['multi', smallUrl, DIR, String(CONCURRENT)])
    }
    const cm = c!.bytes / MiB / (c!.ms / 1000)
    const om = o!.bytes / MiB / (o!.ms / 1000)
    cPar.push(cm)
    oPar.push(om)
    parRatio.push(om / cm)
    parDurable.push(om / (c!.bytes / MiB / ((c!.ms + c!.syncMs) / 1000)))
    parMem.push(o!.peakMiB - o!.idleMiB)
    console.log(`concurrent run ${i + 1}/${RUNS}: curl ${cm.toFixed(0)} MiB/s, ours ${om.toFixed(0)} MiB/s aggregate`)
  }
  res.add(`${CONCURRENT} × ${SMALL / MiB} MiB at once: curl -Z, aggregate`, cPar, { unit: 'MiB/s', digits: 0 })
  res.add(`${CONCURRENT} × ${SMALL / MiB} MiB at once: downloadFile, aggregate`, oPar, { unit: 'MiB/s', digits: 0 })
  res.add(`${CONCURRENT} concurrent: aggregate ratio ours ÷ curl`, parRatio, {
    target: '≥ 0.95 (the single-file target, applied here too)',
    meets: (v) => v >= 0.95,
    digits: 3,
    why:
      'Ours makes each file durable before it reports it done (a background fdatasync every 64 MiB and a final fsync per file, 16 flushes per GiB here); ' +
      `curl leaves the data in the page cache. Against curl plus a \`sync\` of its files (the next row) the ratio is ${median(parDurable).toFixed(2)}. ` +
      'On this VM page-cache writes and flushes vary run to run (see the spread); dropping durability is not on the table.'
  })
  res.add(`${CONCURRENT} concurrent: against curl -Z + \`sync\` of its files`, parDurable, { digits: 3 })
  res.add(`${CONCURRENT} concurrent: peak resident memory above idle`, parMem, { target: '≤ 100 MiB', meets: (v) => v <= 100, unit: 'MiB', digits: 1, value: Math.max(...parMem) })

  res.note(
    'For these figures the downloader\u2019s background flush moved from every 256 MiB to every 64 MiB (src/core/download/fileSink.ts), so the final fsync ' +
      'has less left to write: 1 GiB took a median 0.94 s before and 0.88 s after (6 runs each, same session) — a small gain, inside this VM\u2019s noise.'
  )
  const resumeShare: number[] = []
  const wireShare: number[] = []
  for (let i = 0; i < RUNS; i++) {
    await fake.injectOnce({ kind: 'file', fault: 'truncate' })
    const r = await runTsx<{ firstError: string; total: number; resumedFrom: number; transferred: number }>(CHILD, ['resume', smallUrl, join(DIR, 'resume.part')])
    if (i === 0) res.note(`Resume: the cut attempt ended with “${r.firstError}”; the second call kept ${r.resumedFrom} bytes and fetched ${r.transferred}.`)
    resumeShare.push((r.transferred / r.total) * 100)
    wireShare.push(((r.resumedFrom + r.transferred) / r.total) * 100)
  }
  res.add('Cut at 50 % and resumed: bytes transferred again on resume', resumeShare, { target: '≤ 51 %', meets: (v) => v <= 51, unit: '% of the file', digits: 2 })
  res.add('Cut at 50 % and resumed: bytes over the wire in all', wireShare, { unit: '% of the file', digits: 2 })
} finally {
  await fake.close()
  rmSync(DIR, { recursive: true, force: true })
}
res.finish()
