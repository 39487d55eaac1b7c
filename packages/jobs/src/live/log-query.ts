import type { Store } from '@logsift/db';
import { z } from 'zod';
import { DROP_FLAGS, levelFromRank } from '../entry.js';
import { AppError } from '../errors.js';
import { type EntryRow, escapeLike, flagNames, isoTime, levelList } from '../query/entries.js';
import { candidateRanges, type IdRange } from '../query/skip-chunks.js';

/**
 * GET /api/logs and its live tail: one query over every stored entry, uploaded lines and live events
 * alike, newest first (by event time, then id).
 */

export const LOGS_PAGE_MAX = 1000;

export const logFilters = z.object({
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

/** Position after the last row of a page: its time ('n' once into the rows without one) and id. */
interface Cursor {
  ts: number | null;
  id: number;
}

export function encodeCursor(row: { ts: number | null; id: number }): string {
  return `${row.ts ?? 'n'}.${row.id}`;
}

function decodeCursor(s: string): Cursor {
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
 * descending. Each source is read through its (source, ts) index and the pages merged, so a page costs a
 * few index seeks per source however deep the cursor is.
 */
export function queryLogs(
  store: Store,
  f: LogFilters,
  sources: readonly number[],
): { rows: LogRow[]; nextCursor: string | null } {
  const { sqlite } = store;
  const cursor = f.cursor ? decodeCursor(f.cursor) : undefined;
  const want = f.limit + 1;
  const { where, params } = filterSql(f);
  let rows: LogRow[] = [];
  if (!cursor || cursor.ts !== null) {
    const timed = ['source = ?', 'ts IS NOT NULL', ...where];
    const timedParams: (string | number)[] = [...params];
    if (cursor) {
      timed.push('ts <= ?', '(ts < ? OR id < ?)');
      timedParams.push(cursor.ts as number, cursor.ts as number, cursor.id);
    }
    const statement = sqlite.prepare(
      `SELECT * FROM entries WHERE ${timed.join(' AND ')} ORDER BY ts DESC, id DESC LIMIT ?`,
    );
    for (const source of sources) {
      const ranges = textCandidates(store, source, f);
      if (!ranges) {
        rows.push(...(statement.all(source, ...timedParams, want) as LogRow[]));
        continue;
      }
      // A text search in an upload reads only the chunks that can hold the text, by id. NOT INDEXED: the
      // planner would otherwise walk the whole (source, ts) index to skip sorting a page.
      const inRange = sqlite.prepare(
        `SELECT * FROM entries NOT INDEXED WHERE ${[...timed, 'id >= ?', 'id < ?'].join(' AND ')}
         ORDER BY ts DESC, id DESC LIMIT ?`,
      );
      for (const [first, end] of ranges) {
        rows.push(...(inRange.all(source, ...timedParams, first, end, want) as LogRow[]));
      }
    }
    rows.sort((a, b) => (b.ts as number) - (a.ts as number) || b.id - a.id);
    rows = rows.slice(0, want);
  }
  const timeBounded = f.from !== undefined || f.to !== undefined;
  if (rows.length < want && !timeBounded && sources.length > 0) {
    const untimed = [`source IN (${sources.map(() => '?').join(',')})`, 'ts IS NULL', ...where];
    const untimedParams: (string | number)[] = [...sources, ...params];
    if (cursor && cursor.ts === null) {
      untimed.push('id < ?');
      untimedParams.push(cursor.id);
    }
    rows.push(
      ...(sqlite
        .prepare(`SELECT * FROM entries WHERE ${untimed.join(' AND ')} ORDER BY id DESC LIMIT ?`)
        .all(...untimedParams, want - rows.length) as LogRow[]),
    );
  }
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > f.limit && last ? encodeCursor(last) : null };
}

/**
 * Most ids (bytes of the file) a text search in an upload reads by id. Past it, the (source, ts) index
 * walk is the better way in: the text is common enough in the file to fill a page soon.
 */
const TEXT_SCAN_MAX_IDS = 16 * 1024 * 1024;

/** The id ranges of an upload's chunks that can hold `f.q` (skip-chunks.ts), if they are few enough. */
function textCandidates(store: Store, source: number, f: LogFilters): IdRange[] | null {
  if (source === 0 || !f.q) return null;
  const upload = store.sqlite
    .prepare('SELECT id, entry_base AS entryBase FROM uploads WHERE seq = ?')
    .get(source) as { id: string; entryBase: number } | undefined;
  const ranges = upload ? candidateRanges(store.sqlite, upload, f) : null;
  if (!ranges) return null;
  return ranges.reduce((ids, [first, end]) => ids + end - first, 0) <= TEXT_SCAN_MAX_IDS ? ranges : null;
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
