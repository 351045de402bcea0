// Opens every screen of the mock build in headless Chromium at 1280×800 — light and dark,
// English and 简体中文 — and saves PNGs under test-results/screens/.
//   node test/browser/screenshots.mjs            (builds the mock renderer first)
//   node test/browser/screenshots.mjs --no-build --only=en-light
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { repoRoot, startServer } from './serve.mjs'

const args = process.argv.slice(2)
const only = args.find((a) => a.startsWith('--only='))?.slice(7)
const screensArg = args.find((a) => a.startsWith('--screens='))?.slice(10)
if (!args.includes('--no-build')) {
  execFileSync('npx', ['vite', 'build', '--config', 'test/browser/vite.config.ts'], { cwd: repoRoot, stdio: 'inherit' })
}
const outDir = join(repoRoot, 'test-results/screens')
mkdirSync(outDir, { recursive: true })

const { server, url } = await startServer()
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
})

const variants = [
  { name: 'en-light', lang: 'en', theme: 'light' },
  { name: 'en-dark', lang: 'en', theme: 'dark' },
  { name: 'zh-light', lang: 'zh-CN', theme: 'light' },
  { name: 'zh-dark', lang: 'zh-CN', theme: 'dark' }
].filter((v) => !only || only.split(',').includes(v.name))

const DROP_NAMES = [
  'beach-sunset.jpg', 'city-night.jpg', 'portrait-anna.jpg', 'mountain-lake.png', 'product-shot-01.png', 'product-shot-02.png', 'product-shot-01 copy.png',
  'tiny-icon-200x150.png', 'panorama-4000x1000.jpg', 'cat-window.webp', 'notes.txt', 'forest-trail.jpg', 'street-food.jpg', 'old-car.jpg', 'IMG_2041.jpg', 'IMG_2042.jpg'
]

async function open(page, query = '') {
  await page.goto(`${url}/?mock=1&live=0${query}`)
  await page.waitForSelector('.shell, .first-run', { timeout: 15000 })
  await page.waitForTimeout(250)
}

async function nav(page, name) {
  await page.click(`[data-testid="nav-${name}"]`)
  await page.waitForTimeout(350)
}

async function dropFiles(page, names, target) {
  await page.evaluate((names) => {
    const dt = new DataTransfer()
    for (const n of names) dt.items.add(new File(['x'], n, { type: n.endsWith('.png') ? 'image/png' : 'image/jpeg' }))
    window.__dropData = dt
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }))
  }, names)
  if (!target) return
  await page.waitForSelector(`[data-testid="${target}"]`)
  await page.evaluate((target) => {
    const el = document.querySelector(`[data-testid="${target}"]`)
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: window.__dropData, bubbles: true, cancelable: true }))
  }, target)
}

async function pickBatchModel(page, id) {
  await page.click('[data-testid="batch-model-picker"]')
  await page.click(`[data-testid="model-option-${id}"]`)
  await page.waitForTimeout(700)
}

const SCREENS = {
  batchSora: {
    run: async (p) => {
      await nav(p, 'batch')
      await dropFiles(p, DROP_NAMES, 'drop-batch')
      await p.waitForSelector('[data-testid="batch-card"]')
      await p.waitForTimeout(400)
    }
  },
  firstRun: { query: '&key=0', run: async () => {} },
  // The jobs that wait for the person: undecided (a batch of them), made but not downloaded, lost contact, held.
  queueAttention: {
    run: async (p) => {
      await nav(p, 'queue')
      await p.click('[data-testid="queue-filter-attention"]')
      await p.waitForTimeout(300)
    }
  },
  compose: { run: async (p) => nav(p, 'compose') },
  composeFilled: {
    run: async (p) => {
      await nav(p, 'compose')
      await p.fill('[data-testid="prompt"]', 'A slow dolly shot through a neon-lit alley in the rain, reflections shimmering on wet asphalt, a lone cyclist passes')
      await p.click('[data-testid="submit"]')
      await p.waitForSelector('[data-testid="toast-success"]')
    }
  },
  composeHeld: {
    query: '&budget=8',
    run: async (p) => {
      await nav(p, 'compose')
      await p.fill('[data-testid="prompt"]', 'Golden retriever puppy chasing soap bubbles in a sunlit garden')
      await p.keyboard.press('Control+Enter')
      await p.waitForSelector('[data-testid="held-notice"]')
    }
  },
  composeKling: {
    run: async (p) => {
      await nav(p, 'compose')
      await p.click('[data-testid="model-picker"]')
      await p.click('[data-testid="model-option-kling-v3"]')
      await p.click('[data-testid="mode-image-to-video"]')
      await p.fill('[data-testid="prompt"]', 'x'.repeat(520))
      await p.waitForTimeout(150)
    }
  },
  modelPicker: {
    run: async (p) => {
      await nav(p, 'compose')
      await p.click('[data-testid="model-picker"]')
      await p.waitForTimeout(150)
    }
  },
  batchFixed: {
    run: async (p) => {
      await nav(p, 'batch')
      await dropFiles(p, DROP_NAMES, 'drop-batch')
      await p.waitForSelector('[data-testid="batch-card"]')
      await p.click('[data-testid="batch-fix-all"]')
      await p.waitForSelector('[data-testid="batch-fix-all"]', { state: 'detached', timeout: 15000 })
      await p.waitForTimeout(300)
    }
  },
  batchEmpty: { run: async (p) => nav(p, 'batch') },
  dropOverlay: {
    run: async (p) => {
      await nav(p, 'batch')
      await dropFiles(p, DROP_NAMES, null)
      await p.waitForTimeout(150)
    }
  },
  batch: {
    run: async (p) => {
      await nav(p, 'batch')
      await dropFiles(p, DROP_NAMES, 'drop-batch')
      await p.waitForSelector('[data-testid="batch-card"]')
      await pickBatchModel(p, 'kling-v3')
      await p.fill('[data-testid="batch-shared-prompt"]', 'Gentle camera push-in, natural light, subtle motion')
      await p.waitForTimeout(600)
    }
  },
  batchConfirm: {
    run: async (p) => {
      await nav(p, 'batch')
      await dropFiles(p, DROP_NAMES, 'drop-batch')
      await p.waitForSelector('[data-testid="batch-card"]')
      await pickBatchModel(p, 'kling-v3')
      await p.fill('[data-testid="batch-shared-prompt"]', 'Gentle camera push-in')
      await p.click('[data-testid="batch-create"]')
      await p.waitForTimeout(300)
    }
  },
  compare: {
    run: async (p) => {
      await nav(p, 'compare')
      await p.waitForTimeout(600)
    }
  },
  queue: { run: async (p) => nav(p, 'queue') },
  queuePaused: { query: '&paused=auth', run: async (p) => nav(p, 'queue') },
  cancelDialog: {
    run: async (p) => {
      await nav(p, 'queue')
      await p.click('[data-testid="queue-row"][data-state="running"] [data-testid="job-cancel"]')
      await p.waitForTimeout(200)
    }
  },
  queueEmpty: { query: '&empty=1', run: async (p) => nav(p, 'queue') },
  library: {
    run: async (p) => {
      await nav(p, 'library')
      await p.waitForTimeout(1500)
    }
  },
  libraryEmpty: { query: '&empty=1', run: async (p) => nav(p, 'library') },
  player: {
    run: async (p) => {
      await nav(p, 'library')
      await p.click('[data-testid="library-card"] .lib-poster')
      await p.waitForSelector('[data-testid="player-video"]')
      await p.waitForTimeout(800)
    }
  },
  spend: {
    run: async (p) => {
      await nav(p, 'spend')
      await p.waitForTimeout(300)
    }
  },
  settings: { run: async (p) => nav(p, 'settings') },
  help: {
    run: async (p) => {
      await p.keyboard.press('Shift+Slash')
      await p.waitForTimeout(200)
    }
  }
}

const wanted = screensArg ? screensArg.split(',') : Object.keys(SCREENS)
const failures = []
for (const v of variants) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: v.theme, reducedMotion: 'reduce', locale: v.lang === 'en' ? 'en-US' : 'zh-CN' })
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  for (const name of wanted) {
    const s = SCREENS[name]
    try {
      await open(page, `&lang=${v.lang}&theme=${v.theme}${s.query ?? ''}`)
      await s.run(page)
      const file = join(outDir, `${v.name}-${name}.png`)
      await page.screenshot({ path: file })
      console.log(`saved ${file}`)
    } catch (e) {
      failures.push(`${v.name}-${name}: ${e.message.split('\n')[0]}`)
      console.error(`FAILED ${v.name}-${name}: ${e.message.split('\n')[0]}`)
    }
  }
  if (errors.length) console.error(`${v.name} console errors:\n  ${[...new Set(errors)].join('\n  ')}`)
  await context.close()
}
await browser.close()
server.close()
if (failures.length) {
  console.error(`${failures.length} screen(s) failed`)
  process.exit(1)
}
