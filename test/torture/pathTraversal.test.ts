// Path traversal: the media scheme (serveMedia) and every file name the app derives from prompts,
// model ids or files it did not write (sidecars) stay inside the library folder, whatever the input:
// `..`, encoded dots and slashes, absolute paths, NUL, backslashes, Windows device names, symlinks
// that lead out, names thousands of characters long.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/core/db/database'
import { Library } from '../../src/core/library/library'
import { libraryFileName, resolveInside } from '../../src/core/library/naming'
import { SIDECAR_FORMAT } from '../../src/core/library/sidecar'
import { systemClock } from '../../src/core/ports'
import { type MediaSources, serveMedia } from '../../src/app/mediaServer'
import { recordFigures } from './figures'

const SECRET = 'TOP-SECRET-OUTSIDE-THE-LIBRARY'
let base: string
let root: string
const figures: Record<string, string | number> = {}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'cvs-torture-paths-'))
  root = join(base, 'library')
  mkdirSync(join(root, '.partial'), { recursive: true })
  mkdirSync(join(root, '.trash'), { recursive: true })
  writeFileSync(join(base, 'secret.txt'), SECRET)
  writeFileSync(join(base, 'secret.mp4'), SECRET)
  writeFileSync(join(root, 'video.mp4'), Buffer.from('\0\0\0\x18ftypisom-fine-video'))
  writeFileSync(join(root, '.partial', 'job.part'), SECRET)
  writeFileSync(join(root, '.trash', 'old.mp4'), SECRET)
  symlinkSync(join(base, 'secret.mp4'), join(root, 'escape.mp4'))
  symlinkSync(base, join(root, 'outside-dir'))
  // Inside the library but never to be served: sidecars, other file types, hidden files, the
  // downloads in flight under a video's name, and links that lead to any of them.
  mkdirSync(join(root, 'sub', '.hidden'), { recursive: true })
  mkdirSync(join(root, '.posters'))
  mkdirSync(join(root, 'folder.mp4'))
  writeFileSync(join(root, 'sub', 'clip.mp4'), Buffer.from('\0\0\0\x18ftypisom-sub-video'))
  writeFileSync(join(root, 'secret-sidecar.json'), JSON.stringify({ secret: SECRET }))
  writeFileSync(join(root, 'notes.txt'), SECRET)
  writeFileSync(join(root, 'run.sh'), `#!/bin/sh\necho ${SECRET}\n`)
  writeFileSync(join(root, '.hidden.mp4'), SECRET)
  writeFileSync(join(root, 'sub', '.hidden', 'x.mp4'), SECRET)
  writeFileSync(join(root, '.partial', 'job.mp4'), SECRET)
  writeFileSync(join(root, '.partial', 'x.jpg'), SECRET)
  writeFileSync(join(root, '.posters', 'good.jpg'), 'POSTER')
  writeFileSync(join(root, '.posters', 'leak.json'), SECRET)
  symlinkSync(join(root, 'secret-sidecar.json'), join(root, 'link-sidecar.mp4'))
  symlinkSync(join(root, '.partial', 'job.mp4'), join(root, 'link-partial.mp4'))
  symlinkSync(join(root, '.trash', 'old.mp4'), join(root, 'link-trash.mp4'))
  symlinkSync(join(root, 'run.sh'), join(root, 'link-run.mp4'))
  symlinkSync(join('..', '.partial', 'job.mp4'), join(root, 'sub', 'up.mp4'))
  symlinkSync(join(root, '.partial', 'x.jpg'), join(root, '.posters', 'link.jpg'))
  symlinkSync(join(root, 'secret-sidecar.json'), join(root, '.posters', 'sidecar.jpg'))
  symlinkSync(join(base, 'secret.txt'), join(root, '.posters', 'out.jpg'))
})
afterAll(() => {
  rmSync(base, { recursive: true, force: true })
  recordFigures('Path traversal', figures)
})

/** Poster paths as a hostile sidecar could record them, by item id. */
const HOSTILE_POSTERS: Record<string, string> = {
  evil: '../secret.txt', abs: '/etc/passwd', partial: '.partial/x.jpg', partialVideo: '.partial/job.mp4', trash: '.trash/old.mp4',
  sidecar: 'secret-sidecar.json', leak: '.posters/leak.json', link: '.posters/link.jpg', linkSidecar: '.posters/sidecar.jpg',
  linkOut: '.posters/out.jpg', climb: '.posters/../.partial/x.jpg', dot: './.partial/x.jpg', back: '.posters\\..\\.partial\\x.jpg',
  upper: '.PARTIAL/x.jpg', encoded: '.posters/%2e%2e%2f.partial%2fx.jpg', nul: '.posters/good.jpg\u0000.json', video: 'video.mp4', deep: '.posters/x/../../.partial/x.jpg'
}

const sources = (): MediaSources => ({
  libraryRoot: () => root,
  posterOf: (id) => HOSTILE_POSTERS[id] ?? (id === 'good' ? '.posters/good.jpg' : null),
  imageOf: () => null,
  jobImageOf: () => null
})

describe('the media scheme', () => {
  const attacks = (): string[] => [
    '/library/../secret.txt', '/library/../../secret.txt', '/library/%2e%2e/secret.txt', '/library/%2E%2E%2Fsecret.txt', '/library/..%2f..%2fsecret.txt',
    '/library/..%5csecret.txt', '/library/..\\secret.txt', '/library/%2e%2e%5c%2e%2e%5csecret.txt', '/library//etc/passwd', '/library/%2Fetc%2Fpasswd',
    `/library/${encodeURIComponent(join(base, 'secret.txt'))}`, '/library/C:%5CWindows%5Cwin.ini', '/library/C:/Windows/win.ini', '/library/%5C%5Cserver%5Cshare%5Cx',
    '/library/video.mp4%00.txt', '/library/%00', '/library/escape.mp4', '/library/outside-dir/secret.txt', '/library/outside-dir/secret.mp4',
    '/library/.partial/job.part', '/library/.trash/old.mp4', '/library/%2epartial/job.part', '/library/CON', '/library/NUL.mp4', '/library/aux',
    `/library/${'a'.repeat(5000)}.mp4`, `/library/${'../'.repeat(200)}secret.txt`, '/library/%E0%A4%A', '/library/%', '/poster/evil', '/poster/abs',
    '/poster/../../secret.txt', '/image/../../secret.txt', '/jobimage/x/../../secret.txt', '/jobimage/j1/999', '/../secret.txt', '/%2e%2e/secret.txt',
    '/library/', '/library', '/', '',
    // Decoded before any check: an encoded `./` or `../` in front of a hidden folder is that folder.
    '/library/%2E%2F.partial%2Fjob.part', '/library/%2e%2f.partial%2fjob.mp4', '/library/.%2F.trash%2Fold.mp4', '/library/%2E%2F%2Epartial%2Fjob.mp4',
    '/library/sub%2F..%2F.partial%2Fjob.mp4', '/library/sub/%2e%2e/.partial/job.mp4', '/library/%2e%2e%2fsecret.mp4', '/library/%2E%2E%2F%2E%2E%2Fsecret.mp4',
    '/library/%252e%252e%252fsecret.mp4', '/library/%252E%252E/secret.mp4', '/library/%252epartial/job.mp4', '/library/.%252Fpartial%252Fjob.mp4',
    '/library/.%5Cpartial%5Cjob.mp4', '/library/sub%5C..%5C.partial%5Cjob.mp4', '/library/..%5C..%5Csecret.mp4',
    '/library/.PARTIAL/job.mp4', '/library/.Partial%2Fjob.mp4', '/library/%2EPARTIAL/job.mp4', '/library/.TRASH/old.mp4', '/library/.Posters/leak.json',
    '/library/.posters/good.jpg', '/library/video.mp4%00', '/library/video.mp4%00.mp4', '/library/.partial%00/job.mp4', '/library/video.mp4%2500',
    // Inside the library, but not a video: a sidecar, other file types, hidden names, a folder.
    '/library/secret-sidecar.json', '/library/notes.txt', '/library/run.sh', '/library/.hidden.mp4', '/library/sub/.hidden/x.mp4', '/library/sub%2F.hidden%2Fx.mp4',
    '/library/folder.mp4', '/library/video.mp4.', '/library/video.mp4%20', '/library/video.mp4::$DATA', '/library/.%2Fvideo.mp4', '/library/sub//clip.mp4',
    // Links inside the library with a video's name, leading to what must not be served.
    '/library/link-sidecar.mp4', '/library/link-partial.mp4', '/library/link-trash.mp4', '/library/link-run.mp4', '/library/sub/up.mp4', '/library/sub%2Fup.mp4',
    // Poster paths from hostile sidecars.
    ...Object.keys(HOSTILE_POSTERS).map((id) => `/poster/${id}`), '/poster/%2E%2E%2Fsecret.txt', '/poster/good%2F..'
  ]

  it('hostile paths: none is served, none reads outside the library', async () => {
    let refused = 0
    const served: string[] = []
    for (const path of attacks()) {
      for (const method of ['GET', 'HEAD']) {
        const res = await serveMedia(new Request('http://media.test/', { method, headers: { range: 'bytes=0-' } }), path, sources())
        const body = method === 'GET' && res.body ? await res.text() : ''
        if (![400, 403, 404].includes(res.status) || body.includes(SECRET)) served.push(`${method} ${path} → ${res.status}`)
        else refused++
      }
    }
    expect(served).toEqual([])
    // A method other than reading, and the legitimate file still works.
    expect((await serveMedia(new Request('http://media.test/', { method: 'POST' }), '/library/video.mp4', sources())).status).toBe(405)
    const ok = await serveMedia(new Request('http://media.test/'), '/library/video.mp4', sources())
    expect(ok.status).toBe(200)
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff')
    // A video in a subfolder (the renderer encodes the whole name) and a real poster still work.
    for (const path of ['/library/sub%2Fclip.mp4', '/library/sub/clip.mp4']) {
      const res = await serveMedia(new Request('http://media.test/'), path, sources())
      expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status: 200, type: 'video/mp4' })
      expect(await res.text()).toContain('sub-video')
    }
    const poster = await serveMedia(new Request('http://media.test/'), '/poster/good', sources())
    expect([poster.status, poster.headers.get('content-type'), await poster.text()]).toEqual([200, 'image/jpeg', 'POSTER'])
    figures['hostile media paths refused (GET and HEAD)'] = `${refused}/${refused}`
  })
})

describe('file names made from prompts, model ids and extensions', () => {
  const hostile = [
    '../../etc/passwd', '/etc/passwd', 'C:\\Windows\\System32\\drivers\\etc\\hosts', '\\\\server\\share\\x', 'a\u0000b.mp4', 'CON', 'aux', 'nul.txt', 'COM1', 'LPT9.mp4',
    'con .mp4', '....', '. .', '.hidden', '..', '.', '', ' ', 'x'.repeat(10_000), '東'.repeat(5000), '😀'.repeat(3000), '\u202Egnp.exe', 'a:b*c?d"e<f>g|h',
    'line\nbreak\rcarriage\ttab', '%2e%2e%2f%2e%2e', 'name.mp4.', 'trailing space ', '\u200B\u200B', '‮'
  ]

  it('every generated name is a plain, portable file name that resolves inside the library', () => {
    let checked = 0
    for (const prompt of hostile) {
      for (const model of ['sora-2', ...hostile.slice(0, 12)]) {
        for (const ext of ['mp4', '../mp4', 'mp4/../../x', 'MP4\u0000']) {
          const name = libraryFileName({ completedAt: Date.UTC(2026, 0, 2, 3, 4), model, prompt, shortId: '../ab', ext })
          // eslint-disable-next-line no-control-regex
          expect(name, JSON.stringify({ prompt, model, ext })).not.toMatch(/[/\\:*?"<>|\u0000-\u001f\u007f]/)
          expect(name.startsWith('.')).toBe(false)
          expect(name.split('.')[0].trim()).not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i)
          expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200)
          const abs = resolveInside(root, name)
          expect(abs).not.toBeNull()
          expect(relative(root, abs!).startsWith('..') || relative(root, abs!).includes(sep)).toBe(false)
          checked++
        }
      }
    }
    figures['names generated from hostile prompts × model ids × extensions'] = checked
  })

  it('resolveInside refuses every way out', () => {
    for (const rel of ['..', '../x', 'a/../../x', 'a\\..\\..\\x', '/abs', 'C:\\x', 'C:x', '\\\\srv\\share', 'x\u0000', '', './..', 'a/./../../b']) {
      expect(resolveInside(root, rel), JSON.stringify(rel)).toBeNull()
    }
  })
})

describe('files in the library folder the app did not write', () => {
  it('a hostile sidecar cannot point the index (or a delete) outside the library', async () => {
    const db = openDatabase(':memory:')
    try {
      const lib = new Library(db, root, systemClock)
      const sidecar = (file: string, extra: Record<string, unknown> = {}): string =>
        JSON.stringify({
          format: SIDECAR_FORMAT, version: 1, id: `id-${Math.random()}`, jobId: `job-${Math.random()}`, file, bytes: 6, container: 'mp4',
          model: 'sora-2', provider: 'openai-videos', prompt: 'x', createdAt: 1, completedAt: 2, ...extra
        })
      writeFileSync(join(root, 'evil1.json'), sidecar('../secret.mp4'))
      writeFileSync(join(root, 'evil2.json'), sidecar(join(base, 'secret.mp4')))
      writeFileSync(join(root, 'evil3.json'), sidecar('..\\secret.mp4'))
      writeFileSync(join(root, 'evil4.json'), sidecar('.partial'))
      writeFileSync(join(root, 'video.json'), sidecar('video.mp4', { poster: '../secret.txt', bytes: 22 }))
      const report = await lib.rescan()
      expect(report.added).toBe(1) // only the real video
      expect(report.skipped.map((s) => s.file).sort()).toEqual(['evil1.json', 'evil2.json', 'evil3.json', 'evil4.json'])
      const item = lib.list({}).items[0]
      expect(item.fileName).toBe('video.mp4')
      // Its poster points outside: the media route will not serve it, and delete never touches it.
      const res = await serveMedia(new Request('http://media.test/'), `/poster/${item.id}`, { ...sources(), posterOf: () => item.poster })
      expect([403, 404]).toContain(res.status)
      expect(() => lib.setMediaInfo(item.id, { poster: '../../etc/passwd' })).toThrow(/not inside the library folder/)
      await lib.delete(item.id, async () => {})
      expect((await import('node:fs')).readFileSync(join(base, 'secret.txt'), 'utf8')).toBe(SECRET)
      figures['hostile sidecars'] = `4/4 skipped with a reason; a poster pointing out is neither served nor deleted`
    } finally {
      db.close()
    }
  })

  it('a sidecar whose poster points at a download in flight, a sidecar or out of the library gets no poster served', async () => {
    const lib2 = join(base, 'library2')
    mkdirSync(join(lib2, '.partial'), { recursive: true })
    mkdirSync(join(lib2, '.posters'), { recursive: true })
    writeFileSync(join(lib2, '.partial', 'job.jpg'), SECRET)
    writeFileSync(join(lib2, 'leak.json.jpg'), SECRET)
    symlinkSync(join(lib2, '.partial', 'job.jpg'), join(lib2, '.posters', 'in-flight.jpg'))
    symlinkSync(join(base, 'secret.txt'), join(lib2, '.posters', 'outside.jpg'))
    const posters = ['.partial/job.jpg', '.PARTIAL/job.jpg', './.partial/job.jpg', '.posters/../.partial/job.jpg', '.posters/in-flight.jpg',
      '.posters/outside.jpg', 'leak.json.jpg', 'v0.json', '../secret.txt', `${base}/secret.txt`, '.posters/%2e%2e/.partial/job.jpg']
    posters.forEach((poster, i) => {
      writeFileSync(join(lib2, `v${i}.mp4`), Buffer.from('\0\0\0\x18ftypisom-fine-video'))
      writeFileSync(join(lib2, `v${i}.json`), JSON.stringify({
        format: SIDECAR_FORMAT, version: 1, id: `poster-${i}`, jobId: `job-${i}`, file: `v${i}.mp4`, bytes: 22, container: 'mp4',
        model: 'sora-2', provider: 'openai-videos', prompt: 'x', createdAt: 1, completedAt: 2, poster
      }))
    })
    const db = openDatabase(':memory:')
    try {
      const lib = new Library(db, lib2, systemClock)
      expect((await lib.rescan()).added).toBe(posters.length)
      const media: MediaSources = { libraryRoot: () => lib2, posterOf: (id) => lib.get(id)?.poster ?? null, imageOf: () => null, jobImageOf: () => null }
      const served: string[] = []
      for (let i = 0; i < posters.length; i++) {
        const res = await serveMedia(new Request('http://media.test/'), `/poster/poster-${i}`, media)
        const body = res.body ? await res.text() : ''
        if (![403, 404].includes(res.status) || body.includes(SECRET)) served.push(`${posters[i]} → ${res.status}`)
      }
      expect(served).toEqual([])
      figures['hostile sidecar posters (in flight, linked, outside) refused'] = `${posters.length}/${posters.length}`
    } finally {
      db.close()
    }
  })
})
