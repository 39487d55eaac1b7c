import type { Sqlite } from '@logsift/db';
import { z } from 'zod';
import { FLAG, type FlagName, LEVELS, type Level, levelFromRank, levelRank } from '../entry.js';

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

export const entryFilters = z.strictObject({
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

/** A LIKE pattern's literal text: %, _ and the escape character itself escaped (ESCAPE '\\'). */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

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
export function chunkFirstLines(sqlite: Sqlite, uploadId: string): number[] {
  const lines = sqlite
    .prepare('SELECT lines FROM chunk_results WHERE upload_id = ? ORDER BY chunk')
    .all(uploadId) as { lines: number }[];
  return firstLinesOf(lines);
}

/** The file line number each chunk starts at, from each chunk's physical line count in file order. */
export function firstLinesOf(chunks: readonly { lines: number }[]): number[] {
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
  sqlite: Sqlite,
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
