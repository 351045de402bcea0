// Layer rules from ARCHITECTURE.md are enforced here: an import that crosses a layer fails `npm run lint`.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'https', 'http2', 'net', 'os', 'path', 'process', 'readline', 'stream', 'stream/promises', 'tls',
  'url', 'util', 'worker_threads', 'zlib', 'v8', 'vm'
]
const nodePatterns = ['node:*', ...nodeBuiltins]
const electron = ['electron', 'electron/*', '@electron/*']
const ui = ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*']
/** Relative imports into the named top-level folders of src. */
const ours = (...folders) => folders.flatMap((f) => [`**/${f}/**`, `../${f}`])
const exact = (patterns) => patterns.map((p) => ({ ...p, caseSensitive: true }))
const layer = (files, patterns) => ({ files: [files], rules: { 'no-restricted-imports': ['error', { patterns: exact(patterns) }] } })

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'bench/.work/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }]
    }
  },
  {
    // Code that runs in the page: the test host's bridge, and page scripts passed to Playwright.
    files: ['test/browser/**/*.{js,mjs,ts}', 'test/browser/host/bridge.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } }
  },
  // One block per top-level folder of src (docs/ARCHITECTURE.md, "Layers"), no per-file exceptions.
  layer('src/shared/**/*.ts', [
    { group: nodePatterns, message: 'src/shared runs in every layer: no Node built-ins.' },
    { group: [...electron, ...ui], message: 'src/shared imports nothing platform-specific.' },
    { group: ours('core', 'app', 'main', 'preload', 'renderer', 'cli'), message: 'src/shared imports nothing of ours outside shared.' }
  ]),
  layer('src/core/**/*.ts', [
    { group: electron, message: 'src/core is plain Node: never import electron.' },
    { group: ui, message: 'src/core never imports UI code.' },
    { group: ours('app', 'main', 'preload', 'renderer', 'cli'), message: 'src/core imports only shared.' }
  ]),
  layer('src/app/**/*.ts', [
    { group: electron, message: 'src/app is plain Node (it also runs in the browser test host); the shell passes OS actions in.' },
    { group: ui, message: 'src/app never imports UI code.' },
    { group: ours('main', 'preload', 'renderer', 'cli'), message: 'src/app imports core and shared only.' }
  ]),
  layer('src/main/**/*.ts', [
    { group: ui, message: 'The main process never imports UI code.' },
    { group: ours('preload', 'renderer', 'cli'), message: 'src/main imports app, core and shared only.' }
  ]),
  layer('src/preload/**/*.ts', [
    { group: nodePatterns, message: 'The preload is sandboxed: no Node built-ins.' },
    { group: ui, message: 'The preload never imports UI code.' },
    { group: ours('core', 'app', 'main', 'renderer', 'cli'), message: 'Preload imports shared and electron only.' }
  ]),
  layer('src/cli/**/*.ts', [
    { group: electron, message: 'The CLI never imports electron.' },
    { group: ui, message: 'The CLI never imports UI code.' },
    { group: ours('app', 'main', 'preload', 'renderer'), message: 'The CLI uses core and shared only (never the desktop app).' }
  ]),
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', {
        patterns: exact([
          { group: nodePatterns, message: 'The renderer has no Node: ask main over the IPC contract.' },
          { group: electron, message: 'The renderer talks to main only through window.api.' },
          { group: ours('core', 'app', 'main', 'preload', 'cli'), message: 'The renderer imports shared only (types, contract).' }
        ])
      }]
    }
  }
)
