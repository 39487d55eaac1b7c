/**
 * Cases per property-based test: FUZZ_RUNS when set (`npm run test:fuzz` sets 10,000), else the test's own
 * default, small enough for `npm test`.
 */
export function fuzzRuns(defaultRuns: number): number;
/** Time a fuzz test may take: 10,000 cases on a busy 2-core machine take tens of seconds. */
export const FUZZ_TIMEOUT_MS: number;
