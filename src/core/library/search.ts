// Search text and queries for the library's FTS5 table (schema.ts).
//
// unicode61 finds Latin, Cyrillic, Greek… words, but treats a run of Chinese or Japanese as one
// long token, so `飞机` would never match `一只纸飞机`. We therefore index each CJK run as the
// sequence of its overlapping character pairs (plus its last character alone), and search a
// CJK word as the phrase of its pairs: FTS5 phrases need adjacent tokens, so this is an exact
// substring match; a single character is a prefix query over those pairs.
// Other words are matched as prefixes (`air` finds `airplane`, `4k` finds `4k`).

const CJK_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\p{Script=Bopomofo}ー々〆'
const CJK_SPLIT = new RegExp(`([${CJK_CLASS}]+)`, 'u')
const CJK_RUN = new RegExp(`^[${CJK_CLASS}]+$`, 'u')
const NON_WORD = /[^\p{L}\p{M}\p{N}]+/u
const MAX_TERMS = 16

/** The `search_text` column: the texts' words, with CJK runs spelled as pairs. */
export function searchText(texts: (string | null | undefined)[]): string {
  const out: string[] = []
  for (const text of texts) {
    if (!text) continue
    for (const part of normalize(text).split(CJK_SPLIT)) {
      if (!part) continue
      if (CJK_RUN.test(part)) out.push(...cjkTokens(part))
      else out.push(...part.split(NON_WORD).filter(Boolean))
    }
    // Keeps a phrase from spanning two texts (prompt end + negative prompt start).
    out.push('|')
  }
  return out.join(' ')
}

/** FTS5 query: every whitespace-separated term must match (AND); null when nothing is searchable. */
export function ftsQuery(search: string): string | null {
  const clauses: string[] = []
  for (const term of normalize(search).split(/\s+/u).filter(Boolean).slice(0, MAX_TERMS)) {
    for (const part of term.split(CJK_SPLIT)) {
      if (!part) continue
      if (CJK_RUN.test(part)) {
        const chars = [...part]
        clauses.push(chars.length === 1 ? `${quote(part)}*` : quote(pairs(chars).join(' ')))
      } else {
        for (const word of part.split(NON_WORD)) if (word) clauses.push(`${quote(word)}*`)
      }
    }
  }
  return clauses.length ? clauses.join(' AND ') : null
}

/** Sort key of the prompt sort: the first 64 characters, lower-case, spaces collapsed. */
export function promptKey(prompt: string): string {
  return [...normalize(prompt).replace(/\s+/gu, ' ').trim()].slice(0, 64).join('')
}

function cjkTokens(run: string): string[] {
  const chars = [...run]
  return [...pairs(chars), chars[chars.length - 1]]
}

function pairs(chars: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1])
  return out
}

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`
}
