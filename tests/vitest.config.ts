import { defineConfig } from 'vitest/config';

/**
 * The fault suite: real redis-server, API and worker processes (built first: `npm run build`). Files run one
 * at a time: they kill processes and time recoveries, which a busy 2-core machine would blur.
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['faults/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
