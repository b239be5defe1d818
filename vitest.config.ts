import { defineConfig } from 'vitest/config';

// The runner's own tests. Course checks (exercises/**) are not run here directly: `dev check`
// runs them through the runner, which is what tests/course does.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    exclude: ['tests/fixtures/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The runner's tests start and stop engines themselves; tests/engine/daemon.test.ts turns it on.
    env: { ASYNC_LESSONS_DAEMON: '0' },
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
