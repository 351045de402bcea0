// The renderer's shape, checked on its source so it does not drift back: one doorway to main,
// features that do not reach into each other, and job states named only by the shared sets.
import { describe, expect, it } from 'vitest'
import { JOB_STATES } from '../../src/shared/jobStates'

const ROOT = '../../src/renderer/src/'
const raw = import.meta.glob<string>('../../src/renderer/src/**/*.{ts,tsx,css}', { query: '?raw', import: 'default', eager: true })
const sources = Object.entries(raw).map(([path, text]) => ({ path: path.slice(ROOT.length), text }))
const code = sources.filter((f) => !f.path.endsWith('.css'))

/** `dir/a/../b.css` → `dir/b.css`, for the paths the stylesheets are imported by. */
function resolveFrom(file: string, spec: string): string {
  const parts = file.split('/').slice(0, -1)
  for (const p of spec.split('/')) {
    if (p === '..') parts.pop()
    else if (p !== '.') parts.push(p)
  }
  return parts.join('/')
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/^import [^']*'([^']+)'/gm)].map((m) => m[1])
}

describe('renderer structure', () => {
  it('only api.ts and the clients touch window.api; no component calls the raw invoke', () => {
    const outside = code.filter((f) => f.path !== 'api.ts' && !f.path.startsWith('clients/') && f.text.includes('window.api'))
    expect(outside.map((f) => f.path)).toEqual([])
    const raw = code.filter((f) => !f.path.startsWith('clients/') && /import \{[^}]*\b(invoke|attempt|onEvent|studioApi)\b[^}]*\} from '[./]*api'/.test(f.text))
    expect(raw.map((f) => f.path)).toEqual([])
  })

  it('a feature imports no other feature, only common pieces, components, lib and stores', () => {
    const crossings: string[] = []
    for (const f of code.filter((x) => x.path.startsWith('features/'))) {
      const own = f.path.split('/')[1]
      for (const spec of importsOf(f.text)) {
        const m = /^\.\.\/([^./][^/]*)\//.exec(spec)
        if (m && m[1] !== own && m[1] !== 'common') crossings.push(`${f.path} → ${spec}`)
      }
    }
    expect(crossings).toEqual([])
  })

  it('the old global stylesheet is gone and each feature stylesheet is imported by a component beside it', () => {
    expect(sources.some((f) => f.path === 'theme.css')).toBe(false)
    // (Vitest does not load CSS text, so styles/index.css's own @imports cannot be read here.)
    const imported = new Set(code.flatMap((f) => [...f.text.matchAll(/^import '(\.\/[^']+\.css)'/gm)].map((m) => resolveFrom(f.path, m[1]))))
    const sheets = sources.filter((f) => f.path.endsWith('.css') && !f.path.startsWith('styles/')).map((f) => f.path)
    expect(sheets.length).toBeGreaterThan(10)
    expect(sheets.filter((s) => !imported.has(s))).toEqual([])
    expect(code.find((f) => f.path === 'main.tsx')?.text).toContain("import './styles/index.css'")
  })

  it('no file lists job states: an array of them, or a chain of comparisons, means a shared set is missing', () => {
    const name = `'(?:${JOB_STATES.join('|')})'`
    const array = new RegExp(`\\[\\s*${name}\\s*,\\s*${name}`)
    const chain = new RegExp(`[!=]== ${name}\\s*(?:\\|\\||&&)\\s*[\\w.?]+ [!=]== ${name}`)
    const listing = code.filter((f) => array.test(f.text) || chain.test(f.text))
    expect(listing.map((f) => f.path)).toEqual([])
  })
})
