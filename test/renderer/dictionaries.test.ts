// Every user-visible string is in both dictionaries, and every key the interface asks for exists.
// Fails on: a key in one dictionary and not the other, an empty text, a Chinese text left in
// English, placeholders that differ, or a t('…') in the renderer's source naming no English key.
import { describe, expect, it } from 'vitest'
import { en } from '../../src/renderer/src/i18n/en'
import { zhCN } from '../../src/renderer/src/i18n/zh-CN'
import { MESSAGES } from '../../src/shared/messages'

const EN: Record<string, string> = en
const ZH: Record<string, string> = zhCN
const ROOT = '../../src/renderer/src/'
const raw = import.meta.glob<string>('../../src/renderer/src/**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true })
/** The renderer's source files (the dictionaries themselves left out), by path under src/renderer/src. */
const SOURCES = Object.entries(raw)
  .map(([path, text]) => ({ path: path.slice(ROOT.length), text }))
  .filter((f) => !f.path.startsWith('i18n/'))

/**
 * Keys only 简体中文 has: English shows the engine's own sentence for these (fieldErrorText,
 * engineText, rejectedText in i18n/index.ts) and Chinese translates them by code.
 */
const ZH_ONLY_FAMILIES = ['fieldError.', 'rejected.', 'field.', 'msg.']

/**
 * Texts that are the same in both languages on purpose: names, and format-only strings without
 * words. Anything else identical in zh-CN is an untranslated English sentence.
 */
const SAME_IN_BOTH = new Set(['app.name', 'app.title', 'field.range'])

/** Whether a text has words to translate: letters outside placeholders, acronyms (HTTP, ID) aside. */
function hasWords(text: string): boolean {
  return /\b(?![A-Z]+\b)[A-Za-z]{2,}\b/.test(text.replace(/\{[^{}]*\}/g, ''))
}

interface Placeholders {
  /** `{name}` anywhere, also inside a plural branch. */
  plain: Set<string>
  /** `{count:one|other}` selectors. */
  selectors: Set<string>
  /** Selectors whose branches print the count with `#`. */
  printed: Set<string>
}

function placeholders(text: string): Placeholders {
  const plain = new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))
  const selectors = new Set<string>()
  const printed = new Set<string>()
  for (const m of text.matchAll(/\{(\w+):((?:[^{}]|\{\w+\})*)\}/g)) {
    selectors.add(m[1]!)
    if (m[2]!.includes('#')) printed.add(m[1]!)
  }
  return { plain, selectors, printed }
}

/** What is wrong with the placeholders of one key, as readable lines (empty when they match). */
export function placeholderProblems(key: string, english: string, chinese: string): string[] {
  const e = placeholders(english)
  const z = placeholders(chinese)
  const enAll = new Set([...e.plain, ...e.selectors])
  const zhAll = new Set([...z.plain, ...z.selectors])
  const problems: string[] = []
  for (const n of zhAll) if (!enAll.has(n)) problems.push(`${key}: 简体中文 uses {${n}}, which English is never given`)
  for (const n of e.plain) if (!zhAll.has(n)) problems.push(`${key}: 简体中文 drops {${n}}`)
  // A plural selector only picks a branch; Chinese has no plural and may leave it out, unless
  // English prints the number itself with #: then the number must appear in Chinese too.
  for (const n of e.printed) if (!zhAll.has(n)) problems.push(`${key}: 简体中文 drops the number {${n}} (English prints it with #)`)
  return problems
}

/** Keys the source asks for: t('key'), t("key"), t(`key`) and translate(lang, 'key'); `${…}` keys by their literal prefix. */
export function keysInSource(source: string): { literal: string[]; prefixes: string[] } {
  const literal: string[] = []
  const prefixes: string[] = []
  const calls = /(?<![\w$.])(?:t\(|translate\(\s*[\w.'"-]+\s*,)\s*(?:'([^'\n]+)'|"([^"\n]+)"|`([^`\n]+)`)/g
  for (const m of source.matchAll(calls)) {
    const text = m[1] ?? m[2] ?? m[3]!
    if (m[3] !== undefined && text.includes('${')) prefixes.push(text.slice(0, text.indexOf('${')))
    else literal.push(text)
  }
  return { literal, prefixes }
}

describe('the two dictionaries', () => {
  it('简体中文 has every English key', () => {
    expect(Object.keys(EN).filter((k) => !(k in ZH))).toEqual([])
  })

  it('English has every 简体中文 key, except the engine sentences English takes from the engine', () => {
    const extra = Object.keys(ZH).filter((k) => !(k in EN) && !ZH_ONLY_FAMILIES.some((f) => k.startsWith(f)))
    expect(extra).toEqual([])
    // A msg.* translation must belong to a sentence the engine really says.
    const stale = Object.keys(ZH).filter((k) => k.startsWith('msg.') && !(k.slice(4) in MESSAGES))
    expect(stale).toEqual([])
  })

  it('no text is empty', () => {
    const empty = [...Object.entries(EN).map(([k, v]) => ['en', k, v]), ...Object.entries(ZH).map(([k, v]) => ['zh-CN', k, v])].filter(([, , v]) => typeof v !== 'string' || v.trim() === '')
    expect(empty).toEqual([])
  })

  it('no Chinese text is left in English (names and format-only strings excepted)', () => {
    const same = Object.keys(EN).filter((k) => ZH[k] === EN[k] && !SAME_IN_BOTH.has(k) && hasWords(EN[k]!))
    expect(same).toEqual([])
  })

  it('tells words from format-only text', () => {
    expect(hasWords('{min}–{max}')).toBe(false)
    expect(hasWords('HTTP {status}')).toBe(false)
    expect(hasWords('{count:1 video|{n} videos}')).toBe(true)
    expect(hasWords('Retry {name}')).toBe(true)
  })

  it('the allow-list of identical texts has no stale entries', () => {
    for (const k of SAME_IN_BOTH) expect({ k, same: ZH[k] === EN[k] }).toEqual({ k, same: true })
  })

  it('each key has the same placeholders in both languages', () => {
    const problems = Object.keys(EN).flatMap((k) => (k in ZH ? placeholderProblems(k, EN[k]!, ZH[k]!) : []))
    expect(problems).toEqual([])
  })

  it('the placeholder check catches a dropped value, an unknown one and a dropped count', () => {
    expect(placeholderProblems('k', 'Delete {name}?', '删除？')).toEqual(['k: 简体中文 drops {name}'])
    expect(placeholderProblems('k', 'Delete?', '删除 {name}？')).toEqual(['k: 简体中文 uses {name}, which English is never given'])
    expect(placeholderProblems('k', '{count:1 job|# jobs}', '任务')).toEqual(['k: 简体中文 drops the number {count} (English prints it with #)'])
    expect(placeholderProblems('k', '{count:1 video|{n} videos}', '{n} 个视频')).toEqual([])
    expect(placeholderProblems('k', '{count:1 job|# jobs}', '{count} 个任务')).toEqual([])
  })
})

describe('keys the interface asks for', () => {
  it('finds calls in the renderer source', () => {
    expect(keysInSource("t('a.b') t(\"c.d\", { x }) t(`e.${f}`) x.t('no') translate(lang, 'g.h') it('no')")).toEqual({ literal: ['a.b', 'c.d', 'g.h'], prefixes: ['e.'] })
    expect(SOURCES.length).toBeGreaterThan(20)
  })

  it('every t() key in src/renderer/src exists in en.ts (template keys: their prefix)', () => {
    const keys = Object.keys(EN)
    const missing: string[] = []
    let seen = 0
    for (const file of SOURCES) {
      const { literal, prefixes } = keysInSource(file.text)
      seen += literal.length + prefixes.length
      for (const k of literal) if (!(k in EN)) missing.push(`${file.path}: t('${k}')`)
      for (const p of prefixes) if (!keys.some((k) => k.startsWith(p))) missing.push(`${file.path}: t(\`${p}\${…}\`)`)
    }
    expect(missing).toEqual([])
    expect(seen).toBeGreaterThan(200)
  })
})
