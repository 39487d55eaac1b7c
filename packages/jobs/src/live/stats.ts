import type { Store } from '@logsift/db';
import { LEVELS, type Level } from '../entry.js';
import { HOUR_MS, windowStartOf } from './windows.js';

/** Templates listed by default in /api/stats. */
export const TOP_TEMPLATES = 10;

export interface ServiceStats {
  service: string;
  total: number;
  errors: number;
  /** errors / total (0 when there were no events). */
  errorRate: number;
  levels: Partial<Record<Level, number>>;
}

export interface LiveStats {
  /** The range counted: the request's, widened to whole windows. Epoch ms. */
  from: number;
  to: number;
  total: number;
  errors: number;
  errorRate: number;
  levels: Partial<Record<Level, number>>;
  services: ServiceStats[];
  /** The most frequent templates, counted over the whole hours the range touches. */
  topTemplates: { id: string; template: string | null; service: string; count: number }[];
}

/**
 * Counts of live events by service and level over [from, to), from the window metrics (so they are
 * exact, and cheap however many events there were), and the most frequent templates, from the per-hour
 * template counts of the hours the range touches (equally cheap; a range inside one hour gets that
 * hour's templates).
 */
export function liveStats(
  store: Store,
  windowMs: number,
  range: { from: number; to: number; service?: string | undefined },
  top = TOP_TEMPLATES,
): LiveStats {
  const from = windowStartOf(range.from, windowMs);
  const to = Math.ceil(range.to / windowMs) * windowMs;
  const serviceSql = range.service === undefined ? '' : ' AND service = ?';
  const serviceParam = range.service === undefined ? [] : [range.service];
  const rows = store.sqlite
    .prepare(
      `SELECT service, level, SUM(count) AS count FROM metrics
       WHERE kind = 'window' AND window_ms = ? AND window_start >= ? AND window_start < ?${serviceSql}
       GROUP BY service, level ORDER BY service, level`,
    )
    .all(windowMs, from, to, ...serviceParam) as { service: string; level: number; count: number }[];
  const services = new Map<string, ServiceStats>();
  const levels: Partial<Record<Level, number>> = {};
  let total = 0;
  let errors = 0;
  for (const r of rows) {
    const level = LEVELS[r.level] as Level;
    let s = services.get(r.service);
    if (!s) {
      s = { service: r.service, total: 0, errors: 0, errorRate: 0, levels: {} };
      services.set(r.service, s);
    }
    s.total += r.count;
    s.levels[level] = (s.levels[level] ?? 0) + r.count;
    levels[level] = (levels[level] ?? 0) + r.count;
    total += r.count;
    if (r.level >= 4) {
      s.errors += r.count;
      errors += r.count;
    }
  }
  for (const s of services.values()) s.errorRate = s.total === 0 ? 0 : s.errors / s.total;
  const templates = store.sqlite
    .prepare(
      `SELECT h.template_id AS id, h.service AS service, SUM(h.count) AS count, t.template AS template
       FROM template_hours h LEFT JOIN templates t ON t.service = h.service AND t.id = h.template_id
       WHERE h.hour_start >= ? AND h.hour_start < ?${serviceSql.replace('service', 'h.service')}
       GROUP BY h.service, h.template_id ORDER BY count DESC, id LIMIT ?`,
    )
    .all(windowStartOf(from, HOUR_MS), to, ...serviceParam, top) as LiveStats['topTemplates'];
  return {
    from,
    to,
    total,
    errors,
    errorRate: total === 0 ? 0 : errors / total,
    levels,
    services: [...services.values()].sort((a, b) => b.total - a.total || a.service.localeCompare(b.service)),
    topTemplates: templates,
  };
}
