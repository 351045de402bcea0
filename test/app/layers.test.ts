// The layer rules of docs/ARCHITECTURE.md are checked by lint: an import that crosses a layer the
// wrong way fails `npm run lint`. This proves each folder's block fires (and lets allowed imports by).
import { ESLint } from 'eslint'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const eslint = new ESLint({ cwd: ROOT })

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(ROOT, file) })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

const cases: { file: string; bad: string[]; good: string[] }[] = [
  { file: 'src/shared/probe.ts', bad: ["node:fs", "electron", "react", "../core/engine", "../app/studio", "../main/security"], good: ['./jobStates', 'zod'] },
  { file: 'src/core/probe.ts', bad: ['electron', 'react', '../app/studio', '../main/security', '../cli/index', '../renderer/src/App'], good: ['../shared/jobs', './engine', 'node:fs'] },
  { file: 'src/app/probe.ts', bad: ['electron', 'zustand', '../main/security', '../cli/index'], good: ['../core/engine', '../shared/jobs', 'node:path'] },
  { file: 'src/cli/probe.ts', bad: ['electron', '../app/studio', '../main/security', 'react'], good: ['../core/engine', '../shared/jobs'] },
  { file: 'src/main/probe.ts', bad: ['react', '../renderer/src/App', '../cli/index'], good: ['electron', '../app/studio', '../core/engine'] },
  { file: 'src/preload/probe.ts', bad: ['node:fs', '../core/engine', '../app/studio', '../main/security'], good: ['electron', '../shared/ipc/channels'] },
  { file: 'src/renderer/src/probe.ts', bad: ['node:fs', 'electron', '../../core/engine', '../../app/studio', '../../main/security', '../../cli/index'], good: ['../../shared/jobStates', './App', './store/app', 'react'] }
]

describe('layer rules', () => {
  for (const c of cases) {
    it(`${c.file.split('/').slice(0, 2).join('/')}: refuses ${c.bad.length} imports across the layers, allows its own`, async () => {
      for (const spec of c.bad) expect({ spec, refused: (await restricted(c.file, `import x from '${spec}'\nexport default x\n`)).length > 0 }).toEqual({ spec, refused: true })
      for (const spec of c.good) expect({ spec, refused: await restricted(c.file, `import x from '${spec}'\nexport default x\n`) }).toEqual({ spec, refused: [] })
    })
  }
})
