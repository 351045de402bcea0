#!/usr/bin/env node
// Entry point of `comet-video` (npx comet-video, npm run cli). In a source checkout it runs the
// TypeScript directly through tsx, so it is never a stale build; a packaged copy runs out/cli.
import { existsSync } from 'node:fs'

const source = new URL('../src/cli/index.ts', import.meta.url)
const built = new URL('../out/cli/index.js', import.meta.url)

if (existsSync(source)) {
  const { register } = await import('tsx/esm/api')
  register()
  const cli = await import(source.href)
  cli.main()
} else if (existsSync(built)) {
  const cli = await import(built.href)
  cli.main()
} else {
  process.stderr.write('comet-video is not built: run `npm run build` first.\n')
  process.exit(1)
}
