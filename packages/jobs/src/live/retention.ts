import type { Store } from '@logsift/db';
import type { Config } from '../config.js';
import type { Spool } from './spool.js';
import { retentionCutoff } from './windows.js';

/** Rows deleted per transaction: small, so ingest never waits long for the write lock. */
export const RETENTION_BATCH_ROWS = 2_000;
/** Pause between delete batches, ms, so writers waiting for the lock get their turn. */
const RETENTION_PAUSE_MS = 5;
/** Stored spool rows stay this long past the dedup window as its ledger (see dedup.ts), ms. */
const LEDGER_MARGIN_MS = 3600 * 1000;

export interface RetentionResult {
  /** Events older than this (epoch ms) were removed. */
  cutoff: number;
  entries: number;
  metrics: number;
  /** Per-hour template counts of those days. */
  templateHours: number;
  deadLetters: number;
  /** Spool ledger rows, and `live_stored` records, the dedup window no longer needs. */
  spoolRows: number;
  storedRecords: number;
}

/**
 * Removes live events older than RETENTION_DAYS (whole UTC days: see retentionCutoff), the window and
 * daily metrics and template counts of those days (so every remaining metric still equals its lineage), dead letters of the
 * same age, and spool ledger rows the dedup window no longer needs. Deletes in small batches with a
 * pause between them, so it never holds the write lock for long.
 */
export async function runRetention(
  store: Store,
  spool: Spool,
  config: Config,
  now = Date.now(),
  options: { batchRows?: number } = {},
): Promise<RetentionResult> {
  const cutoff = retentionCutoff(now, config.live.retentionDays);
  const ledgerCutoff = now - config.live.dedupWindowMs - LEDGER_MARGIN_MS;
  const rows = options.batchRows ?? RETENTION_BATCH_ROWS;
  const remove = (table: string, where: string, bound: number) =>
    deleteInBatches(store, table, where, [bound], rows);
  return {
    cutoff,
    entries: await remove('entries', 'source = 0 AND ts < ?', cutoff),
    metrics: await remove('metrics', "kind IN ('window', 'daily') AND window_start < ?", cutoff),
    templateHours: await deleteInBatches(store, 'template_hours', 'hour_start < ?', [cutoff], rows, 'rowid'),
    deadLetters: await remove('dead_letters', 'received_at < ?', cutoff),
    spoolRows: await purgeLedger(spool, ledgerCutoff, rows),
    // A record may go once no batch at or after it still holds events in the spool (ids only grow).
    storedRecords: await deleteInBatches(
      store,
      'live_stored',
      'stored_at < ? AND batch_id < ?',
      [ledgerCutoff, spool.pendingBatchIds(Number.MAX_SAFE_INTEGER, 1)[0] ?? Number.MAX_SAFE_INTEGER],
      rows,
      'batch_id',
    ),
  };
}

async function purgeLedger(spool: Spool, before: number, rows: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = spool.purgeLedger(before, rows);
    total += n;
    if (n < rows) return total;
    await new Promise((r) => setTimeout(r, RETENTION_PAUSE_MS));
  }
}

/** Deletes matching rows `rows` at a time, pausing between batches; returns how many went. */
async function deleteInBatches(
  store: Store,
  table: string,
  where: string,
  bounds: number[],
  rows: number,
  key = 'id',
): Promise<number> {
  const remove = store.sqlite.prepare(
    `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT ${rows})`,
  );
  let total = 0;
  for (;;) {
    const { changes } = remove.run(...bounds);
    total += changes;
    if (changes < rows) return total;
    await new Promise((r) => setTimeout(r, RETENTION_PAUSE_MS));
  }
}
