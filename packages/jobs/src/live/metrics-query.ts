import type { Store } from '@logsift/db';
import { z } from 'zod';
import { LEVELS, type Level, levelFromRank, levelRank } from '../entry.js';
import { isoTime } from '../query/entries.js';
import type { LogRow } from './log-query.js';
import { lineageWhere, type MetricRow } from './metrics-store.js';
import { ALL_LEVELS } from './windows.js';

/** Reading metric rows and the events behind one (its lineage). */

export const METRICS_PAGE_MAX = 1000;

export const metricFilters = z.strictObject({
  kind: z.enum(['window', 'daily']).optional(),
  service: z.string().trim().min(1).max(200).optional(),
  level: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(LEVELS))
    .optional()
    .describe('windows of one level'),
  from: isoTime.optional().describe('windows starting at or after'),
  to: isoTime.optional().describe('windows starting before'),
  cursor: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(METRICS_PAGE_MAX).default(100),
});
export type MetricFilters = z.infer<typeof metricFilters>;

export const pageQuery = z.strictObject({
  cursor: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(METRICS_PAGE_MAX).default(100),
});

const SELECT = `SELECT id, kind, service, level, window_start AS windowStart, window_ms AS windowMs, count, errors,
  updated_at AS updatedAt FROM metrics`;

/** Metric rows, newest window first. */
export function listMetrics(
  store: Store,
  f: MetricFilters,
): { rows: MetricRow[]; nextCursor: string | null } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.kind) {
    where.push('kind = ?');
    params.push(f.kind);
  }
  if (f.service) {
    where.push('service = ?');
    params.push(f.service);
  }
  if (f.level) {
    where.push('level = ?');
    params.push(levelRank(f.level as Level));
  }
  if (f.from !== undefined) {
    where.push('window_start >= ?');
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push('window_start < ?');
    params.push(f.to);
  }
  if (f.cursor) {
    const [start, id] = f.cursor.split('.').map(Number) as [number, number];
    where.push('window_start <= ?', '(window_start < ? OR id < ?)');
    params.push(start, start, id);
  }
  const rows = store.sqlite
    .prepare(
      `${SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY window_start DESC, id DESC LIMIT ?`,
    )
    .all(...params, f.limit + 1) as MetricRow[];
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > f.limit && last ? `${last.windowStart}.${last.id}` : null };
}

/** The events a metric counted, oldest first: exactly its lineage predicate, paged by (ts, id). */
export function metricEvents(
  store: Store,
  metric: MetricRow,
  page: { cursor?: string | undefined; limit: number },
): { rows: LogRow[]; nextCursor: string | null } {
  const { sql, params } = lineageWhere(metric);
  const where = [sql];
  const all: (string | number)[] = [...params];
  if (page.cursor) {
    const [ts, id] = page.cursor.split('.').map(Number) as [number, number];
    where.push('ts >= ?', '(ts > ? OR id > ?)');
    all.push(ts, ts, id);
  }
  const rows = store.sqlite
    .prepare(`SELECT * FROM entries WHERE ${where.join(' AND ')} ORDER BY ts, id LIMIT ?`)
    .all(...all, page.limit + 1) as LogRow[];
  const slice = rows.slice(0, page.limit);
  const last = slice.at(-1);
  return { rows: slice, nextCursor: rows.length > page.limit && last ? `${last.ts}.${last.id}` : null };
}

export function metricView(m: MetricRow) {
  return {
    id: m.id,
    kind: m.kind,
    service: m.service,
    /** null for daily metrics, which count every level. */
    level: m.level === ALL_LEVELS ? null : (levelFromRank(m.level) ?? null),
    windowStart: new Date(m.windowStart).toISOString(),
    windowEnd: new Date(m.windowStart + m.windowMs).toISOString(),
    windowMs: m.windowMs,
    count: m.count,
    errors: m.errors,
    updatedAt: new Date(m.updatedAt).toISOString(),
  };
}
