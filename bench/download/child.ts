// The downloading process of bench/download.ts: runs the engine's downloadFile and prints one JSON
// line. Its own process, so its peak resident memory is the downloader's alone.
//   single URL PARTIAL          one download; time, bytes, idle and peak RSS
//   multi URL DIR N             N concurrent downloads of URL; aggregate time and bytes
//   resume URL PARTIAL          the first attempt is cut by the server; the second resumes it
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { downloadFile, DownloadError } from '../../src/core/download/downloader'
import { peakRssMiB, resetPeakRss, rssMiB } from '../lib/proc'

const [mode, url, path, nArg] = process.argv.slice(2)
// The bench server is on loopback, as a local API would be: the engine reaches loopback result links
// only when its base URL is local too.
const apiBaseUrl = new URL(url).origin

function clean(p: string): void {
  rmSync(p, { force: true })
  rmSync(`${p}.meta.json`, { force: true })
}

if (mode === 'single') {
  clean(path)
  // Let start-up garbage settle, then take the idle figure and restart the peak mark from it.
  global.gc?.()
  await new Promise((r) => setTimeout(r, 50))
  const resetOk = resetPeakRss()
  const idle = rssMiB()
  const t = performance.now()
  const r = await downloadFile({ url, partialPath: path, apiBaseUrl })
  const ms = performance.now() - t
  const peak = peakRssMiB()
  clean(path)
  console.log(JSON.stringify({ ms, bytes: r.bytes, idleMiB: idle, peakMiB: peak, peakResetOk: resetOk }))
} else if (mode === 'multi') {
  const n = Number(nArg)
  const paths = Array.from({ length: n }, (_, i) => join(path, `part-${i}.part`))
  paths.forEach(clean)
  resetPeakRss()
  const idle = rssMiB()
  const t = performance.now()
  const rs = await Promise.all(paths.map((p) => downloadFile({ url, partialPath: p, apiBaseUrl })))
  const ms = performance.now() - t
  const peak = peakRssMiB()
  paths.forEach(clean)
  console.log(JSON.stringify({ ms, bytes: rs.reduce((a, r) => a + r.bytes, 0), idleMiB: idle, peakMiB: peak }))
} else if (mode === 'resume') {
  clean(path)
  let firstError = ''
  try {
    await downloadFile({ url, partialPath: path, apiBaseUrl })
    firstError = 'none (the cut did not happen)'
  } catch (err) {
    firstError = err instanceof DownloadError ? `${err.kind}: ${err.message}` : String(err)
  }
  const r = await downloadFile({ url, partialPath: path, apiBaseUrl })
  clean(path)
  console.log(JSON.stringify({ firstError, total: r.bytes, resumedFrom: r.resumedFrom, transferred: r.bytesTransferred }))
} else {
  console.error('usage: child.ts single|multi|resume URL PATH [N]')
  process.exit(2)
}
