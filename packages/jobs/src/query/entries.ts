import { entryIdRange, type Sqlite } from '@logsift/db';
import { z } from 'zod';
import { DROP_FLAGS, FLAG, type FlagName, LEVELS, type Level, levelFromRank, levelRank } from '../entry.js';
import { candidateRanges, type IdRange } from './skip-chunks.js';

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

/** How a page of entries is read (see buildEntriesQuery). */
export interface EntriesQueryPlan {
  /**
   * The source's entry ids as ranges in order: an upload's whole id range (entry-ids.ts), or the chunks
   * its skip index cannot rule out (skip-chunks.ts). A page is then primary-key range scans, one arm per
   * range.
   */
  ids?: readonly IdRange[];
  /** Read `ids` by primary key even under an indexed filter: the ranges already narrow the scan. */
  byId?: boolean;
  /** A status class's codes present (statusesIn): one arm per code, merged in id order. */
  statuses?: readonly number[];
}

/**
 * Entries of one source (an upload's seq, or 0 for live events) matching the filters, in stored order
 * (id ascending) after `cursor`. Every filter is a bound parameter, never spliced into the SQL. Several id
 * ranges or a status class split by code become arms of a UNION ALL, each in id order and stopped at the
 * page, merged by id.
 */
export function buildEntriesQuery(
  source: number,
  f: EntryFilters,
  order: 'asc' | 'desc' = 'asc',
  plan: EntriesQueryPlan = {},
): SqlQuery {
  // A status class is one equality per code present, merged in id order: each walks the (source, status)
  // index in id order and stops at the page, where a range would sort every match.
  const statusArms =
    f.status && f.status.min !== f.status.max && plan.statuses?.length ? plan.statuses : undefined;
  const where = ['source = ?'];
  const params: (string | number)[] = [source];
  // Without an indexed filter, `+source` keeps the planner off the (source, x) indexes, which it otherwise
  // picks and then sorts every entry of the upload for ORDER BY id (seconds at 10M entries).
  const indexed = f.level || f.status || f.from !== undefined || f.to !== undefined || f.template;
  if (plan.ids && (!indexed || plan.byId)) where[0] = '+source = ?';
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
  } else if (f.status && !statusArms) {
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
  if (f.cursor !== undefined && (source === 0 || !plan.ids)) {
    where.push(order === 'asc' ? 'id > ?' : 'id < ?');
    params.push(f.cursor);
  }
  // Each arm: extra conditions and their parameters. The cursor narrows an id range itself (a second
  // bound would be checked row by row instead).
  const arms: { where: string[]; params: number[] }[] = [];
  for (const range of plan.ids ? cursorRanges(plan.ids, f.cursor, order) : [undefined]) {
    for (const status of statusArms ?? [undefined]) {
      const arm = { where: [] as string[], params: [] as number[] };
      if (range) {
        arm.where.push('id >= ?', 'id < ?');
        arm.params.push(...range);
      }
      if (status !== undefined) {
        arm.where.push('status = ?');
        arm.params.push(status);
      }
      arms.push(arm);
    }
  }
  const select = (conditions: string[]) =>
    `SELECT * FROM entries WHERE ${conditions.join(' AND ')} ORDER BY id ${order.toUpperCase()} LIMIT ?`;
  const only = arms.length === 1 ? arms[0] : undefined;
  if (only)
    return { sql: select([...where, ...only.where]), params: [...params, ...only.params, f.limit + 1] };
  const armSql = (arm: (typeof arms)[number]) => `SELECT * FROM (${select([...where, ...arm.where])})`;
  return {
    sql: `${arms.map(armSql).join(' UNION ALL ')} ORDER BY id ${order.toUpperCase()} LIMIT ?`,
    params: [...arms.flatMap((arm) => [...params, ...arm.params, f.limit + 1]), f.limit + 1],
  };
}

/** The ranges past the cursor (ascending: ids above it; descending: below it); never none. */
function cursorRanges(
  ranges: readonly IdRange[],
  cursor: number | undefined,
  order: 'asc' | 'desc',
): IdRange[] {
  const clipped = ranges
    .map(([first, end]): IdRange => {
      if (cursor === undefined) return [first, end];
      return order === 'asc' ? [Math.max(first, cursor + 1), end] : [first, Math.min(end, cursor)];
    })
    .filter(([first, end]) => first < end);
  return clipped.length > 0 ? clipped : [[0, 0]];
}

/**
 * The query for a page of an upload's entries: its id range, and a status class split by code. Under a
 * time filter or a text search and no other indexed filter, only the chunks the skip index cannot rule
 * out are read, by id: for a log in time order a time filter finds its page in a chunk or two instead of
 * sorting every match by id, and a rare text reads the few chunks that can hold it instead of every row.
 */
export function uploadEntriesQuery(
  sqlite: Sqlite,
  upload: { id: string; seq: number; entryBase: number; sizeBytes: number },
  f: EntryFilters,
): SqlQuery {
  const { status } = f;
  const whole: IdRange[] = [entryIdRange(upload.entryBase, 0, upload.sizeBytes + 1)];
  const skippable = !f.level && !status && !f.template;
  const candidates = skippable ? candidateRanges(sqlite, upload, f) : null;
  return buildEntriesQuery(upload.seq, f, 'asc', {
    ids: candidates ?? whole,
    byId: candidates !== null,
    statuses:
      status && status.min !== status.max
        ? statusesIn(sqlite, upload.seq, status.min, status.max)
        : undefined,
  });
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
