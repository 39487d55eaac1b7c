import { entryIdRange, type Sqlite } from '@logsift/db';
import { z } from 'zod';
import { DROP_FLAGS, FLAG, type FlagName, LEVELS, type Level, levelFromRank, levelRank } from '../entry.js';

/** Most rows one page may hold. */
export const ENTRIES_PAGE_MAX = 1000;

export const isoTime = z
  .string()
  .trim()
  .transform((s, ctx) => {
    // A bare date means its start (from) — callers wanting the end of a day pass the next day as `to`.
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Date.parse(s);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not an ISO 8601 date or time` });
      return z.NEVER;
    }
    return ms;
  });

export const levelList = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const names = s
      .split(',')
      .map((x) => x.trim().toUpperCase())
      .filter(Boolean);
    const bad = names.filter((n) => !(LEVELS as readonly string[]).includes(n));
    if (bad.length > 0 || names.length === 0) {
      ctx.addIssue({ code: 'custom', message: `unknown level ${bad.join(', ')}; use ${LEVELS.join(', ')}` });
      return z.NEVER;
    }
    return names.map((n) => levelRank(n as Level));
  });

const statusFilter = z
  .string()
  .trim()
  .regex(/^([1-5]\d\d|[1-5]xx)$/i, 'status is a code (404) or a class (5xx)')
  .transform((s) => {
    if (/xx$/i.test(s)) {
      const base = Number(s[0]) * 100;
      return { min: base, max: base + 99 };
    }
    return { min: Number(s), max: Number(s) };
  });

export const entryFilters = z.object({
  level: levelList.optional(),
  service: z.string().trim().min(1).max(200).optional(),
  status: statusFilter.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  q: z.string().min(1).max(500).optional(),
  template: z.string().trim().min(1).max(64).optional(),
  /** Include entries that cleaning dropped (duplicates, clean rules); they are hidden by default. */
  dropped: z.enum(['true', 'false']).optional(),
  cursor: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(ENTRIES_PAGE_MAX).default(100),
});
export type EntryFilters = z.infer<typeof entryFilters>;

export interface SqlQuery {
  sql: string;
  params: (string | number)[];
}

/** A LIKE pattern's literal text: %, _ and the escape character itself escaped (ESCAPE '\\'). */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Entries of one source (an upload's seq, or 0 for live events) matching the filters, in stored order
 * (id ascending) after `cursor`. `ids` is an upload's id range (entry-ids.ts), which turns a page into a
 * primary-key range scan. Every filter is a bound parameter, never spliced into the SQL.
 */
export function buildEntriesQuery(
  source: number,
  f: EntryFilters,
  order: 'asc' | 'desc' = 'asc',
  ids?: readonly [number, number],
  statuses?: readonly number[],
): SqlQuery {
  // A status class is one equality per code present (statusesIn), merged in id order: each walks the
  // (source, status) index in id order and stops at the page, where a range would sort every match.
  const arms = f.status && f.status.min !== f.status.max && statuses?.length ? statuses : undefined;
  const where = ['source = ?'];
  const params: (string | number)[] = [source];
  if (ids) {
    // An upload's ids are one range (entryId), so a page in id order is a short primary-key range scan.
    // Without an indexed filter, `+source` keeps the planner off the (source, x) indexes, which it
    // otherwise picks and then sorts every entry of the upload for ORDER BY id (seconds at 10M entries).
    const indexed = f.level || f.status || f.from !== undefined || f.to !== undefined || f.template;
    if (!indexed) where[0] = '+source = ?';
    let [first, end] = ids;
    // The cursor narrows the range itself: a second lower bound would be checked row by row instead.
    if (f.cursor !== undefined && order === 'asc') first = Math.max(first, f.cursor + 1);
    if (f.cursor !== undefined && order === 'desc') end = Math.min(end, f.cursor);
    where.push('id >= ?', 'id < ?');
    params.push(first, end);
  }
  if (f.level) {
    where.push(`level IN (${f.level.map(() => '?').join(',')})`);
    params.push(...f.level);
  }
  if (f.service) {
    where.push('service = ?');
    params.push(f.service);
  }
  if (f.status && f.status.min === f.status.max) {
    // Equality keeps the (source, status) index in id order: no sort of every matching entry.
    where.push('status = ?');
    params.push(f.status.min);
  } else if (f.status && !arms) {
    where.push('status BETWEEN ? AND ?');
    params.push(f.status.min, f.status.max);
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
    // Uploaded entries reach their template through their signature; live events carry it.
    if (source === 0) {
      where.push('template_id = ?');
      params.push(f.template);
    } else {
      where.push(
        'signature IN (SELECT signature FROM upload_signatures WHERE source = ? AND template_id = ?)',
      );
      params.push(source, f.template);
    }
  }
  if (f.dropped !== 'true') where.push(`(flags & ${DROP_FLAGS}) = 0`);
  if (f.cursor !== undefined && source === 0) {
    where.push(order === 'asc' ? 'id > ?' : 'id < ?');
    params.push(f.cursor);
  }
  const select = (conditions: string[]) =>
    `SELECT * FROM entries WHERE ${conditions.join(' AND ')} ORDER BY id ${order.toUpperCase()} LIMIT ?`;
  if (!arms) return { sql: select(where), params: [...params, f.limit + 1] };
  const arm = `SELECT * FROM (${select([...where, 'status = ?'])})`;
  return {
    sql: `${arms.map(() => arm).join(' UNION ALL ')} ORDER BY id ${order.toUpperCase()} LIMIT ?`,
    params: [...arms.flatMap((status) => [...params, status, f.limit + 1]), f.limit + 1],
  };
}

/** The query for a page of an upload's entries: its id range, and a status class split by code. */
export function uploadEntriesQuery(
  sqlite: Sqlite,
  upload: { seq: number; entryBase: number; sizeBytes: number },
  f: EntryFilters,
): SqlQuery {
  const { status } = f;
  return buildEntriesQuery(
    upload.seq,
    f,
    'asc',
    entryIdRange(upload.entryBase, 0, upload.sizeBytes + 1),
    status && status.min !== status.max ? statusesIn(sqlite, upload.seq, status.min, status.max) : undefined,
  );
}

/**
 * The status codes a source's entries have between `min` and `max`, found by one index seek per code (a
 * class holds at most 100), not by reading its entries.
 */
export function statusesIn(sqlite: Sqlite, source: number, min: number, max: number): number[] {
  const next = sqlite
    .prepare(
      'SELECT status FROM entries WHERE source = ? AND status > ? AND status <= ? ORDER BY status LIMIT 1',
    )
    .pluck();
  const found: number[] = [];
  for (let after = min - 1; ; ) {
    const status = next.get(source, after, max) as number | undefined;
    if (status === undefined) return found;
    found.push(status);
    after = status;
  }
}

export interface EntryRow {
  id: number;
  source: number;
  chunk: number;
  line: number;
  span: number;
  offset: number;
  length: number;
  ts: number | null;
  tz: string | null;
  level: number | null;
  service: string | null;
  host: string | null;
  method: string | null;
  path: string | null;
  status: number | null;
  bytes: number | null;
  latency_ms: number | null;
  message: string;
  signature: number | null;
  template_id: string | null;
  flags: number;
  fields: string | null;
}

export function flagNames(flags: number): FlagName[] {
  return (Object.keys(FLAG) as FlagName[]).filter((k) => (flags & FLAG[k]) !== 0);
}

/**
 * The public shape of an entry; `firstLines[chunk]` turns chunk-local line numbers into file line numbers,
 * `raw` is the record's text as read back from the stored file (null when there is no file).
 */
export function entryView(
  row: EntryRow,
  raw: string | null,
  firstLines?: readonly number[],
  templateIds?: ReadonlyMap<number, string>,
) {
  return {
    id: row.id,
    line: firstLines ? (firstLines[row.chunk] ?? 1) + row.line - 1 : row.line,
    lineSpan: row.span,
    timestamp: row.ts == null ? null : new Date(row.ts).toISOString(),
    tz: row.tz,
    level: row.level == null ? null : (levelFromRank(row.level) ?? null),
    service: row.service,
    host: row.host,
    method: row.method,
    path: row.path,
    status: row.status,
    bytes: row.bytes,
    latencyMs: row.latency_ms,
    message: row.message,
    raw,
    templateId: row.template_id ?? (row.signature != null ? (templateIds?.get(row.signature) ?? null) : null),
    flags: flagNames(row.flags),
    fields: row.fields ? (JSON.parse(row.fields) as Record<string, unknown>) : null,
  };
}

/** The file line number each chunk of an upload starts at (chunk-local line numbers + this - 1 = file lines). */
export function chunkFirstLines(sqlite: import('@logsift/db').Sqlite, uploadId: string): number[] {
  const chunks = sqlite
    .prepare('SELECT lines FROM chunk_results WHERE upload_id = ? ORDER BY chunk')
    .all(uploadId) as {
    lines: number;
  }[];
  const firstLines: number[] = [];
  let next = 1;
  for (const c of chunks) {
    firstLines.push(next);
    next += c.lines;
  }
  return firstLines;
}

/** The template of each signature among `rows` (an upload's entries), for entryView. */
export function templatesOfSignatures(
  sqlite: import('@logsift/db').Sqlite,
  source: number,
  rows: readonly EntryRow[],
): Map<number, string> {
  const signatures = [...new Set(rows.map((r) => r.signature).filter((s): s is number => s != null))];
  if (signatures.length === 0) return new Map();
  const found = sqlite
    .prepare(
      `SELECT signature, template_id FROM upload_signatures WHERE source = ? AND signature IN (${signatures.map(() => '?').join(',')})`,
    )
    .all(source, ...signatures) as { signature: number; template_id: string }[];
  return new Map(found.map((r) => [r.signature, r.template_id]));
}
