// Shared set-up for browser end-to-end tests: the fake CometAPI, the test host (in this process or
// as its own process, to be killed), and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { solidPng } from '../helpers/png'
import { required } from '../helpers/requirement'
import { startHost, type Host, type HostOptions } from './host/host'

export const ROOT = join(import.meta.dirname, '../..')
export const FIXTURES = join(ROOT, 'test/fixtures')
export const SHOTS = join(ROOT, 'test-results/e2e')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const hasChromium = existsSync(CHROMIUM)
export const hasRenderer = existsSync(join(ROOT, 'out/renderer/index.html'))

/** Whether the browser suites can run here (under CI a missing browser or build fails them). */
export function browserReady(): boolean {
  return required(
    !hasChromium ? `Chromium at ${CHROMIUM}` : 'the built renderer (out/renderer)',
    hasChromium && hasRenderer,
    !hasChromium ? 'apt-get install chromium, or set CHROMIUM_PATH' : 'npm run build'
  )
}

/** Chromium with a fresh, empty profile (Playwright gives every launch a new temporary user-data-dir). */
export async function launch(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required']
  })
  return { browser, close: () => browser.close() }
}

/** A headless Chromium with one page (1280×800 unless told) already at `url`; page errors go to `errors`. */
export async function openPage(url: string, o: { width?: number; height?: number; errors?: string[] } = {}): Promise<{ browser: Browser; page: Page; close: () => Promise<void> }> {
  const b = await launch()
  const page = await b.browser.newPage({ viewport: { width: o.width ?? 1280, height: o.height ?? 800 } })
  if (o.errors) page.on('pageerror', (e) => o.errors?.push(e.message))
  await page.goto(url)
  return { browser: b.browser, page, close: b.close }
}

/** Closes what a suite opened (a browser's close function, a host, a fake), skipping what never opened. */
export async function closeAll(...things: (undefined | null | (() => Promise<void>) | { close(): Promise<void> })[]): Promise<void> {
  for (const t of things) {
    if (!t) continue
    await (typeof t === 'function' ? t() : t.close())
  }
}

/** `n` distinct 640×360 PNGs named `<prefix>-01.png`…; `salt` shifts the colours (another set, other hashes). */
export function makeImages(dir: string, n: number, prefix = 'photo', salt = 0): string[] {
  mkdirSync(dir, { recursive: true })
  return Array.from({ length: n }, (_, i) => {
    const name = `${prefix}-${String(i + 1).padStart(2, '0')}.png`
    writeFileSync(join(dir, name), solidPng(640, 360, [(i * 37 + salt) % 256, (i * 91 + salt * 3) % 256, (i * 53 + 17 + salt * 7) % 256]))
    return name
  })
}

/** Chooses `model` in a model picker (Compose's unless another picker's test id is given). */
export async function pickModel(page: Page, model: string, picker = 'model-picker'): Promise<void> {
  await page.click(`[data-testid="${picker}"]`)
  await page.fill('[data-testid="model-search"]', model)
  await page.click(`[data-testid="model-option-${model}"]`)
}

/** Gets past the first-run screen with the fake's good key (when it is shown). */
export async function enterKey(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="first-run"], [data-testid="compose-screen"]')
  if (await page.locator('[data-testid="first-run"]').count()) {
    await page.fill('[data-testid="key-input"]', 'sk-test-good')
    await page.click('[data-testid="key-save"]')
    await page.waitForSelector('[data-testid="compose-screen"]', { timeout: 15_000 })
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** A folder of dropped images: copies of the fixtures under new names. */
export function makeDropFolder(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true })
  for (const [name, fixture] of Object.entries(files)) copyFileSync(join(FIXTURES, 'images', fixture), join(dir, name))
}

export async function inProcessHost(o: HostOptions): Promise<Host> {
  return startHost(o)
}

/** The host as its own process (so a test can SIGKILL it). Resolves once it listens. */
export function hostProcess(args: { data: string; api: string; drop: string; port?: number; prior?: number; locale?: string }): Promise<{ child: ChildProcess; url: string }> {
  // One process (node --import tsx), not the tsx CLI, which runs the script in a child: SIGKILL must hit the host itself.
  const argv = ['--import', 'tsx', join(ROOT, 'test/browser/host/cli.ts'), '--data', args.data, '--api', args.api, '--drop', args.drop]
  if (args.port) argv.push('--port', String(args.port))
  if (args.prior) argv.push('--prior', String(args.prior))
  if (args.locale) argv.push('--locale', args.locale)
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stdout!.on('data', (d) => {
      out += d
      const m = /ready (\S+)/.exec(out)
      if (m) resolve({ child, url: m[1] })
    })
    child.stderr!.on('data', (d) => (err += d))
    child.on('exit', (code) => reject(new Error(`host exited ${code}: ${err}`)))
  })
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

/** Drops files (by name, from the host's drop folder) onto the window, as a person would. */
export async function dropFiles(page: Page, names: string[], target = 'drop-batch'): Promise<void> {
  await page.evaluate((names) => {
    const dt = new DataTransfer()
    for (const n of names) dt.items.add(new File(['x'], n, { type: n.endsWith('.png') ? 'image/png' : 'image/jpeg' }))
    ;(window as unknown as { __drop: DataTransfer }).__drop = dt
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }))
  }, names)
  await page.waitForSelector(`[data-testid="${target}"]`)
  await page.evaluate((target) => {
    const el = document.querySelector(`[data-testid="${target}"]`)!
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: (window as unknown as { __drop: DataTransfer }).__drop, bubbles: true, cancelable: true }))
  }, target)
}
