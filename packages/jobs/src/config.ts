import { resolve } from 'node:path';
import { z } from 'zod';
import { type LiveConfig, liveConfigFrom, liveEnvShape } from './live/config.js';

/** Named limits and defaults, in one place. Sizes in bytes, times in milliseconds unless named otherwise. */
export const DEFAULTS = {
  port: 3000,
  host: '127.0.0.1',
  redisUrl: 'redis://127.0.0.1:6379',
  dataDir: './data',
  workerConcurrency: 2,
  chunkBytes: 2 * 1024 * 1024,
  maxUploadBytes: 2 * 1024 * 1024 * 1024,
  queuePrefix: 'logsift',
  logLevel: 'info',
  /** How long `?wait=true` holds an upload response before answering 202 anyway. */
  uploadWaitMs: 120_000,
  /** Base port of a worker's /metrics and /ready; 0 turns it off (see docs/deploy.md for several workers). */
  workerMetricsPort: 9464,
  /** Worker shutdown: how long running jobs get to finish after SIGTERM before they are abandoned to retry. */
  shutdownGraceMs: 20_000,
  /**
   * How often workers look for jobs whose worker died (BullMQ's `stalledInterval`). A killed worker's job is
   * retried once its lock has expired (`jobLockMs`) and the next check runs: within jobLockMs + this.
   */
  stalledIntervalMs: 30_000,
  /** Lock on a running job, renewed at half this interval; a dead worker's lock expires after it. */
  jobLockMs: 60_000,
  /** A connection that sends and receives nothing for this long is cut (slow but moving uploads are not). */
  idleTimeoutMs: 30_000,
  /** How long an SQLite writer waits for another's lock before SQLITE_BUSY (then the job is retried). */
  dbBusyTimeoutMs: 15_000,
  /** Requests per caller (token name) in each rate-limit window: high enough for live ingest (1,000 requests/s). */
  rateLimitMax: 60_000,
  rateLimitWindowMs: 60_000,
  /** Uploads one caller may have streaming into this API at once. */
  uploadsInFlightMax: 4,
} as const;

export const STAGES = ['parse', 'clean', 'analyze', 'report'] as const;
export type Stage = (typeof STAGES)[number];

/** Queues of live events: storing accepted batches, and the retention schedule. */
export const LIVE_QUEUES = ['ingest', 'retention'] as const;
export type LiveQueue = (typeof LIVE_QUEUES)[number];

const intFrom = (name: string, min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`));

/** `name=token` pairs, comma separated. A name is who the caller is (and, for live events, its service). */
const tokensFrom = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const tokens = new Map<string, string>();
    for (const pair of s
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const token = pair.slice(eq + 1).trim();
      if (eq <= 0 || !token) {
        ctx.addIssue({ code: 'custom', message: `LOGSIFT_TOKENS: "${pair}" is not a name=token pair` });
        return z.NEVER;
      }
      if (token.length < 16) {
        ctx.addIssue({
          code: 'custom',
          message: `LOGSIFT_TOKENS: the token for "${name}" is shorter than 16 characters`,
        });
        return z.NEVER;
      }
      tokens.set(token, name);
    }
    return tokens;
  });

const envSchema = z.object({
  PORT: intFrom('PORT', 0).pipe(z.number().max(65535)).optional(),
  HOST: z.string().trim().min(1).optional(),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  DATA_DIR: z.string().trim().min(1).optional(),
  DATABASE_URL: z.string().trim().min(1).optional(),
  LOGSIFT_TOKENS: tokensFrom.optional(),
  LOGSIFT_ADMINS: z.string().optional(),
  WORKER_CONCURRENCY: intFrom('WORKER_CONCURRENCY', 1).optional(),
  WORKER_QUEUES: z.string().optional(),
  CHUNK_BYTES: intFrom('CHUNK_BYTES', 4096).optional(),
  MAX_UPLOAD_BYTES: intFrom('MAX_UPLOAD_BYTES', 1).optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'QUEUE_PREFIX may hold letters, digits, _ . - only')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  UPLOAD_WAIT_MS: intFrom('UPLOAD_WAIT_MS', 0).optional(),
  BOARD_READ_ONLY: z.enum(['true', 'false']).optional(),
  WORKER_METRICS_PORT: intFrom('WORKER_METRICS_PORT', 0).pipe(z.number().max(65535)).optional(),
  TRUST_PROXY: z.enum(['true', 'false']).optional(),
  ...liveEnvShape,
  STALLED_INTERVAL_MS: intFrom('STALLED_INTERVAL_MS', 100).optional(),
  JOB_LOCK_MS: intFrom('JOB_LOCK_MS', 1000).optional(),
  IDLE_TIMEOUT_MS: intFrom('IDLE_TIMEOUT_MS', 100).optional(),
  DB_BUSY_TIMEOUT_MS: intFrom('DB_BUSY_TIMEOUT_MS', 0).optional(),
  RATE_LIMIT_MAX: intFrom('RATE_LIMIT_MAX', 1).optional(),
  RATE_LIMIT_WINDOW_MS: intFrom('RATE_LIMIT_WINDOW_MS', 1000).optional(),
  RATE_LIMITS: z.string().optional(),
  UPLOADS_IN_FLIGHT_MAX: intFrom('UPLOADS_IN_FLIGHT_MAX', 1).optional(),
});

export interface Config {
  port: number;
  host: string;
  redisUrl: string;
  dataDir: string;
  databaseUrl: string;
  /** token -> caller name. Empty when LOGSIFT_TOKENS is unset (the launcher then creates one). */
  tokens: Map<string, string>;
  /** Caller names allowed to use the admin pages (Bull Board). Default: "admin". */
  admins: Set<string>;
  workerConcurrency: number;
  /** Stage queues this worker process serves (default all). */
  workerQueues: Stage[];
  /** Live queues this worker process serves (default all); WORKER_QUEUES names both kinds. */
  liveQueues: LiveQueue[];
  chunkBytes: number;
  maxUploadBytes: number;
  queuePrefix: string;
  logLevel: string;
  uploadWaitMs: number;
  /** Bull Board without its retry / clean / remove actions. */
  boardReadOnly: boolean;
  /** Port of the worker's /metrics, /health and /ready (bound to `host`); 0 when off. */
  workerMetricsPort: number;
  /**
   * Behind a TLS-terminating proxy: trust X-Forwarded-Proto/-Host, so the sign-in cookie is marked Secure and
   * the CSRF origin check compares with the address the browser used.
   */
  trustProxy: boolean;
  live: LiveConfig;
  stalledIntervalMs: number;
  jobLockMs: number;
  idleTimeoutMs: number;
  dbBusyTimeoutMs: number;
  /** Requests per window for callers without an entry in `rateLimits`. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** Per token name: requests per window (RATE_LIMITS, `name=max` pairs). */
  rateLimits: Map<string, number>;
  uploadsInFlightMax: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([k, v]) => k in envSchema.shape && v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'env'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR ?? DEFAULTS.dataDir);
  const known: readonly string[] = [...STAGES, ...LIVE_QUEUES];
  const queues = (e.WORKER_QUEUES ?? known.join(','))
    .split(',')
    .map((q) => q.trim())
    .filter(Boolean);
  const unknown = queues.filter((q) => !known.includes(q));
  if (unknown.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n  WORKER_QUEUES: unknown queue(s) ${unknown.join(', ')}; known: ${known.join(', ')}`,
    );
  }
  const rateLimits = parseRateLimits(e.RATE_LIMITS ?? '');
  return {
    port: e.PORT ?? DEFAULTS.port,
    host: e.HOST ?? DEFAULTS.host,
    redisUrl: e.REDIS_URL ?? DEFAULTS.redisUrl,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${resolve(dataDir, 'logsift.db')}`,
    tokens: e.LOGSIFT_TOKENS ?? new Map(),
    admins: new Set(
      (e.LOGSIFT_ADMINS ?? 'admin')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    workerConcurrency: e.WORKER_CONCURRENCY ?? DEFAULTS.workerConcurrency,
    workerQueues: queues.filter((q): q is Stage => (STAGES as readonly string[]).includes(q)),
    liveQueues: queues.filter((q): q is LiveQueue => (LIVE_QUEUES as readonly string[]).includes(q)),
    chunkBytes: e.CHUNK_BYTES ?? DEFAULTS.chunkBytes,
    maxUploadBytes: e.MAX_UPLOAD_BYTES ?? DEFAULTS.maxUploadBytes,
    queuePrefix: e.QUEUE_PREFIX ?? DEFAULTS.queuePrefix,
    logLevel: e.LOG_LEVEL ?? DEFAULTS.logLevel,
    uploadWaitMs: e.UPLOAD_WAIT_MS ?? DEFAULTS.uploadWaitMs,
    boardReadOnly: e.BOARD_READ_ONLY === 'true',
    workerMetricsPort: e.WORKER_METRICS_PORT ?? DEFAULTS.workerMetricsPort,
    trustProxy: e.TRUST_PROXY === 'true',
    live: liveConfigFrom(e),
    stalledIntervalMs: e.STALLED_INTERVAL_MS ?? DEFAULTS.stalledIntervalMs,
    jobLockMs: e.JOB_LOCK_MS ?? DEFAULTS.jobLockMs,
    idleTimeoutMs: e.IDLE_TIMEOUT_MS ?? DEFAULTS.idleTimeoutMs,
    dbBusyTimeoutMs: e.DB_BUSY_TIMEOUT_MS ?? DEFAULTS.dbBusyTimeoutMs,
    rateLimitMax: e.RATE_LIMIT_MAX ?? DEFAULTS.rateLimitMax,
    rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS ?? DEFAULTS.rateLimitWindowMs,
    rateLimits,
    uploadsInFlightMax: e.UPLOADS_IN_FLIGHT_MAX ?? DEFAULTS.uploadsInFlightMax,
  };
}

/** `name=max` pairs, comma separated: a token name's own request budget per rate-limit window. */
function parseRateLimits(text: string): Map<string, number> {
  const limits = new Map<string, number>();
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\d+)$/.exec(pair);
    if (!match || Number(match[2]) < 1) {
      throw new ConfigError(
        `Invalid configuration:\n  RATE_LIMITS: "${pair}" is not a name=max pair with max at least 1`,
      );
    }
    limits.set(match[1] as string, Number(match[2]));
  }
  return limits;
}

/** For a process's start: the configuration, or the reason it is invalid on stderr and exit code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
