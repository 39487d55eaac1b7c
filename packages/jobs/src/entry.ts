/**
 * The shape every parsed log record takes, whatever format it came in.
 * Pure data: parsers produce it, the parse stage stores it, statistics read it.
 */

export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type Level = (typeof LEVELS)[number];

/** Numeric rank of a level (TRACE=0 ... FATAL=5); stored as an integer so "at least WARN" is a range. */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

export function levelFromRank(rank: number): Level | undefined {
  return LEVELS[rank];
}

/** Scalar values kept from structured formats (JSON, logfmt, RFC 5424 structured data), keys flattened with dots. */
export type FieldValue = string | number | boolean | null;

/** What a format's line parser extracts from one record. Absent fields are left undefined. */
export interface ParsedFields {
  /** Event time in epoch milliseconds, UTC. */
  ts?: number;
  /** The zone the timestamp was written with, as found ("Z", "+02:00", "-0500"), or the upload's `tz` option. */
  tz?: string;
  level?: Level;
  service?: string;
  host?: string;
  method?: string;
  path?: string;
  status?: number;
  bytes?: number;
  /** Request latency in milliseconds. */
  latencyMs?: number;
  /** The human message (for access logs: the request line). Never undefined: falls back to the whole text. */
  message: string;
  /** Any other fields the format carries (flattened, dotted keys). */
  fields?: Record<string, FieldValue>;
}

/** Why an entry was flagged by cleaning; a bit set stored with the entry. */
export const FLAG = {
  unparsed: 1,
  badTimestamp: 2,
  controlChars: 4,
  invalidUtf8: 8,
  duplicate: 16,
  droppedByRule: 32,
} as const;
export type FlagName = keyof typeof FLAG;

/** Flags that take an entry out of analysis (it stays stored and countable). */
export const DROP_FLAGS = FLAG.duplicate | FLAG.droppedByRule;
