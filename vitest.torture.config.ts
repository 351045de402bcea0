// Crash, starve, garbage and attack tests with their figures (npm run test:torture).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/torture/**/*.test.ts'],
    globalSetup: ['test/torture/globalSetup.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default']
  }
})
