// The one rule for which library files leave the folder (media scheme, Open, Show in folder). Case
// folding is forced on and off here, since this runs on a case-sensitive disk.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partsInside, posterInsideLibrary, videoAtPath, videoInsideLibrary } from '../../src/app/libraryFiles'

let base: string
let root: string
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'cvs-libfiles-'))
  root = join(base, 'Library')
  for (const d of ['.partial', '.POSTERS', '.posters', 'sub', 'PARTIAL']) mkdirSync(join(root, d), { recursive: true })
  for (const f of ['CLIP.MP4', 'clip.m4v', 'clip.webm', 'clip.mov', 'sub/inner.mp4', '.partial/x.mp4', '.POSTERS/a.jpg', '.posters/b.PNG', 'PARTIAL/fine.mp4', 'poster.jpg']) {
    writeFileSync(join(root, f), 'x')
  }
  writeFileSync(join(base, 'outside.mp4'), 'x')
  symlinkSync(join(root, '.partial', 'x.mp4'), join(root, 'to-partial.mp4'))
  symlinkSync(join(base, 'outside.mp4'), join(root, 'to-outside.mp4'))
  symlinkSync(join(root, 'CLIP.MP4'), join(root, 'alias.mp4'))
  symlinkSync(join(root, 'CLIP.MP4'), join(root, '.posters', 'video.jpg'))
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

const verdict = async (p: Promise<{ ok: boolean; why?: string }>): Promise<string> => {
  const r = await p
  return r.ok ? 'ok' : (r.why as string)
}

describe('videoInsideLibrary', () => {
  it('allows the four containers in any case, inside the library, through links that stay in it', async () => {
    for (const name of ['CLIP.MP4', 'clip.m4v', 'clip.webm', 'clip.mov', 'sub/inner.mp4', 'PARTIAL/fine.mp4', 'alias.mp4']) {
      expect(await verdict(videoInsideLibrary(root, name)), name).toBe('ok')
    }
    // What is handed on is where the link really leads (checked, and then opened, as one path).
    expect(await videoInsideLibrary(root, 'alias.mp4')).toEqual({ ok: true, path: join(realpathSync(root), 'CLIP.MP4') })
  })

  it('refuses hidden parts, other types, odd spellings and links that lead out or into hidden folders', async () => {
    const refused = [
      '.partial/x.mp4', '.PARTIAL/x.mp4', './CLIP.MP4', 'sub/../CLIP.MP4', 'sub//inner.mp4', '/CLIP.MP4', 'sub\\inner.mp4', 'CLIP.MP4.', 'CLIP.MP4 ',
      'CLIP.MP4:stream.mp4', 'C:CLIP.MP4', 'clip\u0000.mp4', 'poster.jpg', 'sub', '', 'to-partial.mp4', 'to-outside.mp4', '.posters/video.jpg'
    ]
    for (const name of refused) {
      for (const caseInsensitive of [false, true]) expect(await verdict(videoInsideLibrary(root, name, { caseInsensitive })), name).toBe('refused')
    }
    // Allowed names with nothing there, and a name never decoded a second time.
    expect(await verdict(videoInsideLibrary(root, 'gone.mp4'))).toBe('missing')
    expect(await verdict(videoInsideLibrary(root, '%2e%2e%2foutside.mp4'))).toBe('missing')
    expect(await verdict(videoInsideLibrary(join(base, 'no-such-library'), 'CLIP.MP4'))).toBe('missing')
  })

  it('videoAtPath: an absolute path is judged by its place under the root', async () => {
    expect(await verdict(videoAtPath(root, join(root, 'sub', 'inner.mp4')))).toBe('ok')
    expect(await verdict(videoAtPath(root, join(base, 'outside.mp4')))).toBe('refused')
    expect(await verdict(videoAtPath(root, join(root, '..', 'Library', '.partial', 'x.mp4')))).toBe('refused')
    expect(await verdict(videoAtPath(root, root))).toBe('refused')
  })
})

describe('posterInsideLibrary', () => {
  it('allows only an image directly in .posters/, by its real place', async () => {
    expect(await verdict(posterInsideLibrary(root, '.posters/b.PNG'))).toBe('ok')
    for (const rel of ['poster.jpg', '.partial/x.mp4', '.posters/video.jpg', '.posters/../poster.jpg', '.posters/sub/b.PNG', 'sub/.posters/b.png', '.posters/.b.png']) {
      expect(await verdict(posterInsideLibrary(root, rel)), rel).toBe('refused')
    }
  })

  it('treats `.POSTERS` as `.posters` only where the disk does', async () => {
    expect(await verdict(posterInsideLibrary(root, '.POSTERS/a.jpg', { caseInsensitive: true }))).toBe('ok')
    expect(await verdict(posterInsideLibrary(root, '.POSTERS/a.jpg', { caseInsensitive: false }))).toBe('refused')
  })
})

describe('partsInside', () => {
  it('compares case-insensitively only when asked, and keeps the real case of the parts', () => {
    expect(partsInside('/Users/Me/Library', '/users/me/library/A.mp4', true)).toEqual(['A.mp4'])
    expect(partsInside('/Users/Me/Library', '/users/me/library/A.mp4', false)).toBeNull()
    expect(partsInside('/lib', '/lib', true)).toBeNull()
    expect(partsInside('/lib', '/lib2/a.mp4', true)).toBeNull()
    expect(partsInside('/lib', '/lib/x/../../etc', false)).toBeNull()
  })
})
