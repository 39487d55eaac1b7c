/**
 * Tumbling windows and daily buckets of live events: pure arithmetic over epoch milliseconds (UTC).
 * A window is [start, start + width); every width divides a day (config checks it), so windows never
 * straddle two days and retention can cut at a day boundary without splitting a window.
 */

export const DAY_MS = 86_400_000;
/** Template counts are kept per hour of event time. */
export const HOUR_MS = 3_600_000;
/** Levels at or above this rank (ERROR, FATAL) count as errors. */
export const ERROR_RANK = 4;
/** Level stored on daily metrics, which count every level. */
export const ALL_LEVELS = -1;

export type MetricKind = 'window' | 'daily';

export function windowStartOf(ts: number, widthMs: number): number {
  return Math.floor(ts / widthMs) * widthMs;
}

/**
 * The oldest event time retention keeps (epoch ms): the start of the UTC day `days` days before the day of
 * `now`. Whole days, so a daily metric never loses part of its events.
 */
export function retentionCutoff(now: number, days: number): number {
  return windowStartOf(now, DAY_MS) - days * DAY_MS;
}

/** One metric row's identity and what a batch adds to it. */
export interface MetricDelta {
  kind: MetricKind;
  service: string;
  /** Level rank for windows, ALL_LEVELS for daily metrics. */
  level: number;
  windowStart: number;
  windowMs: number;
  count: number;
  errors: number;
}

/**
 * What a batch of events adds to the metrics: a window per (service, level, window start) and a daily
 * metric per (service, day), keyed by event time, so late and out-of-order events land in their own
 * window whatever the order they arrive in.
 */
export function metricDeltas(
  events: Iterable<{ ts: number; level: number; service: string }>,
  windowMs: number,
): MetricDelta[] {
  // Per service, numeric keys: a window by its start and level (start * 8 + level), a day by its start.
  // Numbers hash faster than built strings, and this runs for every event stored.
  const byService = new Map<string, { windows: Map<number, MetricDelta>; days: Map<number, MetricDelta> }>();
  const out: MetricDelta[] = [];
  for (const e of events) {
    let s = byService.get(e.service);
    if (!s) {
      s = { windows: new Map(), days: new Map() };
      byService.set(e.service, s);
    }
    const error = e.level >= ERROR_RANK ? 1 : 0;
    const start = windowStartOf(e.ts, windowMs);
    const key = start * 8 + e.level;
    let w = s.windows.get(key);
    if (!w) {
      w = {
        kind: 'window',
        service: e.service,
        level: e.level,
        windowStart: start,
        windowMs,
        count: 0,
        errors: 0,
      };
      s.windows.set(key, w);
      out.push(w);
    }
    w.count++;
    w.errors += error;
    const day = windowStartOf(e.ts, DAY_MS);
    let d = s.days.get(day);
    if (!d) {
      d = {
        kind: 'daily',
        service: e.service,
        level: ALL_LEVELS,
        windowStart: day,
        windowMs: DAY_MS,
        count: 0,
        errors: 0,
      };
      s.days.set(day, d);
      out.push(d);
    }
    d.count++;
    d.errors += error;
  }
  return out;
}

/** What a batch adds to one template's count in one hour. */
export interface TemplateHourDelta {
  service: string;
  templateId: string;
  hourStart: number;
  count: number;
}

/** A batch's events counted per (service, template, hour of event time); events without a template skipped. */
export function templateHourDeltas(
  events: readonly { ts: number; service: string }[],
  templateIds: readonly (string | undefined)[],
): TemplateHourDelta[] {
  // Nested maps rather than a key string built per event, as in metricDeltas: this runs for every event.
  const byService = new Map<string, Map<string, Map<number, TemplateHourDelta>>>();
  const out: TemplateHourDelta[] = [];
  events.forEach((e, i) => {
    const templateId = templateIds[i];
    if (templateId === undefined) return;
    let templates = byService.get(e.service);
    if (!templates) {
      templates = new Map();
      byService.set(e.service, templates);
    }
    let hours = templates.get(templateId);
    if (!hours) {
      hours = new Map();
      templates.set(templateId, hours);
    }
    const hourStart = windowStartOf(e.ts, HOUR_MS);
    const d = hours.get(hourStart);
    if (d) d.count++;
    else {
      const delta = { service: e.service, templateId, hourStart, count: 1 };
      hours.set(hourStart, delta);
      out.push(delta);
    }
  });
  return out;
}
