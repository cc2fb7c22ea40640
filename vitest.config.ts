import { defineConfig } from 'vitest/config';

// Three projects: `unit` is fast and needs no build; `e2e` spawns the built CLI; `cargo` compiles
// and tests generated crates (minutes). `npm test` runs all three.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/tool-cache.setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'cargo',
          include: ['test/cargo/**/*.test.ts'],
          globalSetup: ['test/helpers/tool-cache.setup.ts'],
          // One crate at a time: the variants share a cargo target dir and the machine's cores.
          fileParallelism: false,
          testTimeout: 30 * 60_000,
          hookTimeout: 30 * 60_000,
        },
      },
    ],
  },
});
