// Native modules (better-sqlite3, keytar) are compiled for one runtime at a time: Node for the
// tests and the CLI, Electron for the app. This makes sure they match the runtime about to start.
//   node scripts/native-abi.js node       rebuild for this Node if needed
//   node scripts/native-abi.js electron   rebuild for Electron if needed (needs its headers)
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const target = process.argv[2]
const marker = new URL('../node_modules/.native-target', import.meta.url)
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const current = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : ''

function loadsInNode() {
  const probe = "const D=require('better-sqlite3'); new D(':memory:').close()"
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0
}

if (target === 'node') {
  const want = `node-${process.versions.modules}`
  if (current === want && loadsInNode()) process.exit(0)
  if (!loadsInNode()) {
    console.error('Rebuilding native modules for Node (better-sqlite3, keytar)…')
    execFileSync(npm, ['rebuild', 'better-sqlite3'], { stdio: 'inherit' })
    // keytar is optional: without libsecret it cannot build, and the app falls back.
    spawnSync(npm, ['rebuild', 'keytar'], { stdio: 'inherit' })
  }
  writeFileSync(marker, want)
} else if (target === 'electron') {
  const require = createRequire(import.meta.url)
  const version = require('electron/package.json').version
  const want = `electron-${version}`
  if (current === want) process.exit(0)
  console.error(`Rebuilding native modules for Electron ${version}…`)
  execFileSync(npx, ['electron-builder', 'install-app-deps'], { stdio: 'inherit' })
  writeFileSync(marker, want)
} else {
  console.error('usage: node scripts/native-abi.js node|electron')
  process.exit(2)
}
