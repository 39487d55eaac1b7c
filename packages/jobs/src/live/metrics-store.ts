import type { Sqlite, Store } from '@logsift/db';
import {
  ALL_LEVELS,
  DAY_MS,
  ERROR_RANK,
  HOUR_MS,
  type MetricDelta,
  type MetricKind,
  type TemplateHourDelta,
  windowStartOf,
} from './windows.js';

/**
 * Metric rows in SQLite: adding a batch's deltas (ingest), recomputing a range from the stored events
 * (replay). A metric's lineage is its predicate over live entries (service, level unless daily, time
 * range), so listing the events behind a metric needs no row per event per metric.
 */

const UPSERT_DELTA = `INSERT INTO metrics (kind, service, level, window_start, window_ms, count, errors, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (kind, service, level, window_start, window_ms) DO UPDATE SET
    count = metrics.count + excluded.count,
    errors = metrics.errors + excluded.errors,
    updated_at = excluded.updated_at`;

const upserts = new WeakMap<Sqlite, { run(...params: unknown[]): unknown }>();

/** Adds deltas to their metric rows; call inside the transaction that stores the events. */
export function applyMetricDeltas(sqlite: Sqlite, deltas: readonly MetricDelta[], now: number): void {
  let upsert = upserts.get(sqlite);
  if (!upsert) {
    upsert = sqlite.prepare(UPSERT_DELTA);
    upserts.set(sqlite, upsert);
  }
  for (const d of deltas)
    upsert.run(d.kind, d.service, d.level, d.windowStart, d.windowMs, d.count, d.errors, now);
}

const UPSERT_TEMPLATE_HOUR = `INSERT INTO template_hours (service, template_id, hour_start, count)
  VALUES (?, ?, ?, ?)
  ON CONFLICT (service, template_id, hour_start) DO UPDATE SET count = template_hours.count + excluded.count`;

const templateUpserts = new WeakMap<Sqlite, { run(...params: unknown[]): unknown }>();

/** Adds a batch's per-hour template counts; call inside the transaction that stores the events. */
export function applyTemplateHourDeltas(sqlite: Sqlite, deltas: readonly TemplateHourDelta[]): void {
  let upsert = templateUpserts.get(sqlite);
  if (!upsert) {
    upsert = sqlite.prepare(UPSERT_TEMPLATE_HOUR);
    templateUpserts.set(sqlite, upsert);
  }
  for (const d of deltas) upsert.run(d.service, d.templateId, d.hourStart, d.count);
}

export interface MetricRow {
  id: number;
  kind: MetricKind;
  service: string;
  level: number;
  windowStart: number;
  windowMs: number;
  count: number;
  errors: number;
  updatedAt: number;
}

const SELECT_METRIC = `SELECT id, kind, service, level, window_start AS windowStart, window_ms AS windowMs,
  count, errors, updated_at AS updatedAt FROM metrics`;

export function findMetric(store: Store, id: number): MetricRow | undefined {
  return store.sqlite.prepare(`${SELECT_METRIC} WHERE id = ?`).get(id) as MetricRow | undefined;
}

/** The live-entry predicate a metric counts: its lineage. */
export function lineageWhere(m: MetricRow): { sql: string; params: (string | number)[] } {
  const where = ['source = 0', 'service = ?', 'ts >= ?', 'ts < ?'];
  const params: (string | number)[] = [m.service, m.windowStart, m.windowStart + m.windowMs];
  if (m.level !== ALL_LEVELS) {
    where.push('level = ?');
    params.push(m.level);
  }
  return { sql: where.join(' AND '), params };
}

/** A metric row's identity and value, as computed from events or read from the table. */
export interface MetricValue {
  kind: MetricKind;
  service: string;
  level: number;
  windowStart: number;
  windowMs: number;
  count: number;
  errors: number;
}

/** What turns stored rows into computed ones: rows to insert, to update (the stored row and its new value), to delete. */
export interface RowDiff<E, C> {
  inserts: C[];
  updates: [old: E, row: C][];
  deletes: E[];
  unchanged: number;
}

/** Matches `existing` and `computed` rows by `key`, touching only rows whose values differ (`same`). Pure. */
function diffByKey<E, C>(
  existing: readonly E[],
  computed: readonly C[],
  key: (row: E | C) => string,
  same: (old: E, row: C) => boolean,
): RowDiff<E, C> {
  const byKey = new Map(existing.map((e) => [key(e), e]));
  const diff: RowDiff<E, C> = { inserts: [], updates: [], deletes: [], unchanged: 0 };
  for (const c of computed) {
    const k = key(c);
    const old = byKey.get(k);
    byKey.delete(k);
    if (old === undefined) diff.inserts.push(c);
    else if (same(old, c)) diff.unchanged++;
    else diff.updates.push([old, c]);
  }
  diff.deletes.push(...byKey.values());
  return diff;
}

export interface MetricDiff {
  inserts: MetricValue[];
  updates: (MetricValue & { id: number })[];
  deletes: number[];
  unchanged: number;
}

const keyOf = (m: MetricValue) =>
  `${m.kind}\u0000${m.service}\u0000${m.level}\u0000${m.windowStart}\u0000${m.windowMs}`;

/** What turns `existing` metric rows into `computed` ones, touching only rows whose values differ. Pure. */
export function diffMetrics(
  existing: readonly (MetricValue & { id: number })[],
  computed: readonly MetricValue[],
): MetricDiff {
  const d = diffByKey(existing, computed, keyOf, (o, c) => o.count === c.count && o.errors === c.errors);
  return {
    inserts: d.inserts,
    updates: d.updates.map(([old, c]) => ({ ...c, id: old.id })),
    deletes: d.deletes.map((m) => m.id),
    unchanged: d.unchanged,
  };
}

export interface ReplayCounts {
  unchanged: number;
  inserted: number;
  updated: number;
  deleted: number;
}

export interface ReplayResult {
  /** The range recomputed: windows overlapping the request, widened to whole windows. */
  from: number;
  to: number;
  windows: ReplayCounts;
  /** Daily metrics of every UTC day the range touches, recomputed whole. */
  daily: ReplayCounts;
  /** Per-hour template counts of every hour the range touches, recomputed whole. */
  templateHours: ReplayCounts;
}

/** Windows recomputed per transaction: about an hour of events, so ingest is never held up for long. */
const REPLAY_CHUNK_MS = 3600 * 1000;

/**
 * Recomputes the window and daily metrics of [from, to) (optionally one service) from the stored live
 * events. Idempotent: rows already equal to what the events say are left alone (same id, same
 * updated_at), so running it twice changes nothing the second time. Each chunk is one transaction
 * (immediate), so events stored concurrently are either counted in both the entries and the metric or in
 * neither.
 */
export async function replayMetrics(
  store: Store,
  windowMs: number,
  range: { from: number; to: number; service?: string | undefined },
  now = Date.now(),
): Promise<ReplayResult> {
  const from = windowStartOf(range.from, windowMs);
  const to = Math.ceil(range.to / windowMs) * windowMs;
  const chunk = Math.ceil(REPLAY_CHUNK_MS / windowMs) * windowMs;
  const windows: ReplayCounts = { unchanged: 0, inserted: 0, updated: 0, deleted: 0 };
  const daily: ReplayCounts = { unchanged: 0, inserted: 0, updated: 0, deleted: 0 };
  for (let start = from; start < to; start += chunk) {
    const end = Math.min(to, start + chunk);
    add(windows, recompute(store, 'window', windowMs, start, end, range.service, now));
    await new Promise((r) => setImmediate(r));
  }
  for (let day = windowStartOf(from, DAY_MS); day < to; day += DAY_MS) {
    add(daily, recompute(store, 'daily', DAY_MS, day, day + DAY_MS, range.service, now));
    await new Promise((r) => setImmediate(r));
  }
  const templateHours: ReplayCounts = { unchanged: 0, inserted: 0, updated: 0, deleted: 0 };
  for (let hour = windowStartOf(from, HOUR_MS); hour < to; hour += HOUR_MS) {
    add(templateHours, recomputeTemplateHour(store, hour, range.service));
    await new Promise((r) => setImmediate(r));
  }
  return { from, to, windows, daily, templateHours };
}

interface TemplateCount {
  service: string;
  templateId: string;
  count: number;
}

/** Recomputes one hour's template counts from the stored events, touching only rows that differ. */
function recomputeTemplateHour(
  store: Store,
  hour: number,
  service: string | undefined,
): RowDiff<TemplateCount, TemplateCount> {
  const { sqlite } = store;
  const serviceSql = service === undefined ? '' : ' AND service = ?';
  const serviceParam = service === undefined ? [] : [service];
  return sqlite
    .transaction(() => {
      const computed = sqlite
        .prepare(
          `SELECT service, template_id AS templateId, COUNT(*) AS count FROM entries
           WHERE source = 0 AND ts >= ? AND ts < ? AND template_id IS NOT NULL${serviceSql}
           GROUP BY service, template_id`,
        )
        .all(hour, hour + HOUR_MS, ...serviceParam) as TemplateCount[];
      const existing = sqlite
        .prepare(
          `SELECT service, template_id AS templateId, count FROM template_hours WHERE hour_start = ?${serviceSql}`,
        )
        .all(hour, ...serviceParam) as TemplateCount[];
      const diff = diffByKey(
        existing,
        computed,
        (t) => `${t.service}\u0000${t.templateId}`,
        (o, c) => o.count === c.count,
      );
      const upsert = sqlite.prepare(
        `INSERT INTO template_hours (service, template_id, hour_start, count) VALUES (?, ?, ?, ?)
         ON CONFLICT (service, template_id, hour_start) DO UPDATE SET count = excluded.count`,
      );
      const remove = sqlite.prepare(
        'DELETE FROM template_hours WHERE service = ? AND template_id = ? AND hour_start = ?',
      );
      for (const t of [...diff.inserts, ...diff.updates.map(([, c]) => c)]) {
        upsert.run(t.service, t.templateId, hour, t.count);
      }
      for (const t of diff.deletes) remove.run(t.service, t.templateId, hour);
      return diff;
    })
    .immediate();
}

/** Any diff's sizes: what a replay reports. */
interface DiffSizes {
  inserts: readonly unknown[];
  updates: readonly unknown[];
  deletes: readonly unknown[];
  unchanged: number;
}

function add(total: ReplayCounts, d: DiffSizes): void {
  total.unchanged += d.unchanged;
  total.inserted += d.inserts.length;
  total.updated += d.updates.length;
  total.deleted += d.deletes.length;
}

function recompute(
  store: Store,
  kind: MetricKind,
  widthMs: number,
  start: number,
  end: number,
  service: string | undefined,
  now: number,
): MetricDiff {
  const { sqlite } = store;
  const serviceSql = service === undefined ? '' : ' AND service = ?';
  const serviceParam = service === undefined ? [] : [service];
  return sqlite
    .transaction(() => {
      // Daily metrics count every level: no level in the grouping (a constant there would be read as a
      // column position).
      const levelSql = kind === 'window' ? 'level' : `${ALL_LEVELS}`;
      const groupSql = kind === 'window' ? 'service, level, windowStart' : 'service, windowStart';
      const computed = (
        sqlite
          .prepare(
            `SELECT service, ${levelSql} AS level, (ts / ${widthMs}) * ${widthMs} AS windowStart,
               COUNT(*) AS count, SUM(level >= ${ERROR_RANK}) AS errors
             FROM entries WHERE source = 0 AND ts >= ? AND ts < ?${serviceSql}
             GROUP BY ${groupSql}`,
          )
          .all(start, end, ...serviceParam) as Omit<MetricValue, 'kind' | 'windowMs'>[]
      ).map((r) => ({ ...r, kind, windowMs: widthMs, errors: r.errors ?? 0 }));
      const existing = sqlite
        .prepare(
          `${SELECT_METRIC} WHERE kind = ? AND window_ms = ? AND window_start >= ? AND window_start < ?${serviceSql}`,
        )
        .all(kind, widthMs, start, end, ...serviceParam) as MetricRow[];
      const diff = diffMetrics(existing, computed);
      const insert = sqlite.prepare(
        `INSERT INTO metrics (kind, service, level, window_start, window_ms, count, errors, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const update = sqlite.prepare('UPDATE metrics SET count = ?, errors = ?, updated_at = ? WHERE id = ?');
      const remove = sqlite.prepare('DELETE FROM metrics WHERE id = ?');
      for (const m of diff.inserts) {
        insert.run(m.kind, m.service, m.level, m.windowStart, m.windowMs, m.count, m.errors, now);
      }
      for (const m of diff.updates) update.run(m.count, m.errors, now, m.id);
      for (const id of diff.deletes) remove.run(id);
      return diff;
    })
    .immediate();
}
