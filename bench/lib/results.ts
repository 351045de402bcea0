// One benchmark's result: figures with their runs, target and verdict. Each benchmark prints its
// own table when run alone and, under `bench/run.ts`, writes this as JSON for RESULTS.md.
import { writeFileSync } from 'node:fs'
import { describeMachine, machine, type Machine } from './machine'
import { summarize } from './stats'

export type Verdict = 'met' | 'missed' | 'info'

export interface Figure {
  figure: string
  /** The target in words, e.g. "≥ 0.95× curl"; empty for a reported-only figure. */
  target: string
  unit: string
  /** One value per run (or per sample, when the figure is a percentile over samples). */
  values: number[]
  /** What the median is judged by (set for display when `values` are samples, e.g. a p95). */
  value: number
  min: number
  max: number
  runs: number
  verdict: Verdict
  /** For a missed target: why, and what would close it. */
  why?: string
  digits: number
}

export interface BenchResult {
  id: string
  title: string
  command: string
  machine: Machine
  startedAt: string
  wallMs: number
  /** What was measured and how (workload, sides compared). */
  setup: string[]
  figures: Figure[]
  notes: string[]
}

export interface FigureInput {
  target?: string
  unit?: string
  /** Returns whether the value meets the target; omitted = reported only. */
  meets?: (value: number) => boolean
  why?: string
  digits?: number
  /** Override the judged value (default: the median of the values). */
  value?: number
  /** Override the spread (default: min and max of the values). */
  spread?: [number, number]
  /** Override the run count shown (default: values.length). */
  runs?: number
}

export class Results {
  private readonly started = Date.now()
  private readonly m = machine()
  readonly figures: Figure[] = []
  readonly setup: string[] = []
  readonly notes: string[] = []

  constructor(
    readonly id: string,
    readonly title: string,
    readonly command: string
  ) {}

  add(name: string, values: number[], o: FigureInput = {}): Figure {
    const s = summarize(values)
    const value = o.value ?? s.median
    const verdict: Verdict = o.meets ? (o.meets(value) ? 'met' : 'missed') : 'info'
    const f: Figure = {
      figure: name,
      target: o.target ?? '',
      unit: o.unit ?? '',
      values,
      value,
      min: o.spread?.[0] ?? s.min,
      max: o.spread?.[1] ?? s.max,
      runs: o.runs ?? s.runs,
      verdict,
      why: verdict === 'missed' ? o.why : undefined,
      digits: o.digits ?? 2
    }
    this.figures.push(f)
    console.log(`  ${name}: ${fmt(value, f.digits)}${f.unit ? ' ' + f.unit : ''} (${fmt(f.min, f.digits)}–${fmt(f.max, f.digits)}, ${f.runs} runs)${f.target ? `  target ${f.target}: ${verdict}` : ''}`)
    return f
  }

  note(text: string): void {
    this.notes.push(text)
  }

  describe(text: string): void {
    this.setup.push(text)
  }

  toJSON(): BenchResult {
    return {
      id: this.id,
      title: this.title,
      command: this.command,
      machine: this.m,
      startedAt: new Date(this.started).toISOString(),
      wallMs: Date.now() - this.started,
      setup: this.setup,
      figures: this.figures,
      notes: this.notes
    }
  }

  /** Prints a summary, and writes JSON where `--json FILE` says (the runner's way of collecting). */
  finish(): BenchResult {
    const r = this.toJSON()
    console.log(`\n${this.title} — ${describeMachine(r.machine)} — ${(r.wallMs / 1000).toFixed(1)} s`)
    for (const f of r.figures) {
      const v = `${fmt(f.value, f.digits)}${f.unit ? ' ' + f.unit : ''}`
      console.log(`  ${f.verdict.padEnd(6)} ${f.figure.padEnd(60)} ${v.padStart(16)}  [${fmt(f.min, f.digits)}–${fmt(f.max, f.digits)}]  ${f.target}`)
    }
    const i = process.argv.indexOf('--json')
    if (i > 0 && process.argv[i + 1]) writeFileSync(process.argv[i + 1], JSON.stringify(r, null, 2))
    return r
  }
}

export function fmt(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n)
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export const quick = process.argv.includes('--quick')

/** `--runs N` on the command line, else the default (smaller with --quick). */
export function runsArg(full: number, quickRuns: number): number {
  const i = process.argv.indexOf('--runs')
  if (i > 0) return Math.max(1, Number(process.argv[i + 1]))
  return quick ? quickRuns : full
}
