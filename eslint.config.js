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
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodePatterns, message: 'src/shared runs in every layer: no Node built-ins.' },
          { group: ['electron', 'react', 'react-dom', 'zustand'], message: 'src/shared imports nothing platform-specific.' },
          { group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**', '../main/*', '../renderer/*', '../cli/*', '../preload/*'], message: 'src/shared imports nothing of ours outside shared.' }
        ]
      }]
    }
  },
  {
    // The services run in the browser test host too: no electron there either.
    files: ['src/main/services/**/*.ts', 'src/main/securityPolicy.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'Services are plain Node (they also run in the test host); the shell passes OS actions in.' },
          { group: ['react', 'react-dom', 'zustand', '**/renderer/**', '**/preload/**', '**/cli/**'], message: 'Services import core and shared only.' }
        ]
      }]
    }
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*', '@electron/*'], message: 'src/main/core is plain Node: never import electron.' },
          { group: ['react', 'react-dom', 'zustand'], message: 'src/main/core never imports UI code.' },
          { group: ['**/renderer/**', '**/preload/**', '**/cli/**'], message: 'core may import only shared.' }
        ]
      }]
    }
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'The CLI never imports electron.' },
          { group: ['**/renderer/**', '**/preload/**', 'react', 'react-dom', 'zustand'], message: 'The CLI uses core and shared only.' }
        ]
      }]
    }
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodePatterns, message: 'The renderer has no Node: ask main over the IPC contract.' },
          { group: ['electron', 'electron/*'], message: 'The renderer talks to main only through window.api.' },
          { group: ['**/main/**', '**/cli/**', '**/preload/**', '!**/preload/api'], message: 'The renderer imports shared only (types, contract).' }
        ]
      }]
    }
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/main/**', '**/renderer/**', '**/cli/**'], message: 'Preload imports shared and electron only.' }
        ]
      }]
    }
  }
)
