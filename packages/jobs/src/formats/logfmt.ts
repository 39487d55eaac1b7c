import type { FieldValue, ParsedFields } from '../entry.js';
import { KeyReader } from './key-reader.js';
import { levelFromStatus, normalizeLevel } from './level.js';
import { parseTimestamp } from './timestamp.js';
import type { LogFormat, ParseContext } from './types.js';

/**
 * logfmt: `key=value key="quoted \" value" ...`, as written by Go's logfmt, logrus' text formatter and
 * Heroku. Every token must be a `key=value` pair (a bare word makes the line not logfmt), keys start with
 * a letter, `_` or `@` and hold no punctuation beyond `. - / @ :`, and a line has at least two pairs:
 * otherwise too many free-text lines containing one `a=b` would pass. Values stay strings in `fields`
 * except the keys recognised below.
 */

/** Fewest pairs a logfmt line has. */
const MIN_PAIRS = 2;

function isKeyChar(c: number, first: boolean): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 64) return true;
  return !first && ((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 47 || c === 58);
}

const TIME_KEYS = ['time', 'ts', 't', 'timestamp'];
/** Heroku's router writes its level as `at=info`. */
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'loglevel', 'at'];
const MESSAGE_KEYS = ['msg', 'message'];
const SERVICE_KEYS = ['service', 'app', 'svc', 'component', 'logger', 'name'];
const HOST_KEYS = ['host', 'hostname'];
const METHOD_KEYS = ['method'];
const PATH_KEYS = ['path', 'url', 'uri'];
const STATUS_KEYS = ['status', 'status_code'];
const BYTES_KEYS = ['bytes', 'size'];
const LATENCY_KEYS = ['duration', 'latency', 'elapsed', 'took', 'response_time'];

/** Splits a logfmt line into pairs; null when it is not logfmt (see above). */
export function scanLogfmt(line: string): Record<string, string> | null {
  const pairs: Record<string, string> = {};
  let count = 0;
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && isKeyChar(line.charCodeAt(i), i === keyStart)) i++;
    if (i === keyStart || line.charCodeAt(i) !== 61) return null;
    const key = line.slice(keyStart, i);
    i++;
    let value: string;
    if (line.charCodeAt(i) === 34) {
      let j = i + 1;
      let escaped = false;
      for (; j < n; j++) {
        const c = line.charCodeAt(j);
        if (c === 92) {
          escaped = true;
          j++;
        } else if (c === 34) break;
      }
      if (j >= n) return null;
      value = line.slice(i + 1, j);
      if (escaped)
        value = value.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
      i = j + 1;
      if (i < n && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) return null;
    } else {
      const start = i;
      while (i < n && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
      value = line.slice(start, i);
      if (value.includes('"')) return null;
    }
    if (key !== '__proto__') pairs[key] = value;
    count++;
  }
  return count < MIN_PAIRS ? null : pairs;
}

/** Milliseconds per Go duration unit. */
const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go-style durations ("1.5s", "250ms", "3µs", "1m2s") or bare numbers (taken as ms) in milliseconds. */
export function durationToMs(text: string): number | undefined {
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  let total = 0;
  let matched = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 0);
    matched += m[0].length;
  }
  return matched === text.length && matched > 0 ? total : undefined;
}

function integerOf(value: FieldValue): number | undefined {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

export function parseLogfmtLine(line: string, ctx: ParseContext): ParsedFields | null {
  const pairs = scanLogfmt(line);
  if (!pairs) return null;
  const keys = new KeyReader(pairs);
  const out: ParsedFields = { message: line };
  const time = keys.first(TIME_KEYS, (v) => (typeof v === 'string' ? parseTimestamp(v, ctx) : undefined));
  if (time) {
    out.ts = time.ts;
    if (time.tz !== undefined) out.tz = time.tz;
  }
  const level = keys.first(LEVEL_KEYS, (v) => (typeof v === 'string' ? normalizeLevel(v) : undefined));
  const message = keys.string(MESSAGE_KEYS);
  if (message !== undefined) out.message = message;
  const service = keys.string(SERVICE_KEYS);
  if (service !== undefined) out.service = service;
  const host = keys.string(HOST_KEYS);
  if (host !== undefined) out.host = host;
  const method = keys.string(METHOD_KEYS);
  if (method !== undefined) out.method = method;
  const target = keys.string(PATH_KEYS);
  if (target !== undefined) {
    const q = target.indexOf('?');
    out.path = q < 0 ? target : target.slice(0, q);
  }
  const status = keys.first(STATUS_KEYS, integerOf);
  if (status !== undefined) out.status = status;
  const bytes = keys.first(BYTES_KEYS, integerOf);
  if (bytes !== undefined) out.bytes = bytes;
  const latency = keys.first(LATENCY_KEYS, (v) => (typeof v === 'string' ? durationToMs(v) : undefined));
  if (latency !== undefined) out.latencyMs = latency;
  if (level) out.level = level;
  else if (status !== undefined) out.level = levelFromStatus(status);
  out.fields = keys.rest();
  return out;
}

export const logfmtFormat: LogFormat = {
  name: 'logfmt',
  description: 'logfmt key=value pairs (Go, logrus text, Heroku): time/ts, level/lvl, msg, service/app',
  fills: [
    'ts',
    'tz',
    'level',
    'service',
    'host',
    'method',
    'path',
    'status',
    'bytes',
    'latencyMs',
    'message',
    'fields',
  ],
  multiline: false,
  parse: parseLogfmtLine,
};
