// A tiny static + media server for the mock build: serves test-results/renderer-mock and a
// /media/ route shaped like the app's (library videos with HTTP Range, posters, image thumbnails).
// Posters and fixed images POSTed by the mock are kept in memory and served back.
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
export const repoRoot = resolve(here, '../..')
const distDir = join(repoRoot, 'test-results/renderer-mock')
const video = join(repoRoot, 'test/fixtures/videos/sample.webm')

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' }

function hue(text) {
  let h = 0
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0
  return h % 360
}

/** A stand-in "video frame": a landscape-ish gradient scene, different per id. */
function frameSvg(id, w = 640, h = 360) {
  const a = hue(id)
  const b = (a + 50) % 360
  const sun = 0.2 + (hue(id + 's') % 60) / 100
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${a},55%,62%)"/><stop offset="1" stop-color="hsl(${b},45%,28%)"/></linearGradient></defs>
<rect width="${w}" height="${h}" fill="url(#g)"/>
<circle cx="${w * sun}" cy="${h * 0.38}" r="${h * 0.12}" fill="hsl(${(a + 180) % 360},80%,85%)" opacity="0.85"/>
<path d="M0 ${h * 0.72} Q ${w * 0.25} ${h * 0.55} ${w * 0.5} ${h * 0.7} T ${w} ${h * 0.66} V ${h} H 0 Z" fill="hsl(${b},35%,18%)" opacity="0.9"/>
<path d="M0 ${h * 0.82} Q ${w * 0.3} ${h * 0.74} ${w * 0.62} ${h * 0.84} T ${w} ${h * 0.8} V ${h} H 0 Z" fill="hsl(${b},30%,12%)"/>
</svg>`
}

export function startServer(port = 0) {
  const stored = new Map()
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    res.setHeader('Access-Control-Allow-Origin', '*')
    try {
      if (url.pathname.startsWith('/media/')) {
        const [, , kind, ...rest] = url.pathname.split('/')
        const ref = decodeURIComponent(rest.join('/'))
        if (req.method === 'POST') {
          const chunks = []
          for await (const c of req) chunks.push(c)
          stored.set(`${kind}/${ref}`, { type: req.headers['content-type'] ?? 'application/octet-stream', body: Buffer.concat(chunks) })
          res.writeHead(204).end()
          return
        }
        const kept = stored.get(`${kind}/${ref}`)
        if (kept) {
          res.writeHead(200, { 'content-type': kept.type, 'cache-control': 'no-store' }).end(kept.body)
          return
        }
        if (kind === 'library') return sendRange(req, res, video, 'video/webm')
        if (kind === 'poster') {
          res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(frameSvg(ref))
          return
        }
        if (kind === 'image') {
          const m = /(\d+)x(\d+)/.exec(ref)
          const w = m ? Number(m[1]) : 640
          const h = m ? Number(m[2]) : 480
          const scale = Math.min(1, 640 / Math.max(w, h))
          res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(frameSvg(ref, Math.round(w * scale), Math.round(h * scale)))
          return
        }
        res.writeHead(404).end()
        return
      }
      const rel = normalize(url.pathname === '/' ? '/index.html' : url.pathname).replace(/^([/\\])+/, '')
      const file = join(distDir, rel)
      if (!file.startsWith(distDir)) {
        res.writeHead(403).end()
        return
      }
      const body = await readFile(file)
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body)
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  return new Promise((resolveStart) => {
    server.listen(port, '127.0.0.1', () => resolveStart({ server, url: `http://127.0.0.1:${server.address().port}` }))
  })
}

async function sendRange(req, res, file, type) {
  const { size } = await stat(file)
  const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range ?? '')
  if (!range) {
    res.writeHead(200, { 'content-type': type, 'content-length': size, 'accept-ranges': 'bytes' })
    createReadStream(file).pipe(res)
    return
  }
  const start = range[1] ? Number(range[1]) : 0
  const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1
  res.writeHead(206, { 'content-type': type, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}`, 'accept-ranges': 'bytes' })
  createReadStream(file, { start, end }).pipe(res)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { url } = await startServer(Number(process.env.PORT ?? 5199))
  console.log(`Mock renderer: ${url}/?mock=1   (add &lang=zh-CN, &theme=dark, &key=0, &jobs=10000, &empty=1, &paused=auth)`)
}
