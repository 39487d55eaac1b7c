// Shared with the other workspaces' property-based tests.
export { FUZZ_TIMEOUT_MS, fuzzRuns } from '../../../../scripts/lib/fuzz.mjs';
