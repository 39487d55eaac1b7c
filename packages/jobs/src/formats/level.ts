import { LEVELS, type Level } from '../entry.js';

/**
 * Level spellings seen in the wild, lower-cased, mapped to our six levels.
 * syslog's "notice" is INFO; "crit", "alert", "emerg" and "panic" are FATAL; java.util.logging's
 * "severe"/"fine"/"finest" and .NET's "verbose"/"critical" are included.
 */
const LEVEL_WORDS = new Map<string, Level>(
  Object.entries({
    trace: 'TRACE',
    finest: 'TRACE',
    finer: 'TRACE',
    verbose: 'TRACE',
    debug: 'DEBUG',
    dbg: 'DEBUG',
    fine: 'DEBUG',
    config: 'DEBUG',
    info: 'INFO',
    inf: 'INFO',
    information: 'INFO',
    informational: 'INFO',
    notice: 'INFO',
    warn: 'WARN',
    wrn: 'WARN',
    warning: 'WARN',
    error: 'ERROR',
    err: 'ERROR',
    eror: 'ERROR',
    severe: 'ERROR',
    failure: 'ERROR',
    fatal: 'FATAL',
    crit: 'FATAL',
    critical: 'FATAL',
    alert: 'FATAL',
    emerg: 'FATAL',
    emergency: 'FATAL',
    panic: 'FATAL',
  } satisfies Record<string, Level>),
);

/** Single-letter levels as written by glog, logcat and zap's console encoder; only upper case is unambiguous. */
const LEVEL_LETTERS: Record<string, Level> = {
  V: 'TRACE',
  T: 'TRACE',
  D: 'DEBUG',
  I: 'INFO',
  W: 'WARN',
  E: 'ERROR',
  F: 'FATAL',
};

/** syslog severities 0 (emerg) .. 7 (debug). */
const SYSLOG_SEVERITY: readonly Level[] = [
  'FATAL',
  'FATAL',
  'FATAL',
  'ERROR',
  'WARN',
  'INFO',
  'INFO',
  'DEBUG',
];

export function levelFromSyslogSeverity(severity: number): Level | undefined {
  return SYSLOG_SEVERITY[severity];
}

/** pino/bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal; custom values in between round down. */
export function levelFromPinoNumber(n: number): Level | undefined {
  if (!Number.isFinite(n) || n < 10) return undefined;
  return LEVELS[Math.min(5, Math.floor(n / 10) - 1)];
}

/** Access logs carry no level: 5xx is ERROR, 4xx WARN, anything else INFO. */
export function levelFromStatus(status: number): Level {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO';
}

/**
 * Normalises a level as written to one of TRACE..FATAL, or undefined when it is not a level.
 * Numbers 0..7 are syslog severities, 10 and up pino/bunyan levels; numeric strings are read the same way.
 */
export function normalizeLevel(value: string | number | null | undefined): Level | undefined {
  if (typeof value === 'number') return levelFromNumber(value);
  if (typeof value !== 'string' || value.length === 0 || value.length > 16) return undefined;
  if ((LEVELS as readonly string[]).includes(value)) return value as Level;
  const c = value.charCodeAt(0);
  if (c >= 48 && c <= 57) return /^\d+$/.test(value) ? levelFromNumber(Number(value)) : undefined;
  if (value.length === 1) return Object.hasOwn(LEVEL_LETTERS, value) ? LEVEL_LETTERS[value] : undefined;
  return LEVEL_WORDS.get(value.toLowerCase());
}

function levelFromNumber(n: number): Level | undefined {
  if (Number.isInteger(n) && n >= 0 && n <= 7) return levelFromSyslogSeverity(n);
  return levelFromPinoNumber(n);
}
