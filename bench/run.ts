// Runs every benchmark, each in its own process (clean memory figures, no shared warm-up), and
// rewrites bench/RESULTS.md from their JSON results.
//   npm run bench                      all of them (under 10 minutes on a 2-core machine)
//   npm run bench -- --quick           smaller and fewer runs, to check the harness (→ bench/.work/RESULTS.quick.md)
//   npm run bench -- --only polling,library                                   (→ bench/.work/RESULTS.partial.md)
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describeMachine, machine, watchOtherCpu } from './lib/machine'
import { ROOT, WORK } from './lib/proc'
import { type BenchResult, type Figure, fmt } from './lib/results'

const BENCHES: { id: string; file: string; timeoutMs: number }[] = [
  { id: 'download', file: 'bench/download.ts', timeoutMs: 4 * 60_000 },
  { id: 'polling', file: 'bench/polling.ts', timeoutMs: 2 * 60_000 },
  { id: 'ingest', file: 'bench/ingest.ts', timeoutMs: 2 * 60_000 },
  { id: 'library', file: 'bench/library.ts', timeoutMs: 3 * 60_000 },
  { id: 'ui', file: 'bench/ui.ts', timeoutMs: 4 * 60_000 },
  { id: 'startup', file: 'bench/startup.ts', timeoutMs: 2 * 60_000 }
]

const quick = process.argv.includes('--quick')
const onlyIdx = process.argv.indexOf('--only')
const only = onlyIdx > 0 ? new Set(process.argv[onlyIdx + 1].split(',')) : null

interface Outcome {
  id: string
  file: string
  result: BenchResult | null
  error: string | null
  wallMs: number
  /** Cores used on average by processes outside the benchmark's own tree while it ran. */
  otherCores: number
}

function runOne(b: (typeof BENCHES)[number]): Promise<Outcome> {
  const out = join(WORK, `result-${b.id}.json`)
  rmSync(out, { force: true })
  const args = ['--import', 'tsx', b.file, '--json', out, ...(quick ? ['--quick'] : [])]
  const t = Date.now()
  const stopWatch = watchOtherCpu()
  return new Promise((resolve) => {
    console.log(`\n=== ${b.id}: node ${args.join(' ')}`)
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d: Buffer) => {
      const s = String(d)
      if (!s.includes('Unknown user config')) process.stderr.write(s)
      err += s
    })
    const timer = setTimeout(() => {
      err += `\n(stopped after ${b.timeoutMs / 1000} s)`
      child.kill('SIGKILL')
    }, b.timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      const otherCores = Math.round(stopWatch() * 100) / 100
      let result: BenchResult | null = null
      try {
        result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult
      } catch {
        result = null
      }
      const error = code === 0 && result ? null : `exit ${code}: ${err.trim().split('\n').slice(-6).join(' ').slice(0, 600)}`
      resolve({ id: b.id, file: b.file, result, error, wallMs: Date.now() - t, otherCores })
    })
  })
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function value(f: Figure): string {
  return `${fmt(f.value, f.digits)}${f.unit ? ` ${f.unit}` : ''}`
}

function verdict(f: Figure): string {
  if (f.verdict === 'met') return '✅ met'
  if (f.verdict === 'missed') return '❌ missed'
  return ''
}

function section(o: Outcome, quickRun: boolean): string {
  const lines: string[] = []
  const r = o.result
  const command = `npx tsx ${o.file}${quickRun ? ' --quick' : ''}`
  if (!r) {
    lines.push(`## ${o.id}`, '', `**Did not finish:** ${cell(o.error ?? 'no result')}`, '', `Command: \`${command}\``, '')
    return lines.join('\n')
  }
  lines.push(`## ${r.title}`, '')
  lines.push(`Command: \`${command}\` — ${(o.wallMs / 1000).toFixed(0)} s; load ${r.machine.load1} at start; other processes used ${o.otherCores} cores on average while it ran.`, '')
  for (const s of r.setup) lines.push(`- ${s}`)
  lines.push('', '| Figure | Target | Median | Spread (min–max) | Runs | Verdict |', '|---|---|---:|---:|---:|---|')
  for (const f of r.figures) {
    lines.push(`| ${cell(f.figure)} | ${cell(f.target)} | ${cell(value(f))} | ${fmt(f.min, f.digits)}–${fmt(f.max, f.digits)} | ${f.runs} | ${verdict(f)} |`)
  }
  const missed = r.figures.filter((f) => f.verdict === 'missed' && f.why)
  if (missed.length || r.notes.length) lines.push('')
  // Figures missed for the same reason share one explanation.
  const byWhy = new Map<string, string[]>()
  for (const f of missed) byWhy.set(f.why!, [...(byWhy.get(f.why!) ?? []), f.figure])
  for (const [why, names] of byWhy) lines.push(`- **Missed — ${names.map(cell).join('; ')}:** ${why}`)
  for (const n of r.notes) lines.push(`- ${n}`)
  if (o.error) lines.push(`- **The run reported an error:** ${cell(o.error)}`)
  lines.push('')
  return lines.join('\n')
}

mkdirSync(WORK, { recursive: true })
const m = machine()
const started = Date.now()
const outcomes: Outcome[] = []
for (const b of BENCHES) {
  if (only && !only.has(b.id)) continue
  outcomes.push(await runOne(b))
}
const totalMs = Date.now() - started

/** A run that shared the machine says so: tight bounds (long tasks, event-loop blocks) suffer first. */
function busyNote(): string {
  const busy = outcomes.filter((o) => o.otherCores >= 0.25)
  if (!busy.length) return ''
  return (
    `\n**Other work shared the machine during part of this run** (${busy.map((o) => `${o.id}: ${o.otherCores} cores`).join(', ')}, on average, by processes outside ` +
    'the benchmark). Figures bounded by a maximum — long tasks, event-loop blocks — are the first to suffer.\n'
  )
}

const head: string[] = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` (bench/run.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${(totalMs / 60_000).toFixed(1)} minutes.`,
  `Machine: ${describeMachine(m)}.`,
  '',
  'Each benchmark runs in its own process and can be run alone with the command given in its section. Medians are over the runs shown; ' +
    'the spread is the smallest and largest run (for percentile figures, over the samples). Every comparison runs both sides in the same process run, ' +
    'alternating where it matters, and is given as a ratio. A benchmark reports where it stands: a missed target is a finding, not a failed test.',
  quick ? '\n**This is a quick run (smaller inputs, fewer runs): it checks the harness; the figures are not the ones to quote.**\n' : '',
  busyNote(),
  '## Summary',
  '',
  '| Benchmark | Figure | Target | Median | Verdict |',
  '|---|---|---|---:|---|'
]
for (const o of outcomes) {
  if (!o.result) {
    head.push(`| ${o.id} | did not finish | | | ❌ |`)
    continue
  }
  for (const f of o.result.figures.filter((x) => x.verdict !== 'info')) {
    head.push(`| ${cell(o.result.title)} | ${cell(f.figure)} | ${cell(f.target)} | ${cell(value(f))} | ${verdict(f)} |`)
  }
}
head.push('')
const doc = [...head, ...outcomes.map((o) => section(o, quick))].join('\n')
// Only a full run replaces the committed results; a quick or partial one goes next to the work files.
const file = only || quick ? join(WORK, `RESULTS.${quick ? 'quick' : 'partial'}.md`) : join(ROOT, 'bench/RESULTS.md')
writeFileSync(file, doc.replace(/\n{3,}/g, '\n\n'))
console.log(`\nwrote ${file} — ${outcomes.length} benchmarks in ${(totalMs / 1000).toFixed(0)} s`)
