// Start-up: process start to a ready engine on a database with 100,000 library items and 10,000
// jobs; and the renderer bundle's size with its largest dependencies.
//   npx tsx bench/startup.ts [--quick] [--runs N]
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build as esbuild } from 'esbuild'
import { studioDb } from './lib/fixtures'
import { ROOT, WORK } from './lib/proc'
import { Results, runsArg } from './lib/results'

const RUNS = runsArg(7, 3)
const DIR = join(WORK, 'startup')
const CHILD_JS = join(DIR, 'child.mjs')

interface ChildReport {
  marks: Record<string, number>
  role: string
  jobs: number
  libraryTotal: number
  listed: number
  models: number
}

/** Runs the bundled child; resolves with its report and the parent's spawn → report time. */
function startOnce(dataDir: string): Promise<{ r: ChildReport; spawnMs: number }> {
  return new Promise((resolvePromise, reject) => {
    const t = performance.now()
    const child = spawn(process.execPath, [CHILD_JS, dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let spawnMs = 0
    child.stdout.on('data', (d) => {
      out += d
      if (!spawnMs && out.includes('ready\n')) spawnMs = performance.now() - t
    })
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => {
      try {
        resolvePromise({ r: JSON.parse(out.trim().split('\n').pop()!) as ChildReport, spawnMs })
      } catch {
        reject(new Error(`start-up child failed (${code}): ${err.slice(-1500)}`))
      }
    })
  })
}

const res = new Results('startup', '6. Start-up and bundle', 'npx tsx bench/startup.ts')
rmSync(DIR, { recursive: true, force: true })
mkdirSync(DIR, { recursive: true })

// The child, bundled like the main process (native better-sqlite3 stays external).
await esbuild({
  entryPoints: [join(import.meta.dirname, 'startup/child.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: CHILD_JS,
  external: ['better-sqlite3', 'keytar'],
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'error'
})

const startup: Record<string, number[]> = { ready: [], spawn: [], modules: [], construct: [], start: [], page: [], jobs: [] }
let last: ChildReport | null = null
for (let i = 0; i < RUNS; i++) {
  // A fresh copy each run: the first open of a copied file is the closest to a cold start we get.
  const dataDir = join(DIR, `data-${i}`)
  const made = studioDb(join(dataDir, 'studio.db'), { items: 100_000, jobs: 10_000, running: 50 })
  if (made.built) res.note(`Built the start-up database in ${(made.buildMs / 1000).toFixed(1)} s (cached in bench/.work/db).`)
  const { r, spawnMs } = await startOnce(dataDir)
  last = r
  const m = r.marks
  startup.ready.push(m.firstLibraryPage)
  startup.spawn.push(spawnMs)
  startup.modules.push(m.modulesLoaded)
  startup.construct.push(m.engineConstructed - m.modulesLoaded)
  startup.start.push(m.engineStarted - m.engineConstructed)
  startup.page.push(m.firstLibraryPage - m.engineStarted)
  startup.jobs.push(m.jobList - m.firstLibraryPage)
  console.log(`run ${i + 1}/${RUNS}: ready at ${m.firstLibraryPage.toFixed(0)} ms after process start (spawn → report ${spawnMs.toFixed(0)} ms)`)
  rmSync(dataDir, { recursive: true, force: true })
}
res.describe(
  `A child Node process (bench/startup/child.ts, bundled with esbuild as electron-vite bundles the main process) on a copy of a studio.db with 100,000 library items and ` +
    `10,000 jobs (50 running, which a starting engine resumes tracking). Ready = \`new Engine\` (opens SQLite, checks migrations, loads learned durations) + ` +
    `\`engine.start()\` (takes the run lock, resumes running jobs) + status + the library's first page. Clock: \`performance.now()\` in the child, whose origin is the process start. ` +
    `${RUNS} runs, a fresh copy of the database each.`
)
res.note(`Last run: role ${last!.role}, ${last!.jobs.toLocaleString('en')} jobs, ${last!.libraryTotal.toLocaleString('en')} library items, ${last!.listed.toLocaleString('en')} jobs listed.`)
res.add('Process start → engine ready with the first library page', startup.ready, {
  target: '≤ 500 ms',
  meets: (v) => v <= 500,
  unit: 'ms',
  digits: 0,
  why: 'see the breakdown rows below for the step that grew.'
})
res.add('… Node start-up and loading the bundled engine', startup.modules, { unit: 'ms', digits: 0 })
res.add('… new Engine (open database, migrations check, learned durations)', startup.construct, { unit: 'ms', digits: 1 })
res.add('… engine.start() (run lock, resume 50 running jobs)', startup.start, { unit: 'ms', digits: 1 })
res.add('… status + first library page', startup.page, { unit: 'ms', digits: 1 })
res.add('Then: all 10,000 jobs listed for the queue (jobs.list)', startup.jobs, { unit: 'ms', digits: 0 })
res.add('Spawn → "ready" on stdout, measured by the parent (adds process creation)', startup.spawn, { unit: 'ms', digits: 0 })

// ---- the renderer bundle ---------------------------------------------------------------------------
const shipped = join(ROOT, 'out/renderer/assets')
const KiB = 1024
if (existsSync(shipped)) {
  const js = readdirSync(shipped).filter((f) => f.endsWith('.js'))
  const raw = js.reduce((a, f) => a + statSync(join(shipped, f)).size, 0)
  const gz = js.reduce((a, f) => a + gzipSync(readFileSync(join(shipped, f)), { level: 9 }).length, 0)
  res.add('Renderer JS as built (out/renderer, electron-vite build), raw', [raw / KiB], { unit: 'KiB', digits: 0 })
  res.add('Renderer JS as built, gzipped', [gz / KiB], { unit: 'KiB', digits: 0 })
} else {
  res.note('out/renderer is missing (run `npx electron-vite build`): the as-built sizes are left out.')
}

// Module attribution: the same renderer built with Vite and a plugin that records each module's
// share of the output (rendered length), once as electron-vite builds it (not minified) and once minified.
const { build } = await import('vite')
const react = (await import('@vitejs/plugin-react')).default
async function analyze(minify: boolean): Promise<{ raw: number; gz: number; modules: Map<string, number> }> {
  const modules = new Map<string, number>()
  let raw = 0
  let gz = 0
  const root = resolve(ROOT, 'src/renderer')
  await build({
    configFile: false,
    root,
    logLevel: 'error',
    plugins: [
      react(),
      {
        name: 'bench-module-sizes',
        generateBundle(_o, bundle) {
          for (const c of Object.values(bundle)) {
            if (c.type !== 'chunk') continue
            raw += c.code.length
            gz += gzipSync(Buffer.from(c.code), { level: 9 }).length
            for (const [id, m] of Object.entries(c.modules)) {
              const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1] ?? (id.includes('/src/renderer/') ? 'app: src/renderer' : id.includes('/src/shared/') ? 'app: src/shared' : 'other')
              modules.set(pkg, (modules.get(pkg) ?? 0) + m.renderedLength)
            }
          }
        }
      }
    ],
    build: { outDir: join(DIR, minify ? 'bundle-min' : 'bundle'), emptyOutDir: true, minify, rollupOptions: { input: { index: resolve(root, 'index.html') } } }
  })
  return { raw, gz, modules }
}
const plain = await analyze(false)
const min = await analyze(true)
const total = [...plain.modules.values()].reduce((a, b) => a + b, 0)
const top = [...plain.modules].sort((a, b) => b[1] - a[1]).slice(0, 8)
res.add('Renderer JS minified (the same build with minify on), gzipped', [min.gz / KiB], { unit: 'KiB', digits: 0 })
res.add('Renderer JS minified, raw', [min.raw / KiB], { unit: 'KiB', digits: 0 })
res.note(
  `Largest parts of the renderer bundle (unminified, share of the JS): ${top.map(([k, v]) => `${k} ${(v / KiB).toFixed(0)} KiB (${((v / total) * 100).toFixed(0)} %)`).join(', ')}.`
)
res.note(
  `The shipped renderer bundle is not minified (electron-vite builds it so with the current config): ${(plain.raw / KiB).toFixed(0)} KiB of JS where minification gives ${(min.raw / KiB).toFixed(0)} KiB ` +
    `(${(min.gz / KiB).toFixed(0)} KiB gzipped). It loads from disk, so size costs parse time, not download; \`build.minify\` in electron.vite.config.ts's renderer block would halve it.`
)
rmSync(DIR, { recursive: true, force: true })
res.finish()
