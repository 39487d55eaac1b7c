import { z } from 'zod';

/** Live-event limits and defaults. Sizes in bytes, times as named. */
export const LIVE_DEFAULTS = {
  /** TCP listener for NDJSON, raw lines and syslog; 0 picks a free port. */
  tcpPort: 5170,
  /** Connections the TCP listener holds at once; more are refused with an error line. */
  tcpMaxConnections: 256,
  /** A TCP connection silent this long (seconds) is closed, authenticated or not. */
  tcpIdleSeconds: 60,
  /** Longest TCP line or syslog frame; longer ones are skipped (never buffered) and rejected. */
  tcpMaxLineBytes: 64 * 1024,
  /** Tumbling window width for the per-service, per-level metrics (seconds; must divide a day). */
  windowSeconds: 5,
  /** An event_id seen again within this many seconds is a duplicate (Redis keys live this long). */
  dedupWindowSeconds: 600,
  /** Live events, window metrics and dead letters are kept this many days (whole UTC days). */
  retentionDays: 7,
  /** Accepted events waiting to be stored above which ingest answers 429 with Retry-After. */
  maxPendingEvents: 500_000,
  /**
   * Accepted events waiting to be stored above which a worker takes no new parse jobs (until the backlog
   * is down to a fifth of it); 0 turns this off.
   */
  priorityPendingEvents: 50_000,
  /** Largest POST /api/logs body. */
  maxBodyBytes: 16 * 1024 * 1024,
  /** Most events one request (or TCP batch) may carry. */
  maxEventsPerRequest: 20_000,
} as const;

const DAY_SECONDS = 86_400;

const whole = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} is at most ${max}`));

/** The environment variables of live ingest, merged into the one configuration schema (config.ts). */
export const liveEnvShape = {
  TCP_PORT: whole('TCP_PORT', 0, 65535).optional(),
  TCP_MAX_CONNECTIONS: whole('TCP_MAX_CONNECTIONS', 1).optional(),
  TCP_IDLE_SECONDS: whole('TCP_IDLE_SECONDS', 1).optional(),
  TCP_MAX_LINE_BYTES: whole('TCP_MAX_LINE_BYTES', 256).optional(),
  WINDOW_SECONDS: whole('WINDOW_SECONDS', 1, DAY_SECONDS)
    .refine((s) => DAY_SECONDS % s === 0, 'WINDOW_SECONDS must divide 86400, so no window straddles two days')
    .optional(),
  DEDUP_WINDOW_SECONDS: whole('DEDUP_WINDOW_SECONDS', 1).optional(),
  RETENTION_DAYS: whole('RETENTION_DAYS', 1).optional(),
  INGEST_MAX_PENDING: whole('INGEST_MAX_PENDING', 1).optional(),
  LIVE_PRIORITY_PENDING: whole('LIVE_PRIORITY_PENDING', 0).optional(),
  INGEST_MAX_BODY_BYTES: whole('INGEST_MAX_BODY_BYTES', 1024).optional(),
  INGEST_MAX_EVENTS: whole('INGEST_MAX_EVENTS', 1, 1 << 20).optional(),
};

type LiveEnv = { [K in keyof typeof liveEnvShape]?: z.output<(typeof liveEnvShape)[K]> };

export interface LiveConfig {
  tcpPort: number;
  tcpMaxConnections: number;
  tcpIdleMs: number;
  tcpMaxLineBytes: number;
  windowMs: number;
  dedupWindowMs: number;
  retentionDays: number;
  maxPendingEvents: number;
  priorityPendingEvents: number;
  maxBodyBytes: number;
  maxEventsPerRequest: number;
}

export function liveConfigFrom(e: LiveEnv): LiveConfig {
  const d = LIVE_DEFAULTS;
  return {
    tcpPort: e.TCP_PORT ?? d.tcpPort,
    tcpMaxConnections: e.TCP_MAX_CONNECTIONS ?? d.tcpMaxConnections,
    tcpIdleMs: (e.TCP_IDLE_SECONDS ?? d.tcpIdleSeconds) * 1000,
    tcpMaxLineBytes: e.TCP_MAX_LINE_BYTES ?? d.tcpMaxLineBytes,
    windowMs: (e.WINDOW_SECONDS ?? d.windowSeconds) * 1000,
    dedupWindowMs: (e.DEDUP_WINDOW_SECONDS ?? d.dedupWindowSeconds) * 1000,
    retentionDays: e.RETENTION_DAYS ?? d.retentionDays,
    maxPendingEvents: e.INGEST_MAX_PENDING ?? d.maxPendingEvents,
    priorityPendingEvents: e.LIVE_PRIORITY_PENDING ?? d.priorityPendingEvents,
    maxBodyBytes: e.INGEST_MAX_BODY_BYTES ?? d.maxBodyBytes,
    maxEventsPerRequest: e.INGEST_MAX_EVENTS ?? d.maxEventsPerRequest,
  };
}
