/**
 * How hard the fault suite pushes: `npm test` runs the quick mode (seconds per case), `npm run test:faults`
 * sets FAULTS=full (bigger files, more kills, both AOF fsync policies).
 */
export const FULL = process.env.FAULTS === 'full';

/** `quick` in the quick mode, `full` in the full one. */
export const pick = <T>(quick: T, full: T): T => (FULL ? full : quick);
