import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (rules, codemod fixtures, helpers, meta; the inner loop, `npm run test:unit`)
 * and `slow` (installs, real servers, PostgreSQL, child processes, the sweep sample). `npm test` and
 * CI run both. The slow project's limits are sized for a loaded 2-core machine: its hooks install
 * packages, start PostgreSQL and remove work directories of thousands of files.
 */
const SLOW = ['test/package/**', 'test/e2e/**', 'test/proof/**', 'test/cli/**', 'test/robustness/**', 'test/oxlint/**'];

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW, testTimeout: 30_000 },
      },
      {
        extends: true,
        test: { name: 'slow', include: SLOW.map((glob) => `${glob}/*.test.ts`), testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
