import { resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_NAME_BYTES, MAX_NAME_CHARS, libraryFileName, resolveInside, sanitizeFileName, slugify } from '../../src/core/library/naming'

const at = new Date(2026, 10, 24, 14, 32, 5).getTime() // local time, like the names
const name = (prompt: string, extra: Partial<Parameters<typeof libraryFileName>[0]> = {}): string =>
  libraryFileName({ completedAt: at, model: 'sora-2', prompt, shortId: '3f9a', ext: 'mp4', ...extra })

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\:*?"<>|\u0000-\u001f]/

function portable(n: string): void {
  expect(n).not.toMatch(FORBIDDEN)
  expect(n).not.toMatch(/^[.\s]/)
  expect(n).not.toMatch(/[.\s]$/)
  expect(n.length).toBeLessThanOrEqual(MAX_NAME_CHARS)
  expect(Buffer.byteLength(n)).toBeLessThanOrEqual(MAX_NAME_BYTES)
}

describe('libraryFileName', () => {
  it('reads like date, time, model, prompt and short id', () => {
    expect(name('A paper airplane glides over the city at dusk')).toBe('2026-11-24 1432 sora-2 a-paper-airplane-glides-over-the-city-at-dusk-3f9a.mp4')
  })

  it('caps long prompts at a word boundary', () => {
    const n = name('word '.repeat(60) + 'x'.repeat(300))
    portable(n)
    expect(n).toMatch(/^2026-11-24 1432 sora-2 (word-)+word-3f9a\.mp4$/)
    const slug = n.slice('2026-11-24 1432 sora-2 '.length, -'-3f9a.mp4'.length)
    expect(slug.length).toBeLessThanOrEqual(48)
  })

  it('keeps a 300-character unbroken prompt within the limits', () => {
    const n = name('y'.repeat(300))
    portable(n)
    expect(n).toContain('-3f9a.mp4')
  })

  it('strips separators, reserved characters, NUL, controls and dot-dot', () => {
    for (const p of ['../../etc/passwd', 'a/b\\c:d*e?f"g<h>i|j', 'nul\u0000byte\u0007bell\n', '..', '.hidden. ', 'CON', 'CON.mp4']) {
      const n = name(p)
      portable(n)
      expect(n).not.toContain('..')
      expect(n.endsWith('-3f9a.mp4')).toBe(true)
    }
    expect(name('../../etc/passwd')).toBe('2026-11-24 1432 sora-2 etc-passwd-3f9a.mp4')
    expect(name('a/b\\c:d*e?f"g<h>i|j')).toBe('2026-11-24 1432 sora-2 a-b-c-d-e-f-g-h-i-j-3f9a.mp4')
  })

  it('sanitizes a hostile model id and extension', () => {
    const n = libraryFileName({ completedAt: at, model: '../vendor/model:v2?*', prompt: 'x', shortId: '../ab', ext: '.M P4/..' })
    portable(n)
    expect(n).toBe('2026-11-24 1432 vendor-model-v2 x-ab.mp4')
  })

  it('keeps CJK letters and drops emoji', () => {
    expect(name('一只纸飞机在黄昏时分飞过城市')).toBe('2026-11-24 1432 sora-2 一只纸飞机在黄昏时分飞过城市-3f9a.mp4')
    expect(name('🚀🔥 Rocket launch ✈️ 発射！')).toBe('2026-11-24 1432 sora-2 rocket-launch-発射-3f9a.mp4')
    expect(name('Café déjà vu — Ünïcödé')).toBe('2026-11-24 1432 sora-2 café-déjà-vu-ünïcödé-3f9a.mp4')
    expect(name('1️⃣ 👍🏽 👨‍👩‍👧')).toBe('2026-11-24 1432 sora-2 1-3f9a.mp4')
    expect(name('🎬🎬🎬')).toBe('2026-11-24 1432 sora-2 untitled-3f9a.mp4')
  })

  it('keeps long CJK prompts under the byte limit', () => {
    const n = name('飞'.repeat(300))
    portable(n)
  })

  it('adds (2), (3)… on collisions', () => {
    const taken = new Set<string>()
    const names = [1, 2, 3].map(() => {
      const n = libraryFileName({ completedAt: at, model: 'sora-2', prompt: 'same', shortId: 'abcd', ext: 'mp4' }, (c) => taken.has(c))
      taken.add(n)
      return n
    })
    expect(names).toEqual([
      '2026-11-24 1432 sora-2 same-abcd.mp4',
      '2026-11-24 1432 sora-2 same-abcd (2).mp4',
      '2026-11-24 1432 sora-2 same-abcd (3).mp4'
    ])
  })
})

describe('sanitizeFileName', () => {
  it.each([
    ['CON.mp4', '_CON.mp4'],
    ['con', '_con'],
    ['LPT1.txt', '_LPT1.txt'],
    ['com9.tar.gz', '_com9.tar.gz'],
    ['NUL', '_NUL'],
    ['console.mp4', 'console.mp4'],
    ['..', 'untitled'],
    ['...', 'untitled'],
    ['.bashrc', 'bashrc'],
    ['name. . ', 'name'],
    ['a\u0000b', 'a-b'],
    ['a/b\\c', 'a-b-c'],
    ['', 'untitled']
  ])('%j -> %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected)
  })

  it('caps length in characters and UTF-8 bytes', () => {
    const out = sanitizeFileName('漢'.repeat(500))
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(MAX_NAME_BYTES)
    expect(sanitizeFileName('a'.repeat(500)).length).toBeLessThanOrEqual(MAX_NAME_CHARS)
  })

  it('slugify keeps letters and digits of any script', () => {
    expect(slugify('Hello, Мир! 世界 42')).toBe('hello-мир-世界-42')
  })
})

describe('resolveInside', () => {
  const root = resolve('/tmp/lib-root')
  it('accepts paths inside the root', () => {
    expect(resolveInside(root, 'a.mp4')).toBe(`${root}${sep}a.mp4`)
    expect(resolveInside(root, 'sub/a.mp4')).toBe(resolve(root, 'sub', 'a.mp4'))
    expect(resolveInside(root, './a.mp4')).toBe(resolve(root, 'a.mp4'))
  })
  it.each([
    ['..'],
    ['../x.mp4'],
    ['a/../../x'],
    ['a/../b'],
    ['..\\x'],
    ['/etc/passwd'],
    ['C:\\Windows\\win.ini'],
    ['C:foo'],
    ['\\\\server\\share\\x'],
    ['a\u0000b'],
    [''],
    ['.']
  ])('rejects %j', (rel) => {
    expect(resolveInside(root, rel)).toBeNull()
  })
})
