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
})
afterAll(() => {
  rmSync(base, { recursive: true, force: true })
  recordFigures('Path traversal', figures)
})

const sources = (): MediaSources => ({
  libraryRoot: () => root,
  posterOf: (id) => (id === 'evil' ? '../secret.txt' : id === 'abs' ? join(base, 'secret.txt') : null),
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
    '/library/', '/library', '/', ''
  ]

  it('hostile paths: none is served, none reads outside the library', async () => {
    let refused = 0
    for (const path of attacks()) {
      for (const method of ['GET', 'HEAD']) {
        const res = await serveMedia(new Request('http://media.test/', { method, headers: { range: 'bytes=0-' } }), path, sources())
        const body = method === 'GET' && res.body ? await res.text() : ''
        expect({ path, method, status: res.status }).toEqual({ path, method, status: expect.any(Number) })
        expect([400, 403, 404], `${method} ${path} → ${res.status}`).toContain(res.status)
        expect(body).not.toContain(SECRET)
        refused++
      }
    }
    // A method other than reading, and the legitimate file still works.
    expect((await serveMedia(new Request('http://media.test/', { method: 'POST' }), '/library/video.mp4', sources())).status).toBe(405)
    const ok = await serveMedia(new Request('http://media.test/'), '/library/video.mp4', sources())
    expect(ok.status).toBe(200)
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff')
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
})
