/**
 * Live events as the dashboard reads them from GET /api/logs (`{ logs, nextCursor }`), /api/logs/stream
 * (events `log`, one entry each) and /api/stats (`services: [{ service, total, errors }]`, `errorRate`,
 * `eventsPerSecond`). Entries have timestamp, level, service, message; close variants (`ts` in ms,
 * `severity`, arrays, rows per service and level) are read too, so the page does not break on small changes.
 */

export interface LiveEvent {
  /** Epoch ms; null when the event had no time. */
  t: number | null;
  level: string;
  service: string;
  message: string;
}

export interface ServiceCount {
  service: string;
  total: number;
  errors: number;
}

export interface LiveStats {
  services: ServiceCount[];
  /** errors / total over the range, 0..1; null when nothing was counted. */
  errorRate: number | null;
  eventsPerSecond: number | null;
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const ERROR_LEVELS = new Set(['ERROR', 'FATAL']);

export function toLiveEvent(v: unknown): LiveEvent | undefined {
  if (!isObject(v)) return undefined;
  const time = v.timestamp ?? v.ts ?? v.time;
  const t = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return {
    t: Number.isFinite(t) ? t : null,
    level: (str(v.level) ?? str(v.severity) ?? '').toUpperCase() || '–',
    service: str(v.service) ?? '–',
    message: str(v.message) ?? str(v.msg) ?? JSON.stringify(v),
  };
}

/** The list a page carries: GET /api/logs answers `{ logs, nextCursor }`; `entries` and `events` are read too. */
function listOf(body: Loose): unknown[] | undefined {
  for (const key of ['logs', 'entries', 'events'])
    if (Array.isArray(body[key])) return body[key] as unknown[];
  return undefined;
}

/** Events from a page of GET /api/logs or one stream message (an event `log` carries one entry). */
export function toLiveEvents(body: unknown): LiveEvent[] {
  const list = Array.isArray(body) ? body : isObject(body) ? (listOf(body) ?? [body]) : [];
  return list.map(toLiveEvent).filter((e): e is LiveEvent => e !== undefined);
}

function serviceRows(v: unknown): ServiceCount[] {
  const rows = new Map<string, ServiceCount>();
  const add = (service: string, total: number, errors: number) => {
    const row = rows.get(service) ?? { service, total: 0, errors: 0 };
    row.total += total;
    row.errors += errors;
    rows.set(service, row);
  };
  if (Array.isArray(v)) {
    for (const r of v) {
      if (!isObject(r)) continue;
      const service = str(r.service) ?? str(r.value) ?? '–';
      const total = num(r.count) ?? num(r.total) ?? 0;
      const level = str(r.level)?.toUpperCase();
      const errors = num(r.errors) ?? (level && ERROR_LEVELS.has(level) ? total : 0);
      add(service, total, errors);
    }
  } else if (isObject(v)) {
    for (const [service, r] of Object.entries(v)) {
      if (num(r) !== undefined) add(service, num(r)!, 0);
      else if (isObject(r)) {
        const levels = isObject(r.levels) ? r.levels : undefined;
        const fromLevels = levels ? Object.values(levels).reduce<number>((n, c) => n + (num(c) ?? 0), 0) : 0;
        const levelErrors = levels
          ? Object.entries(levels).reduce<number>(
              (n, [l, c]) => n + (ERROR_LEVELS.has(l.toUpperCase()) ? (num(c) ?? 0) : 0),
              0,
            )
          : 0;
        add(service, num(r.count) ?? num(r.total) ?? fromLevels, num(r.errors) ?? levelErrors);
      }
    }
  }
  return [...rows.values()].sort((a, b) => b.total - a.total);
}

export function toLiveStats(body: unknown): LiveStats {
  if (!isObject(body)) return { services: [], errorRate: null, eventsPerSecond: null };
  const services = serviceRows(body.services ?? body.byService ?? body.counts ?? []);
  const total = services.reduce((n, s) => n + s.total, 0);
  const errors = services.reduce((n, s) => n + s.errors, 0);
  return {
    services,
    errorRate: num(body.errorRate) ?? (total > 0 ? errors / total : null),
    eventsPerSecond: num(body.eventsPerSecond) ?? num(body.eventsPerSecondNow) ?? num(body.eps) ?? null,
  };
}

/**
 * Per-service counts over the last `windowMs`, from the events the tail has seen, in `bucketMs` buckets so
 * old events fall out as time passes.
 */
export class WindowCounter {
  private readonly buckets = new Map<number, Map<string, { total: number; errors: number }>>();

  constructor(
    readonly windowMs = 60_000,
    private readonly bucketMs = 5_000,
  ) {}

  add(event: LiveEvent, now: number): void {
    const key = Math.floor(now / this.bucketMs);
    const bucket = this.buckets.get(key) ?? new Map();
    this.buckets.set(key, bucket);
    const row = bucket.get(event.service) ?? { total: 0, errors: 0 };
    row.total += 1;
    if (ERROR_LEVELS.has(event.level)) row.errors += 1;
    bucket.set(event.service, row);
  }

  counts(now: number): ServiceCount[] {
    const oldest = Math.floor((now - this.windowMs) / this.bucketMs) + 1;
    const rows = new Map<string, ServiceCount>();
    for (const [key, bucket] of this.buckets) {
      if (key < oldest) {
        this.buckets.delete(key);
        continue;
      }
      for (const [service, c] of bucket) {
        const row = rows.get(service) ?? { service, total: 0, errors: 0 };
        row.total += c.total;
        row.errors += c.errors;
        rows.set(service, row);
      }
    }
    return [...rows.values()].sort((a, b) => b.total - a.total);
  }
}
