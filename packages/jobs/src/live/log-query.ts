import type { Store } from '@logsift/db';
import { z } from 'zod';
import { DROP_FLAGS, levelFromRank } from '../entry.js';
import { AppError } from '../errors.js';
import {
  type EntryRow,
  escapeLike,
  flagNames,
  isoTime,
  levelList,
  templatesOfSignatures,
} from '../query/entries.js';
import { type LogCursor, uploadLogRecords } from '../query/upload-logs.js';
import type { UploadSource } from '../segments/upload-records.js';

/**
 * GET /api/logs and its live tail: one query over every stored entry, uploaded lines and live events
 * alike, newest first (by event time, then id).
 */

export const LOGS_PAGE_MAX = 1000;

export const logFilters = z.strictObject({
  level: levelList.optional().describe('comma-separated levels, e.g. ERROR,FATAL'),
  service: z.string().trim().min(1).max(200).optional(),
  from: isoTime.optional().describe('inclusive: a date (2024-05-01) or ISO 8601 time'),
  to: isoTime.optional().describe('exclusive: a date or ISO 8601 time'),
  q: z.string().min(1).max(500).optional().describe('text the message contains (ASCII case-insensitive)'),
  template: z.string().trim().min(1).max(64).optional().describe('template id'),
  source: z.string().trim().min(1).max(64).optional().describe('"live", or an upload id'),
  /** Include upload entries that cleaning dropped (duplicates, clean rules). */
  dropped: z.enum(['true', 'false']).optional(),
  cursor: z
    .string()
    .regex(/^(\d+|n)\.\d+$/, 'a cursor is the nextCursor of a previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(LOGS_PAGE_MAX).default(100),
});
export type LogFilters = z.infer<typeof logFilters>;

export interface LogRow extends EntryRow {
  event_id: string | null;
  received_at: number | null;
}

/** The filters as SQL conditions (everything bound, nothing spliced), without source and cursor. */
export function filterSql(f: LogFilters): { where: string[]; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.level) {
    where.push(`level IN (${f.level.map(() => '?').join(',')})`);
    params.push(...f.level);
  }
  if (f.service) {
    where.push('service = ?');
    params.push(f.service);
  }
  if (f.from !== undefined) {
    where.push('ts >= ?');
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push('ts < ?');
    params.push(f.to);
  }
  if (f.q) {
    where.push("message LIKE ? ESCAPE '\\'");
    params.push(`%${escapeLike(f.q)}%`);
  }
  if (f.template) {
    where.push('template_id = ?');
    params.push(f.template);
  }
  if (f.dropped !== 'true') where.push(`(flags & ${DROP_FLAGS}) = 0`);
  return { where, params };
}

/** ASCII-only lower case, as SQLite's LIKE compares. */
const foldAscii = (s: string) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/** The same filters as a predicate, for the live tail (which reads new rows and checks them here). */
export function matchesLog(f: LogFilters, row: LogRow, sources: ReadonlySet<number> | undefined): boolean {
  if (sources && !sources.has(row.source)) return false;
  if (f.level && (row.level === null || !f.level.includes(row.level))) return false;
  if (f.service !== undefined && row.service !== f.service) return false;
  if (f.from !== undefined && (row.ts === null || row.ts < f.from)) return false;
  if (f.to !== undefined && (row.ts === null || row.ts >= f.to)) return false;
  if (f.q !== undefined && !foldAscii(row.message).includes(foldAscii(f.q))) return false;
  if (f.template !== undefined && row.template_id !== f.template) return false;
  if (f.dropped !== 'true' && (row.flags & DROP_FLAGS) !== 0) return false;
  return true;
}

export function encodeCursor(row: { ts: number | null; id: number }): string {
  return `${row.ts ?? 'n'}.${row.id}`;
}

function decodeCursor(s: string): LogCursor {
  const [ts, id] = s.split('.');
  return { ts: ts === 'n' ? null : Number(ts), id: Number(id) };
}

/** upload seq -> public id, and the sources a `source` filter names (undefined: every source). */
export interface SourceNames {
  nameOf(seq: number): string;
  sources: number[] | undefined;
}

export function resolveSources(store: Store, source: string | undefined): SourceNames {
  const uploads = store.sqlite.prepare('SELECT seq, id FROM uploads').all() as { seq: number; id: string }[];
  const ids = new Map(uploads.map((u) => [u.seq, u.id]));
  const nameOf = (seq: number) => (seq === 0 ? 'live' : (ids.get(seq) ?? String(seq)));
  if (source === undefined) return { nameOf, sources: undefined };
  if (source === 'live') return { nameOf, sources: [0] };
  const match = uploads.find((u) => u.id === source);
  if (!match) throw new AppError('upload_not_found', `source "${source}" is neither "live" nor an upload id`);
  return { nameOf, sources: [match.seq] };
}

/**
 * One page, newest first: rows with a time by (ts, id) descending, then rows without one by id
 * descending. Live events are read through their (source, ts) index, each upload through its chunks
 * (query/upload-logs.ts), and the pages merged, so a page costs a few index seeks or chunk reads per source
 * however deep the cursor is.
 */
export async function queryLogs(
  store: Store,
  f: LogFilters,
  sources: readonly number[],
): Promise<{ rows: LogRow[]; nextCursor: string | null }> {
  const { sqlite } = store;
  const cursor = f.cursor ? decodeCursor(f.cursor) : undefined;
  const want = f.limit + 1;
  const timeBounded = f.from !== undefined || f.to !== undefined;
  const { where, params } = filterSql(f);
  const timed: LogRow[] = [];
  const untimed: LogRow[] = [];
  if (sources.includes(0)) {
    if (!cursor || cursor.ts !== null) {
      const conditions = ['source = 0', 'ts IS NOT NULL', ...where];
      const values: (string | number)[] = [...params];
      if (cursor) {
        conditions.push('ts <= ?', '(ts < ? OR id < ?)');
        values.push(cursor.ts as number, cursor.ts as number, cursor.id);
      }
      timed.push(
        ...(sqlite
          .prepare(
            `SELECT * FROM entries WHERE ${conditions.join(' AND ')} ORDER BY ts DESC, id DESC LIMIT ?`,
          )
          .all(...values, want) as LogRow[]),
      );
    }
    if (!timeBounded) {
      const conditions = ['source = 0', 'ts IS NULL', ...where];
      const values: (string | number)[] = [...params];
      if (cursor && cursor.ts === null) {
        conditions.push('id < ?');
        values.push(cursor.id);
      }
      untimed.push(
        ...(sqlite
          .prepare(`SELECT * FROM entries WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT ?`)
          .all(...values, want) as LogRow[]),
      );
    }
  }
  for (const upload of uploadsOf(store, sources)) {
    const found = await uploadLogRecords(sqlite, upload, f, cursor, want, !timeBounded);
    const rows = uploadLogRows(
      sqlite,
      upload.seq,
      found.map((r) => r.row),
    );
    for (const row of rows) (row.ts === null ? untimed : timed).push(row);
  }
  timed.sort((a, b) => (b.ts as number) - (a.ts as number) || b.id - a.id);
  untimed.sort((a, b) => b.id - a.id);
  const rows = [...timed.slice(0, want), ...untimed].slice(0, want);
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > f.limit && last ? encodeCursor(last) : null };
}

/** The uploads among `sources` (seqs), for reading their records. */
function uploadsOf(store: Store, sources: readonly number[]): UploadSource[] {
  const seqs = sources.filter((s) => s !== 0);
  if (seqs.length === 0) return [];
  return store.sqlite
    .prepare(
      `SELECT id, seq, entry_base AS entryBase, stored_path AS storedPath, format,
         requested_format AS requestedFormat, options, created_at AS createdAt,
         format_confidence AS formatConfidence
       FROM uploads WHERE seq IN (${seqs.map(() => '?').join(',')}) ORDER BY seq`,
    )
    .all(...seqs) as UploadSource[];
}

/** Uploaded records as log rows: no event id, their template through their signature. */
export function uploadLogRows(sqlite: Store['sqlite'], seq: number, rows: readonly EntryRow[]): LogRow[] {
  const templates = templatesOfSignatures(sqlite, seq, rows);
  return rows.map((r) => ({
    ...r,
    template_id: r.signature === null ? null : (templates.get(r.signature) ?? null),
    event_id: null,
    received_at: null,
  }));
}

/** Every source that has entries: live (0) and each upload's seq. */
export function allSources(store: Store): number[] {
  const rows = store.sqlite.prepare('SELECT seq FROM uploads ORDER BY seq').all() as { seq: number }[];
  return [0, ...rows.map((r) => r.seq)];
}

/** The public shape of a log line, uploaded or live. */
export function logView(row: LogRow, source: string) {
  return {
    id: row.id,
    source,
    timestamp: row.ts == null ? null : new Date(row.ts).toISOString(),
    level: row.level == null ? null : (levelFromRank(row.level) ?? null),
    service: row.service,
    host: row.host,
    message: row.message,
    templateId: row.template_id,
    eventId: row.event_id,
    receivedAt: row.received_at == null ? null : new Date(row.received_at).toISOString(),
    flags: flagNames(row.flags),
    fields: row.fields ? (JSON.parse(row.fields) as Record<string, unknown>) : null,
  };
}
export type LogView = ReturnType<typeof logView>;
