import type { ParsedFields } from '../entry.js';

/** The fields statistics read; any parsed or stored entry has this shape. */
export type StatsEntry = Pick<
  ParsedFields,
  'ts' | 'level' | 'service' | 'method' | 'path' | 'status' | 'latencyMs' | 'message'
>;

/** Key used when an entry lacks the field being counted (no level, no service...). */
export const MISSING_KEY = '(none)';

/** A failure: logged at ERROR or FATAL, or an HTTP 5xx response. */
export function isFailure(entry: StatsEntry): boolean {
  const { level, status } = entry;
  return level === 'ERROR' || level === 'FATAL' || (status !== undefined && status >= 500 && status <= 599);
}

/**
 * A success: for an HTTP entry (one with a status) a 2xx response; otherwise any entry not logged at
 * ERROR or FATAL. Redirects and client errors are therefore neither successes nor failures.
 */
export function isSuccess(entry: StatsEntry): boolean {
  const { level, status } = entry;
  if (status !== undefined) return status >= 200 && status <= 299;
  return level !== 'ERROR' && level !== 'FATAL';
}
