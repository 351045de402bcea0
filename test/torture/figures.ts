// Figures each torture test proves, printed as a block when the test ends and collected in
// test-results/torture-figures.json (the suite's teardown prints them all again at the end).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '../..')
export const FIGURES_FILE = join(ROOT, 'test-results/torture-figures.json')

export type Figures = Record<string, string | number | boolean>

export function readFigures(): Record<string, Figures> {
  try {
    return JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as Record<string, Figures>
  } catch {
    return {}
  }
}

export function formatBlock(section: string, figures: Figures): string {
  const width = Math.max(...Object.keys(figures).map((k) => k.length))
  const lines = Object.entries(figures).map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === 'number' ? v.toLocaleString('en') : String(v)}`)
  return `── ${section} ${'─'.repeat(Math.max(3, 60 - section.length))}\n${lines.join('\n')}`
}

/** Prints a block of figures and merges it into the figures file under `section`. */
export function recordFigures(section: string, figures: Figures): void {
  console.log(`\n${formatBlock(section, figures)}\n`)
  const all = readFigures()
  all[section] = figures
  mkdirSync(join(ROOT, 'test-results'), { recursive: true })
  writeFileSync(FIGURES_FILE, JSON.stringify(all, null, 2) + '\n')
}
