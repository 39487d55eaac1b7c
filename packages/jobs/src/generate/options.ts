/** What `logsift generate` can be asked for, and the defaults that make its output reproducible. */

export const GENERATE_FORMATS = ['access', 'json', 'plain'] as const;
export type GenerateFormat = (typeof GENERATE_FORMATS)[number];

/** A stretch of lines where errors (5xx responses, ERROR records) replace normal traffic. */
export interface ErrorBurst {
  /** 0-based index of the first line of the burst. Give this or `atMinute`. */
  atLine?: number;
  /** Minutes after the start time where the burst begins (converted with `linesPerSecond`). */
  atMinute?: number;
  /** How many lines the burst lasts. */
  lines: number;
  /** Share of the burst's lines that are errors, 0..1. */
  rate: number;
  /** Service the errors come from (json and plain); default: spread over all services. */
  service?: string;
}

/** A message shape that appears from `atLine` on and never before, for template-novelty tests. */
export interface NewTemplate {
  /** 0-based index of the line where the new shape first appears. */
  atLine: number;
  /**
   * The message, with optional variables filled per occurrence: `{id}` (integer), `{ms}` (duration),
   * `{count}`, `{hex}` (8 hex digits), `{ip}`. For access logs it is the request path.
   */
  message: string;
  /** How many occurrences to emit (default 50). */
  count?: number;
  /** Lines between occurrences (default 10): occurrences land on atLine, atLine + every, ... */
  every?: number;
}

export interface GenerateOptions {
  format: GenerateFormat;
  /** Number of lines to write; every line ends with "\n". */
  lines: number;
  /** Same seed, same options: identical bytes. Reduced to an unsigned 32-bit integer. Default 1. */
  seed?: number;
  /** Timestamp of the first line, epoch ms or an ISO 8601 string. Default 2024-01-15T10:00:00.000Z. */
  start?: number | string;
  /** Lines per second of log time. Default 1000 for access logs, 100 for json and plain. */
  linesPerSecond?: number;
  /** Service names for json and plain records (access logs carry none). */
  services?: readonly string[];
  /** Access logs only: append nginx's `$request_time` (seconds, 3 decimals) after the user agent. Default false. */
  withRequestTime?: boolean;
  errorBurst?: ErrorBurst;
  newTemplate?: NewTemplate;
}

export const DEFAULT_START = Date.UTC(2024, 0, 15, 10, 0, 0, 0);
export const DEFAULT_SERVICES = ['api', 'auth', 'payments', 'search'] as const;
export const DEFAULT_SEED = 1;
const DEFAULT_RATE: Record<GenerateFormat, number> = { access: 1000, json: 100, plain: 100 };

/** Options with every default filled and the burst resolved to line indices. */
export interface ResolvedOptions {
  format: GenerateFormat;
  lines: number;
  seed: number;
  start: number;
  linesPerSecond: number;
  services: readonly string[];
  withRequestTime: boolean;
  /** Burst as a half-open line range [from, to), or undefined. */
  burst?: { from: number; to: number; rate: number; service?: string };
  newTemplate?: { atLine: number; message: string; count: number; every: number };
}

function requireInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** Fills defaults and checks ranges; throws a RangeError naming the bad option. */
export function resolveGenerateOptions(options: GenerateOptions): ResolvedOptions {
  if (!GENERATE_FORMATS.includes(options.format)) {
    throw new RangeError(
      `format must be one of ${GENERATE_FORMATS.join(', ')}, got ${String(options.format)}`,
    );
  }
  const lines = requireInteger('lines', options.lines, 0);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a number, got ${seed}`);
  const start =
    typeof options.start === 'string' ? Date.parse(options.start) : (options.start ?? DEFAULT_START);
  if (!Number.isFinite(start))
    throw new RangeError(`start must be epoch ms or an ISO 8601 date, got ${options.start}`);
  const linesPerSecond = options.linesPerSecond ?? DEFAULT_RATE[options.format];
  if (!(linesPerSecond > 0) || !Number.isFinite(linesPerSecond)) {
    throw new RangeError(`linesPerSecond must be a positive number, got ${linesPerSecond}`);
  }
  const services = options.services ?? DEFAULT_SERVICES;
  if (services.length === 0 || services.some((s) => s === '')) {
    throw new RangeError('services must hold at least one non-empty name');
  }
  const resolved: ResolvedOptions = {
    format: options.format,
    lines,
    seed: seed >>> 0,
    start,
    linesPerSecond,
    services,
    withRequestTime: options.withRequestTime ?? false,
  };
  const burst = options.errorBurst;
  if (burst) {
    const from =
      burst.atLine ??
      (burst.atMinute === undefined ? undefined : Math.round(burst.atMinute * 60 * linesPerSecond));
    if (from === undefined) throw new RangeError('errorBurst needs atLine or atMinute');
    requireInteger('errorBurst.atLine', from, 0);
    requireInteger('errorBurst.lines', burst.lines, 0);
    if (!(burst.rate >= 0 && burst.rate <= 1))
      throw new RangeError(`errorBurst.rate must be within 0..1, got ${burst.rate}`);
    if (burst.service !== undefined && !services.includes(burst.service)) {
      throw new RangeError(`errorBurst.service ${burst.service} is not one of the services`);
    }
    resolved.burst = { from, to: from + burst.lines, rate: burst.rate, service: burst.service };
  }
  const fresh = options.newTemplate;
  if (fresh) {
    if (fresh.message === '' || /[\r\n]/.test(fresh.message)) {
      throw new RangeError('newTemplate.message must be one non-empty line');
    }
    resolved.newTemplate = {
      atLine: requireInteger('newTemplate.atLine', fresh.atLine, 0),
      message: fresh.message,
      count: requireInteger('newTemplate.count', fresh.count ?? 50, 1),
      every: requireInteger('newTemplate.every', fresh.every ?? 10, 1),
    };
  }
  return resolved;
}
