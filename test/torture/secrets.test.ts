// Secret hygiene: a whole browser session (first-run key entry with a recognizable key, a video
// made from compose, a failed job, a batch, every screen) against the real services in the browser
// test host. Then the key is searched for in every log line, the database (and its WAL), every
// file under the data folder but the key file itself, every IPC frame, the page (DOM, storage)
// and the renderer's whole JavaScript heap. It may appear only where it must: the request that
// saves it, the key file, and the Authorization header sent to CometAPI.
import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHost, type Host } from '../browser/host/host'
import { startFakeCometApi, type FakeCometApi } from '../fake-cometapi/server'
import { solidPng } from '../helpers/png'
import { required } from '../helpers/requirement'
import { recordFigures } from './figures'
import { recordingLogger, ROOT_DIR, until, walkFiles } from './helpers'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const skip = !required('Chromium and a built renderer for the secret-hygiene browser session', existsSync(CHROMIUM) && existsSync(join(ROOT_DIR, 'out/renderer/index.html')), 'apt-get install chromium; npm run build')

const KEY = `sk-TORTURE-canary-${randomBytes(12).toString('hex')}`
/** A wrong key typed first: it must leave no trace either. */
const WRONG = `sk-TORTURE-wrong-${randomBytes(12).toString('hex')}`

/** Where the key shows up in a blob of text or bytes (UTF-8 and UTF-16), as short excerpts. */
function hits(where: string, data: string | Buffer): string[] {
  const text = typeof data === 'string' ? data : data.toString('latin1')
  const needles = [KEY, WRONG].flatMap((k) => (typeof data === 'string' ? [k] : [k, Buffer.from(k, 'utf16le').toString('latin1')]))
  const out: string[] = []
  for (const n of needles) {
    let i = text.indexOf(n)
    while (i >= 0) {
      out.push(`${where}: …${text.slice(Math.max(0, i - 40), i).replace(/[^\x20-\x7e]/g, '.')}[KEY]`)
      i = text.indexOf(n, i + 1)
    }
  }
  return out
}

describe.skipIf(skip)('secret hygiene across a whole browser session', () => {
  let fake: FakeCometApi
  let host: Host
  let browser: Browser
  let page: Page
  let dataDir: string
  let drop: string
  const logs: string[] = []
  const framesSent: string[] = []
  const framesReceived: string[] = []
  const consoleLines: string[] = []

  beforeAll(async () => {
    fake = await startFakeCometApi({ keys: [KEY], durations: { '*': 800 } })
    dataDir = mkdtempSync(join(tmpdir(), 'cvs-torture-secrets-'))
    drop = mkdtempSync(join(tmpdir(), 'cvs-torture-secrets-drop-'))
    mkdirSync(drop, { recursive: true })
    for (let i = 0; i < 3; i++) writeFileSync(join(drop, `photo-${i}.png`), solidPng(640, 360, [i * 60, 90, 200 - i * 50]))
    host = await startHost({ dataDir, apiUrl: fake.url, dropRoot: drop, priorSeconds: 1, logger: recordingLogger(logs) })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] })
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => void framesSent.push(String(f.payload)))
      ws.on('framereceived', (f) => void framesReceived.push(String(f.payload)))
    })
    page.on('console', (m) => void consoleLines.push(m.text()))
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
    await fake?.close()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(drop, { recursive: true, force: true })
  })

  it('the key appears nowhere it should not', async () => {
    await page.goto(host.url)
    // First run: a wrong key first (its message must not echo it), then the canary, padded.
    // Pasted and submitted from the keyboard, as a person does. (Locators, never element handles: a
    // handle held by the test driver would keep the detached key form, and its input, alive.)
    const paste = async (text: string): Promise<void> => {
      await page.evaluate(`document.querySelector('[data-testid="key-input"]').focus()`)
      await page.keyboard.press('Control+A')
      await page.keyboard.insertText(text)
      await page.keyboard.press('Enter')
    }
    await page.locator('[data-testid="first-run"]').waitFor({ timeout: 15_000 })
    await paste(WRONG)
    await page.locator('[data-testid="key-error"]').waitFor({ timeout: 15_000 })
    await paste(`  ${KEY}  `)
    await page.locator('[data-testid="compose-screen"]').waitFor({ timeout: 15_000 })
    // A video from compose.
    await page.click('[data-testid="model-picker"]')
    await page.fill('[data-testid="model-search"]', 'sora-2')
    await page.click('[data-testid="model-option-sora-2"]')
    await page.fill('[data-testid="prompt"]', 'A lighthouse blinking through fog')
    await page.click('[data-testid="field-seconds"] [data-value="4"]')
    await page.keyboard.press('Control+Enter')
    // A failure and a batch through the same bridge the screens use.
    await page.evaluate(`window.api.invoke('jobs.create', { specs: [{ model: 'kling-v2-6', prompt: 'this one fails [fail]', seconds: 5 }] })`)
    // Images go as the app sends them: dropped (inspected by main) first, then created.
    const photos = [0, 1, 2].map((i) => join(drop, `photo-${i}.png`))
    await page.evaluate(`window.api.invoke('files.chosen', { paths: ${JSON.stringify(photos)} })`)
    await page.evaluate(`window.api.invoke('files.inspect', { paths: ${JSON.stringify(photos)}, model: 'kling-v2-6' })`)
    await page.evaluate(`window.api.invoke('jobs.create', { specs: ${JSON.stringify(photos.map((p, i) => ({ model: 'kling-v2-6', prompt: `batch photo ${i}`, seconds: 5, images: [p] })))} })`)
    await page.click('[data-testid="nav-queue"]')
    await until(async () => (await page.locator('[data-testid="queue-row"][data-state="completed"]').count()) === 4 && (await page.locator('[data-testid="queue-row"][data-state="failed"]').count()) === 1, 40_000)
    for (const nav of ['nav-library', 'nav-spend', 'nav-settings', 'nav-batch', 'nav-compare', 'nav-compose']) {
      await page.click(`[data-testid="${nav}"]`)
      await page.waitForTimeout(300)
    }
    await page.click('[data-testid="nav-settings"]')
    await page.locator('[data-testid="key-status"]').waitFor({ timeout: 15_000 })
    expect(await page.textContent('[data-testid="key-status"]')).toContain(KEY.slice(-4))

    const found: string[] = []
    // 1. Every log line of the services.
    found.push(...hits('log', logs.join('\n')))
    // 2. The page: DOM (with input values), local and session storage, console.
    const pageState = (await page.evaluate(`JSON.stringify({
      html: document.documentElement.outerHTML,
      inputs: [...document.querySelectorAll('input, textarea')].map((e) => e.value),
      local: { ...localStorage }, session: { ...sessionStorage }
    })`)) as string
    found.push(...hits('page', pageState), ...hits('console', consoleLines.join('\n')))
    // 3. The renderer's whole JavaScript heap, after a garbage collection.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.enable')
    await cdp.send('HeapProfiler.collectGarbage')
    const chunks: string[] = []
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => void chunks.push(e.chunk))
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
    const heap = chunks.join('')
    found.push(...hits('renderer heap', heap))
    // 4. Every IPC frame: the key goes in once (key.set); nothing ever comes back with it.
    const keySet = framesSent.filter((f) => f.includes('"channel":"key.set"'))
    found.push(...hits('frame received', framesReceived.join('\n')), ...hits('frame sent', framesSent.filter((f) => !keySet.includes(f)).join('\n')))
    // 5. Every file under the data folder (database, WAL, sidecars, catalog cache…) but the key file.
    // A second connection checkpoints the log into the database file, so the scan sees every row.
    const db = new Database(join(dataDir, 'studio.db'))
    db.pragma('wal_checkpoint(PASSIVE)')
    db.close()
    const files = walkFiles(dataDir).filter((f) => f !== 'cometapi-key.test')
    let bytes = 0
    for (const f of files) {
      const buf = readFileSync(join(dataDir, f))
      bytes += buf.length
      found.push(...hits(`file ${f}`, buf))
    }
    expect(files).toEqual(expect.arrayContaining(['studio.db', 'catalog.json']))
    expect(files.some((f) => f.startsWith('library/') && f.endsWith('.json'))).toBe(true)
    // 6. What CometAPI received: the key only in the Authorization header, and only as a bearer token.
    for (const e of fake.log) {
      const { authorization, ...rest } = e
      found.push(...hits(`request ${e.method} ${e.path}`, JSON.stringify(rest)))
      if (authorization?.includes(KEY) || authorization?.includes(WRONG)) expect([`Bearer ${KEY}`, `Bearer ${WRONG}`]).toContain(authorization)
    }
    expect(fake.log.filter((e) => e.authorization === `Bearer ${KEY}`).length).toBeGreaterThan(5)
    expect(readFileSync(join(dataDir, 'cometapi-key.test'), 'utf8')).toBe(KEY) // stored trimmed, in its one place

    expect(found).toEqual([])
    recordFigures('Secret hygiene (browser session, canary key)', {
      'log lines searched': logs.length,
      'IPC frames searched (sent / received)': `${framesSent.length - keySet.length} / ${framesReceived.length} (+${keySet.length} key.set request)`,
      'files searched under the data folder': `${files.length} (${bytes.toLocaleString('en')} bytes: database, WAL, sidecars, catalog)`,
      'renderer heap snapshot searched (MB)': (heap.length / 1024 / 1024).toFixed(1),
      'requests to CometAPI checked': fake.log.length,
      'hits outside key.set, the key file and the Authorization header': found.length
    })
  }, 120_000)
})
