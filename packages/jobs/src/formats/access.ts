import type { FieldValue, ParsedFields } from '../entry.js';
import { levelFromStatus } from './level.js';
import { scanAccessLogTime } from './timestamp.js';
import type { LogFormat } from './types.js';

/**
 * Apache/Nginx access logs, scanned by hand (indexOf, no regular expressions) because they are the
 * bulk of most uploads:
 *   common:   host ident user [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.0" 200 2326
 *   combined: common + "referer" "user agent"            (Nginx's default log_format)
 *   combined-timed: combined + request time in seconds, optionally upstream time, either bare
 *             (`0.123 0.120`) or as nginx keys (`rt=0.123 uct="0.001" uht="0.002" urt="0.120"`).
 */

type Shape = 'common' | 'combined' | 'timed';

/**
 * Index of the closing quote of a quoted string opened at `open`, honouring backslash escapes; -1 if none.
 * `escaped` says whether the line has a backslash after `open` at all (most have none).
 */
function closingQuote(s: string, open: number, escaped: boolean): number {
  if (!escaped) return s.indexOf('"', open + 1);
  let i = open + 1;
  for (;;) {
    const q = s.indexOf('"', i);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let k = q - 1; k > open && s.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return q;
    i = q + 1;
  }
}

/** Apache writes `\"` and `\\` inside quoted fields, and `\xhh` for other bytes, which stays as written. */
function unescapeQuoted(raw: string, escaped: boolean): string {
  return escaped && raw.includes('\\') ? raw.replace(/\\(["\\])/g, '$1') : raw;
}

/** Reads a non-negative decimal integer spanning [from, to), or -1. */
function integer(s: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const DECIMAL = /^\d+(?:\.\d+)?$/;

/** Non-negative decimal seconds ("0.123") or undefined; Number alone would also take "0x10", "1e3" or "". */
function seconds(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}

/**
 * Seconds as written by nginx to ms: "0.123", or "0.120, 0.003" (also ":"-separated) for retried
 * upstreams, summed. "-" alone is no time: undefined; anything else unreadable is NaN.
 */
function secondsToMs(raw: string): number | undefined {
  if (raw === '-') return undefined;
  let total = 0;
  if (raw.indexOf(',') < 0 && raw.indexOf(':') < 0) total = seconds(raw) ?? Number.NaN;
  else {
    for (const part of raw.split(/[,:] */)) if (part !== '-') total += seconds(part) ?? Number.NaN;
  }
  return Math.round(total * 1e6) / 1e3;
}

/**
 * Reads the trailing timings of the extended format into `out` and `fields`: bare seconds (request time,
 * then upstream time) or nginx keys (`rt=`, `uct="..."`, ...). False when the tail is not timings.
 */
function readTimings(
  line: string,
  from: number,
  out: ParsedFields,
  fields: Record<string, FieldValue>,
): boolean {
  let bare = 0;
  let tokens = 0;
  let i = from;
  const n = line.length;
  for (;;) {
    while (line.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    let end = line.indexOf(' ', i);
    if (end < 0) end = n;
    const eq = line.indexOf('=', i);
    let ms: number | undefined;
    if (eq > i && eq < end) {
      let value: string;
      if (line.charCodeAt(eq + 1) === 34) {
        const close = line.indexOf('"', eq + 2);
        if (close < 0) return false;
        value = line.slice(eq + 2, close);
        end = close + 1;
      } else value = line.slice(eq + 1, end);
      ms = secondsToMs(value);
      if (Number.isNaN(ms)) return false;
      const key = line.slice(i, eq);
      if (key === 'rt' || key === 'request_time') {
        if (ms !== undefined) out.latencyMs = ms;
      } else if (ms !== undefined) fields[`${key}Ms`] = ms;
    } else {
      if (bare > 1) return false;
      ms = secondsToMs(line.slice(i, end));
      if (Number.isNaN(ms)) return false;
      if (ms !== undefined) {
        if (bare === 0) out.latencyMs = ms;
        else fields.upstreamMs = ms;
      }
      bare++;
    }
    tokens++;
    i = end;
  }
  return tokens > 0;
}

/**
 * `full` false reads only what the parse stage counts (formats/types.ts, `parseIndexed`): the same lines
 * are accepted with the same values, but host, bytes and the `fields` extras are not sliced out.
 */
function parseAccessLine(line: string, shape: Shape, full: boolean): ParsedFields | null {
  const sp1 = line.indexOf(' ');
  if (sp1 <= 0) return null;
  const sp2 = line.indexOf(' ', sp1 + 1);
  if (sp2 < 0) return null;
  // host ident user [time]: the user field may hold spaces, so look for the bracket after the ident.
  const open = line.indexOf(' [', sp2);
  if (open <= sp2 || line.charCodeAt(open + 28) !== 93 /* ] */ || line.charCodeAt(open + 29) !== 32)
    return null;
  const time = scanAccessLogTime(line, open + 2);
  if (!time) return null;
  const reqOpen = open + 30;
  if (line.charCodeAt(reqOpen) !== 34) return null;
  // One scan for a backslash (most lines have none) spares each quoted field its own.
  const escaped = line.indexOf('\\', reqOpen) >= 0;
  const reqClose = closingQuote(line, reqOpen, escaped);
  if (reqClose < 0 || line.charCodeAt(reqClose + 1) !== 32) return null;
  const statusStart = reqClose + 2;
  const status = integer(line, statusStart, statusStart + 3);
  if (status < 100 || line.charCodeAt(statusStart + 3) !== 32) return null;
  const bytesStart = statusStart + 4;
  let bytesEnd = line.indexOf(' ', bytesStart);
  if (bytesEnd < 0) bytesEnd = line.length;
  const bytes =
    line.charCodeAt(bytesStart) === 45 && bytesEnd === bytesStart + 1
      ? 0
      : integer(line, bytesStart, bytesEnd);
  if (bytes < 0) return null;

  const request = unescapeQuoted(line.slice(reqOpen + 1, reqClose), escaped);
  const fields: Record<string, FieldValue> = {};
  let out: ParsedFields;
  if (full) {
    const ident = line.slice(sp1 + 1, sp2);
    const user = line.slice(sp2 + 1, open);
    if (ident !== '-') fields.ident = ident;
    if (user !== '-') fields.user = user;
    out = {
      ts: time.ts,
      tz: time.tz,
      level: levelFromStatus(status),
      host: line.slice(0, sp1),
      status,
      bytes,
      message: request,
      fields,
    };
  } else out = { ts: time.ts, tz: time.tz, level: levelFromStatus(status), status, message: request };
  const m1 = request.indexOf(' ');
  if (m1 > 0) {
    out.method = request.slice(0, m1);
    const m2 = request.indexOf(' ', m1 + 1);
    const target = m2 < 0 ? request.slice(m1 + 1) : request.slice(m1 + 1, m2);
    const q = target.indexOf('?');
    out.path = q < 0 ? target : target.slice(0, q);
    if (full && q >= 0) fields.query = target.slice(q + 1);
    if (full && m2 > 0) fields.protocol = request.slice(m2 + 1);
  }

  if (shape === 'common') {
    let rest = bytesEnd;
    while (line.charCodeAt(rest) === 32) rest++;
    return rest >= line.length ? out : null;
  }
  // combined: two more quoted strings.
  const refOpen = bytesEnd + 1;
  if (line.charCodeAt(bytesEnd) !== 32 || line.charCodeAt(refOpen) !== 34) return null;
  const refClose = closingQuote(line, refOpen, escaped);
  if (refClose < 0 || line.charCodeAt(refClose + 1) !== 32 || line.charCodeAt(refClose + 2) !== 34)
    return null;
  const uaClose = closingQuote(line, refClose + 2, escaped);
  if (uaClose < 0) return null;
  if (full) {
    const referer = unescapeQuoted(line.slice(refOpen + 1, refClose), escaped);
    const agent = unescapeQuoted(line.slice(refClose + 3, uaClose), escaped);
    if (referer !== '-') fields.referer = referer;
    if (agent !== '-') fields.userAgent = agent;
  }
  let rest = uaClose + 1;
  while (line.charCodeAt(rest) === 32) rest++;
  if (shape === 'combined') return rest >= line.length ? out : null;
  if (rest >= line.length || rest === uaClose + 1) return null;
  return readTimings(line, rest, out, fields) ? out : null;
}

const ACCESS_FILLS = [
  'ts',
  'tz',
  'level',
  'host',
  'method',
  'path',
  'status',
  'bytes',
  'message',
  'fields',
] as const;

export const commonFormat: LogFormat = {
  name: 'common',
  description: 'Apache/Nginx Common Log Format: host ident user [time] "request" status bytes',
  fills: ACCESS_FILLS,
  multiline: false,
  parse: (line) => parseAccessLine(line, 'common', true),
  parseIndexed: (line) => parseAccessLine(line, 'common', false),
};

export const combinedFormat: LogFormat = {
  name: 'combined',
  description: 'Apache/Nginx Combined Log Format (Nginx default): common + "referer" "user agent"',
  fills: ACCESS_FILLS,
  multiline: false,
  parse: (line) => parseAccessLine(line, 'combined', true),
  parseIndexed: (line) => parseAccessLine(line, 'combined', false),
};

export const combinedTimedFormat: LogFormat = {
  name: 'combined-timed',
  description: 'Combined + request time in seconds and optional upstream time (bare or rt=/urt= keys)',
  fills: [...ACCESS_FILLS, 'latencyMs'],
  multiline: false,
  parse: (line) => parseAccessLine(line, 'timed', true),
  parseIndexed: (line) => parseAccessLine(line, 'timed', false),
};
