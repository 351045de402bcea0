// The process bench/startup.ts starts: from process start to an engine that runs jobs and has the
// first screen's data, on a prepared data folder. Bundled with esbuild first (as electron-vite
// bundles the main process), so no TypeScript is compiled while the clock runs.
//   node bench/.work/startup/child.mjs DATADIR
import { join } from 'node:path'
import { Engine } from '../../src/core/engine'

const marks: Record<string, number> = { modulesLoaded: performance.now() }
const dataDir = process.argv[2]
const engine = new Engine({
  dataDir,
  defaultLibraryDir: join(dataDir, 'library'),
  keys: { getKey: async () => 'sk-bench' },
  // Nothing listens here: the catalog refresh and polls fail fast and are retried later.
  settingsOverrides: { baseUrl: 'http://127.0.0.1:9' }
})
marks.engineConstructed = performance.now()
engine.start()
marks.engineStarted = performance.now()
const status = engine.status()
const page = engine.library.list({ limit: 100 })
marks.firstLibraryPage = performance.now()
process.stdout.write('ready\n')
const jobs = engine.listJobs({ limit: 20_000, order: 'desc' })
marks.jobList = performance.now()
const facets = engine.library.facets()
marks.facets = performance.now()
console.log(JSON.stringify({
  marks,
  role: status.role,
  jobs: Object.values(status.counts).reduce((a, b) => a + (b ?? 0), 0),
  libraryTotal: page.total,
  listed: jobs.length,
  models: facets.models.length
}))
process.exit(0)
