import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Property-based tests run thousands of cases; on a busy 2-core machine (Turbo runs every workspace's
    // tests at once) the 5 s default cut some of them short.
    testTimeout: 30_000,
  },
});
