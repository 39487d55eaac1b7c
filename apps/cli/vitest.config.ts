import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // REDIS_URL for the end-to-end test: the machine's Redis, else a redis-server of its own.
    globalSetup: ['../../scripts/test-redis.mjs'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
