import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['../../scripts/test-redis.mjs'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Each test file builds its own app, queues (own prefix) and database; files run in parallel.
    pool: 'forks',
  },
});
