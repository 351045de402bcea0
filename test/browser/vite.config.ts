// Builds the renderer with the mock entry for browser checks:
//   npx vite build --config test/browser/vite.config.ts
// Output: test-results/renderer-mock/ (served by test/browser/screenshots.mjs).
import { fileURLToPath } from 'node:url'
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const here = fileURLToPath(new URL('.', import.meta.url))
const root = resolve(here, '../../src/renderer')

function mockEntry(): Plugin {
  return {
    name: 'cvs-mock-entry',
    transformIndexHtml: {
      order: 'pre',
      // Loaded before the app's own script; the production index.html is untouched.
      handler: (html) =>
        html.replace('<script type="module" src="/src/main.tsx"></script>', '<script type="module" src="../../test/browser/mock-entry.ts"></script>\n    <script type="module" src="/src/main.tsx"></script>')
    }
  }
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), mockEntry()],
  logLevel: 'warn',
  build: {
    outDir: resolve(here, '../../test-results/renderer-mock'),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false
  }
})
