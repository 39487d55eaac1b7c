import type { Statement } from 'better-sqlite3';
import type { Sqlite } from './client.js';

/**
 * Entry ids are handed out in ranges from one counter. An upload reserves one id per byte of its stored
 * file (its `entry_base`), so the record at byte `offset` gets `entry_base + offset`: ids follow file order
 * whichever chunk is written first, every index on (source, x) lists an upload's rows in file order, and a
 * chunk's rows are one id range. A live batch reserves one id per event. The counter stays a safe integer
 * until 2^53 bytes and events have been stored.
 */
export function allocateEntryIds(sqlite: Sqlite, count: number): number {
  let take = reserve.get(sqlite);
  if (!take) {
    // Prepared once per connection: every upload and every stored live batch reserves its ids here.
    take = sqlite.prepare<[number, number, number], { base: number }>(
      `INSERT INTO counters (name, value) VALUES ('entry_id', 1 + ?)
       ON CONFLICT (name) DO UPDATE SET value = value + ? RETURNING value - ? AS base`,
    );
    reserve.set(sqlite, take);
  }
  return (take.get(count, count, count) as { base: number }).base;
}

const reserve = new WeakMap<Sqlite, Statement<[number, number, number], { base: number }>>();

/** The id of the record at byte `offset` of an upload whose ids start at `base`. */
export function entryId(base: number, offset: number): number {
  return base + offset;
}

/** The ids of an upload's records between two byte offsets: [first, end). */
export function entryIdRange(base: number, startOffset: number, endOffset: number): [number, number] {
  return [base + startOffset, base + endOffset];
}
