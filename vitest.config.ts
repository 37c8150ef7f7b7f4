import { defineConfig } from 'vitest/config'

// One root config; each package is a project so `vitest run` covers the whole workspace.
// Real PostgreSQL and Redis servers are started once for the run (test/setup/services.ts).
export default defineConfig({
  test: {
    globalSetup: ['test/setup/services.ts'],
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]]
      : ['default'],
    projects: [
      {
        test: {
          name: 'protocol',
          include: ['packages/protocol/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'scoring',
          include: ['packages/scoring/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'lifecycle',
          include: ['packages/lifecycle/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'sdk',
          include: ['packages/sdk/src/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'collector',
          include: ['packages/collector/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
