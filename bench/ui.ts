// The interface at scale, in headless Chromium through the browser test host (real services,
// built renderer): 10,000 jobs in the queue and 10,000 videos in the library.
//   npx tsx bench/ui.ts [--quick] [--runs N]
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { JobView } from '../src/shared/jobs'
import { startFakeInWorker } from '../test/fake-cometapi/worker'
import { startHost, type Host } from '../test/browser/host/host'
import { studioDb } from './lib/fixtures'
import { ROOT, run, WORK } from './lib/proc'
import { quick, Results, runsArg } from './lib/results'
import { median, percentile } from './lib/stats'

const RUNS = runsArg(5, 2)
const UPDATE_RUNS = quick ? 1 : 3
const UPDATE_SECONDS = quick ? 4 : 10
const UPDATES_PER_SECOND = 200
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const DIR = join(WORK, 'ui')
const VIEWPORT = { width: 1280, height: 800 }

/**
 * Installed before the app's scripts: long tasks, animation-frame times while recording, the
 * earliest click on the screen named in `?bench=`, when its first row or card is in the DOM and
 * when that frame is painted, and every library card that entered the viewport.
 */
const PAGE_PROBE = `(() => {
  const target = new URLSearchParams(location.search).get('bench')
  const rowSelector = target === 'library' ? '[data-testid="library-card"]' : '[data-testid="queue-row"]'
  const b = window.__bench = { longtasks: [], frames: [], recording: false, navClickAt: null, firstRowAt: null, firstPaintAt: null, seen: new Set(), invokes: [] }
  // Times every call the app makes to main (window.api is installed by the host's bridge after this).
  let api
  Object.defineProperty(window, 'api', { configurable: true, get() { return api }, set(v) {
    const invoke = v.invoke.bind(v)
    v.invoke = async (channel, request) => {
      const t = performance.now()
      try { return await invoke(channel, request) } finally { b.invokes.push({ channel, start: t, end: performance.now() }) }
    }
    api = v
  } })
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration }) })
      .observe({ type: 'longtask', buffered: true })
  } catch (e) { b.noLongTaskApi = String(e) }
  const tick = (t) => { if (b.recording) b.frames.push(t); requestAnimationFrame(tick) }
  requestAnimationFrame(tick)
  const io = new IntersectionObserver((entries) => { for (const e of entries) if (e.isIntersecting) b.seen.add(e.target.getAttribute('data-item-id')) })
  const watched = new WeakSet()
  const afterPaint = (fn) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = fn; ch.port2.postMessage(0) })
  new MutationObserver(() => {
    if (target && b.navClickAt === null) {
      const nav = document.querySelector('[data-testid="nav-' + target + '"]')
      if (nav) { b.navClickAt = performance.now(); nav.click() }
    }
    if (b.navClickAt !== null && b.firstRowAt === null && document.querySelector(rowSelector)) {
      b.firstRowAt = performance.now()
      afterPaint(() => { b.firstPaintAt = performance.now() })
    }
    if (target === 'library') for (const el of document.querySelectorAll('[data-testid="library-card"]')) if (!watched.has(el)) { watched.add(el); io.observe(el) }
  }).observe(document, { childList: true, subtree: true })
})()`

interface Bench {
  invokes: { channel: string; start: number; end: number }[]
  longtasks: { start: number; duration: number }[]
  frames: number[]
  navClickAt: number | null
  firstRowAt: number | null
  firstPaintAt: number | null
  seenCount: number
  noLongTaskApi?: string
}

/** In the page: the probe saw the first row or card painted. (A function: the app's CSP forbids string eval.) */
const painted = (): boolean => (globalThis as unknown as { __bench?: { firstPaintAt: number | null } }).__bench?.firstPaintAt != null

const readBench = (page: Page): Promise<Bench> =>
  page.evaluate(`(() => { const b = window.__bench; return { invokes: b.invokes, longtasks: b.longtasks, frames: b.frames, navClickAt: b.navClickAt, firstRowAt: b.firstRowAt, firstPaintAt: b.firstPaintAt, seenCount: b.seen.size, noLongTaskApi: b.noLongTaskApi } })()`) as Promise<Bench>

async function openScreen(browser: Browser, url: string, screen: 'queue' | 'library'): Promise<{ page: Page; b: Bench }> {
  const page = await browser.newPage({ viewport: VIEWPORT })
  await page.addInitScript(PAGE_PROBE)
  await page.goto(`${url}?bench=${screen}`)
  await page.waitForFunction(painted, undefined, { timeout: 60_000 })
  return { page, b: await readBench(page) }
}

/** Frame intervals (ms) between consecutive recorded animation frames. */
function intervals(frames: number[]): number[] {
  const out: number[] = []
  for (let i = 1; i < frames.length; i++) out.push(frames[i] - frames[i - 1])
  return out
}

/** Scrolls the element under the mouse back and forth with wheel events until `until`. */
async function wheelUntil(page: Page, until: number, step: number, pauseMs: number, flipEvery: number): Promise<number> {
  let n = 0
  while (Date.now() < until) {
    const dir = Math.floor(n / flipEvery) % 2 === 0 ? 1 : -1
    await page.mouse.wheel(0, dir * step)
    n++
    await new Promise((r) => setTimeout(r, pauseMs))
  }
  return n
}

const res = new Results('ui', '5. Interface at scale', 'npx tsx bench/ui.ts')
if (!existsSync(CHROMIUM)) {
  res.note(`No Chromium at ${CHROMIUM}: the interface benchmark did not run.`)
  res.finish()
  process.exit(0)
}
if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
  console.log('building the renderer (npx electron-vite build)…')
  await run('npx', ['electron-vite', 'build'])
  res.note('The renderer was built for this run (`npx electron-vite build`).')
}

rmSync(DIR, { recursive: true, force: true })
const dataDir = join(DIR, 'data')
const made = studioDb(join(dataDir, 'studio.db'), { items: 10_000, jobs: 10_000, poster: '.posters/shared.jpg' })
if (made.built) res.note(`Built the interface database in ${(made.buildMs / 1000).toFixed(1)} s (cached in bench/.work/db).`)
mkdirSync(join(dataDir, 'library/.posters'), { recursive: true })
copyFileSync(join(ROOT, 'test/fixtures/images/solid-300x300.jpg'), join(dataDir, 'library/.posters/shared.jpg'))
const drop = join(DIR, 'drop')
mkdirSync(drop, { recursive: true })

res.describe(
  `The browser test host (test/browser/host: the real Studio services and handlers, the built renderer from out/renderer) in this process, Debian's Chromium headless ` +
    `(software rendering, ${VIEWPORT.width}×${VIEWPORT.height}) driven by playwright-core, the fake CometAPI on a worker thread for the catalog. The database holds ` +
    `10,000 jobs (85 % completed, 7 % failed, 5 % canceled, 3 % held) and 10,000 library videos, each with a poster. The host carries the preload API over a ` +
    `WebSocket with JSON (Electron uses structured-clone IPC); pushes are coalesced every 150 ms as in the host.`
)

const fake = await startFakeInWorker({})
const host: Host = await startHost({ dataDir, apiUrl: fake.url, dropRoot: drop, envKey: 'sk-test-good' })
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
})
try {
  // ---- queue: first render --------------------------------------------------------------------------
  const cold: number[] = []
  const afterClick: number[] = []
  const listTrip: number[] = []
  const loadTask: number[] = []
  const warm: number[] = []
  for (let i = 0; i < RUNS + 1; i++) {
    const { page, b } = await openScreen(browser, host.url, 'queue')
    // The first load warms Chromium's caches (code cache, fonts): measured separately below.
    if (i > 0) {
      cold.push(b.firstPaintAt!)
      afterClick.push(b.firstPaintAt! - b.navClickAt!)
      const list = b.invokes.find((x) => x.channel === 'jobs.list')
      if (list) listTrip.push(list.end - list.start)
      loadTask.push(b.longtasks.reduce((m, t) => Math.max(m, t.duration), 0))
    }
    // Warm: the jobs are loaded; leave the queue and come back.
    await page.click('[data-testid="nav-compose"]')
    await page.waitForSelector('[data-testid="queue-row"]', { state: 'detached' })
    const ms = (await page.evaluate(`new Promise((resolve) => {
      const t = performance.now()
      const mo = new MutationObserver(() => {
        if (document.querySelector('[data-testid="queue-row"]')) {
          mo.disconnect()
          requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => resolve(performance.now() - t); ch.port2.postMessage(0) })
        }
      })
      mo.observe(document, { childList: true, subtree: true })
      document.querySelector('[data-testid="nav-queue"]').click()
    })`)) as number
    warm.push(ms)
    await page.close()
  }
  res.add('Queue with 10,000 jobs: page load → first rows painted', cold, {
    target: '≤ 300 ms',
    meets: (v) => v <= 300,
    unit: 'ms',
    digits: 0,
    why:
      'The queue itself is not the cost: the renderer asks for the first 60 jobs at boot (about 45 kB) and the rest only after the first paint, the host ' +
      'answers each start-up call in 1–3 ms (timed in the host while tracing this benchmark), and the warm figure below is ~30 ms. The time is the page getting ' +
      'going in headless Chromium with software rendering on 2 cores: about 100–160 ms before its 440 kB script has run and the first screen exists, then ' +
      'the replies wait while that main thread finishes its first render, then render and paint (~60 ms). Runs of the same code landed on both sides of ' +
      '300 ms (a full run before this one: 273 ms). What would give it a safe margin: loading the screens not shown first (library, player, spend, settings, ' +
      'compare) as separate chunks so less script is compiled and run before the first screen (react-dom is 200 kB of the 440 kB and stays); under a CPU ' +
      'profile most of the main thread before the rows is Chromium’s own work (compile, style, layout, paint), no app function over 30 ms. In the packaged ' +
      'app the page comes from disk and talks over Electron IPC instead of a WebSocket, which this host cannot measure.'
  })
  res.add('… from the earliest click on Queue (app booted) → first rows painted', afterClick, { unit: 'ms', digits: 0 })
  res.add('… of which the first jobs.list round trip (the first 60 jobs)', listTrip, { unit: 'ms', digits: 0 })
  res.add('… longest task while loading (running the script, first render, the first jobs)', loadTask, { unit: 'ms', digits: 0 })
  res.add('Queue again, jobs already loaded: click → rows painted', warm, { target: '≤ 300 ms', meets: (v) => v <= 300, unit: 'ms', digits: 0 })

  // ---- queue: 200 updates/s while scrolling -----------------------------------------------------------
  const longMax: number[] = []
  const longCount: number[] = []
  const fps: number[] = []
  const p95Frame: number[] = []
  const maxFrame: number[] = []
  const pushes: number[] = []
  let delivered = 0
  let runningRows = 0
  for (let r = 0; r < UPDATE_RUNS; r++) {
    const { page } = await openScreen(browser, host.url, 'queue')
    await page.waitForTimeout(1000)
    const box = (await page.locator('[data-testid="queue-list"]').boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    // 100 jobs among the first 400 rows (what scrolling passes over), each updated twice a second.
    const jobs = host.studio.engine.listJobs({ limit: 400, order: 'desc' }).filter((_, i) => i % 4 === 0)
    await page.evaluate('(() => { const b = window.__bench; b.longtasks.length = 0; b.frames.length = 0; b.recording = true })()')
    const pushesBefore = host.studio.coalescer.pushes
    const start = Date.now()
    const end = start + UPDATE_SECONDS * 1000
    let sent = 0
    const timer = setInterval(() => {
      // 200/s, sent in ticks of about 20 ms; each tick catches up with the clock, so timer jitter does not lower the rate.
      const due = Math.min(UPDATES_PER_SECOND * UPDATE_SECONDS, Math.floor(((Date.now() - start) / 1000) * UPDATES_PER_SECOND))
      while (sent < due) {
        const base = jobs[sent % jobs.length]
        const progress = Math.min(99, Math.floor(((Date.now() - start) / (UPDATE_SECONDS * 1000)) * 100))
        const job: JobView = { ...base, state: 'running', progress, updatedAt: Date.now(), etaAt: Date.now() + 60_000 }
        host.studio.coalescer.handle({ type: 'job.updated', job })
        sent++
      }
    }, 20)
    const wheels = await wheelUntil(page, end, 240, 40, 25)
    while (sent < UPDATES_PER_SECOND * UPDATE_SECONDS) await new Promise((r) => setTimeout(r, 10))
    clearInterval(timer)
    await page.waitForTimeout(300)
    // The updates must have reached the rows: scroll home and count rows now shown as running.
    await page.mouse.wheel(0, -1_000_000)
    await page.waitForTimeout(300)
    runningRows = (await page.evaluate('document.querySelectorAll(\'[data-testid="queue-row"][data-state="running"]\').length')) as number
    const b = await readBench(page)
    await page.evaluate('window.__bench.recording = false')
    delivered = sent
    const iv = intervals(b.frames)
    longCount.push(b.longtasks.length)
    longMax.push(b.longtasks.reduce((m, t) => Math.max(m, t.duration), 0))
    fps.push((b.frames.length - 1) / ((b.frames[b.frames.length - 1] - b.frames[0]) / 1000))
    p95Frame.push(percentile(iv, 0.95))
    maxFrame.push(Math.max(...iv))
    pushes.push(host.studio.coalescer.pushes - pushesBefore)
    console.log(`updates run ${r + 1}: ${sent} updates in ${UPDATE_SECONDS} s, ${wheels} wheel events, ${b.longtasks.length} long tasks (max ${longMax[r].toFixed(0)} ms), ${fps[r].toFixed(1)} fps, p95 frame ${p95Frame[r].toFixed(1)} ms`)
    if (b.noLongTaskApi) res.note(`Long Tasks API unavailable: ${b.noLongTaskApi}`)
    await page.close()
  }
  res.describe(
    `Updates: ${UPDATES_PER_SECOND} \`job.updated\` events a second for ${UPDATE_SECONDS} s (100 jobs among the first 400 rows, each twice a second, progress rising), fed to the ` +
      `host's EventCoalescer as the engine would; meanwhile the queue is scrolled with wheel events (240 px every 40 ms, reversing every second). Long tasks: ` +
      `PerformanceObserver('longtask'); frames: requestAnimationFrame timestamps. ${UPDATE_RUNS} runs.`
  )
  res.note(
    'The host now serialises replies in one JSON.stringify pass with a replacer, and the page skips the bytes-decoding walk for messages without bytes ' +
      '(test/browser/host/wire.ts, bridge.js): the old double walk added ~100 ms to the 10,000-job list, a cost of the test host that Electron does not have.'
  )
  res.note(
    `Updates: ${delivered.toLocaleString('en')} updates per run reached the renderer in ${median(pushes).toFixed(0)} coalesced pushes; afterwards ${runningRows} of the rows on screen showed the updated jobs as running.`
  )
  res.add(`${UPDATES_PER_SECOND} updates/s for ${UPDATE_SECONDS} s while scrolling: longest task`, longMax, {
    target: 'none over 50 ms',
    meets: (v) => v <= 50,
    unit: 'ms',
    digits: 0,
    value: Math.max(...longMax),
    why: 'a task over 50 ms ran while updates were applied; the per-run count is in the next row.'
  })
  res.add('… long tasks (over 50 ms) per run', longCount, { digits: 0 })
  res.add('… frame rate while scrolling', fps, { unit: 'fps', digits: 1 })
  res.add('… 95th-percentile frame interval', p95Frame, {
    target: '≤ 33 ms (steady ≥ 30 fps)',
    meets: (v) => v <= 33.4,
    unit: 'ms',
    digits: 1,
    why: 'frames were dropped while rows re-rendered during the scroll; the long-task rows show whether script was the cause.'
  })
  res.add('… longest frame interval', maxFrame, { unit: 'ms', digits: 0 })

  // ---- library grid ---------------------------------------------------------------------------------
  const libCold: number[] = []
  const atRest: number[] = []
  const sweepReq: number[] = []
  const sweepSeen: number[] = []
  const sweepRatio: number[] = []
  const libFps: number[] = []
  const libP95: number[] = []
  for (let r = 0; r < Math.min(RUNS, 3); r++) {
    const posterRequests = new Set<string>()
    const page0 = await browser.newPage({ viewport: VIEWPORT })
    page0.on('request', (q) => {
      if (q.url().includes('/media/poster/')) posterRequests.add(q.url())
    })
    await page0.addInitScript(PAGE_PROBE)
    await page0.goto(`${host.url}?bench=library`)
    await page0.waitForFunction(painted, undefined, { timeout: 60_000 })
    const page = page0
    libCold.push((await readBench(page)).firstPaintAt!)
    await page.waitForTimeout(1500)
    const rest = await readBench(page)
    atRest.push(posterRequests.size / Math.max(1, rest.seenCount))
    if (r === 0) {
      const rendered = (await page.evaluate('document.querySelectorAll(\'[data-testid="library-card"]\').length')) as number
      res.note(`Library at rest: ${rest.seenCount} cards in view, ${rendered} cards rendered (the virtualizer keeps 2 rows above and below), ${posterRequests.size} poster requests.`)
    }
    const box = (await page.locator('[data-testid="library-grid"]').boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.evaluate('(() => { const b = window.__bench; b.frames.length = 0; b.recording = true })()')
    // A fast sweep down ~40 screens, then back up a little.
    await wheelUntil(page, Date.now() + (quick ? 2000 : 4000), 600, 25, 1_000_000)
    await page.evaluate('window.__bench.recording = false')
    await page.waitForTimeout(1500)
    const after = await readBench(page)
    sweepReq.push(posterRequests.size)
    sweepSeen.push(after.seenCount)
    sweepRatio.push(posterRequests.size / after.seenCount)
    const iv = intervals(after.frames)
    libFps.push((after.frames.length - 1) / ((after.frames[after.frames.length - 1] - after.frames[0]) / 1000))
    libP95.push(percentile(iv, 0.95))
    console.log(`library run ${r + 1}: ${posterRequests.size} poster requests for ${after.seenCount} cards that came into view`)
    await page.close()
  }
  res.describe(
    `Library: the grid of 10,000 videos (every one with a poster, \`<img loading="lazy">\` in a virtualized grid); poster requests counted with page.on('request'), cards that ` +
      `came into view with an IntersectionObserver on every card. At rest after 1.5 s, then after a fast wheel sweep (600 px every 25 ms for ${quick ? 2 : 4} s) and 1.5 s to settle.`
  )
  res.add('Library with 10,000 videos: page load → first cards painted', libCold, { unit: 'ms', digits: 0 })
  res.add('Library at rest: poster requests ÷ cards in view', atRest, {
    target: '1.00 (only the posters in view)',
    meets: (v) => v <= 1.05,
    digits: 2,
    why:
      'The virtualizer renders two rows beyond the viewport (overscan) and their `<img loading="lazy">` fall inside Chromium\u2019s lazy-load margin, so those ' +
      'posters load too (8 extra at the top of a 4-column grid). While scrolling, only cards that came into view were fetched (next rows). To load exactly the ' +
      'visible ones: set the poster `src` once the card intersects the viewport (LibraryCard already observes visibility for cards without a poster), ' +
      'at the price of posters appearing a moment late on a slow scroll (src/renderer/src/features/library/LibraryCard.tsx).'
  })
  res.add('Library after a fast sweep: poster requests', sweepReq, { digits: 0 })
  res.add('… cards that came into view during the sweep', sweepSeen, { digits: 0 })
  res.add('… poster requests ÷ cards that came into view', sweepRatio, {
    target: '≤ 1.05 (only posters that came into view)',
    meets: (v) => v <= 1.05,
    digits: 2,
    why: 'the overscan rows at the final position load too (see the row above).'
  })
  res.add('… frame rate during the sweep', libFps, { unit: 'fps', digits: 1 })
  res.add('… 95th-percentile frame interval during the sweep', libP95, { unit: 'ms', digits: 1 })
} finally {
  await browser.close()
  await host.close()
  await fake.close()
  rmSync(DIR, { recursive: true, force: true })
}
res.finish()
