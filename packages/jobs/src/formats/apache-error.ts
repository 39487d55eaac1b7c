import type { FieldValue, ParsedFields } from '../entry.js';
import { normalizeLevel } from './level.js';
import { civilToEpochMs, wallClockToUtc } from './time.js';
import { monthAt } from './timestamp.js';
import type { LogFormat, ParseContext } from './types.js';

/**
 * Apache httpd's error log, scanned by hand:
 *   2.2: [Sun Dec 04 04:47:44 2005] [error] [client 10.0.0.1] File does not exist: /var/www/favicon.ico
 *   2.4: [Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5123]
 *        AH00128: File does not exist: /usr/local/apache2/htdocs/favicon.ico
 * The time carries no zone: it is read in the upload's `tz` (UTC by default). The level may name its
 * module (`core:error`); `trace1`..`trace8` are TRACE. The `[pid ...]`, `[client ...]` and `[remote ...]`
 * groups that follow are optional, in any order.
 */

function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at `i`; a leading space stands for 0 (Apache pads days that way in some builds). */
function twoDigits(s: string, i: number, spacePadded = false): number {
  const a = spacePadded && s.charCodeAt(i) === 32 ? 0 : digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** `[Www Mmm dd hh:mm:ss(.ffffff) yyyy]` at the line's start: epoch ms and the index past `]`. */
function scanTime(line: string, ctx: ParseContext): { ts: number; end: number } | undefined {
  if (line.charCodeAt(0) !== 91 || line.charCodeAt(4) !== 32 || line.charCodeAt(8) !== 32) return undefined;
  if (line.charCodeAt(11) !== 32 || line.charCodeAt(14) !== 58 || line.charCodeAt(17) !== 58)
    return undefined;
  const month = monthAt(line, 5);
  const day = twoDigits(line, 9, true);
  const hour = twoDigits(line, 12);
  const minute = twoDigits(line, 15);
  const second = twoDigits(line, 18);
  if (month === undefined || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let i = 20;
  let ms = 0;
  if (line.charCodeAt(i) === 46) {
    const from = ++i;
    while (digitAt(line, i) >= 0) i++;
    if (i === from) return undefined;
    ms = Number(`${line.slice(from, Math.min(i, from + 3))}00`.slice(0, 3));
  }
  if (line.charCodeAt(i) !== 32) return undefined;
  const century = twoDigits(line, i + 1);
  const yy = twoDigits(line, i + 3);
  if (century < 0 || yy < 0 || line.charCodeAt(i + 5) !== 93) return undefined;
  const wall = civilToEpochMs(century * 100 + yy, month, day, hour, minute, second, ms);
  if (wall === undefined) return undefined;
  return { ts: ctx.tz === undefined ? wall : wallClockToUtc(wall, ctx.tz), end: i + 6 };
}

/** `error`, `core:error`, `trace3`, as a level; undefined when it is none. */
function levelOf(token: string): ParsedFields['level'] {
  const colon = token.lastIndexOf(':');
  const word = colon >= 0 ? token.slice(colon + 1) : token;
  return /^trace[1-8]$/.test(word) ? 'TRACE' : normalizeLevel(word);
}

/** `10.0.0.1:5123` -> `10.0.0.1`; other addresses (names, IPv6) stay as written. */
function withoutPort(address: string): string {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  return m ? (m[1] as string) : address;
}

export function parseApacheErrorLine(line: string, ctx: ParseContext): ParsedFields | null {
  const time = scanTime(line, ctx);
  if (!time) return null;
  if (line.charCodeAt(time.end) !== 32 || line.charCodeAt(time.end + 1) !== 91) return null;
  const levelEnd = line.indexOf(']', time.end + 2);
  if (levelEnd < 0) return null;
  const token = line.slice(time.end + 2, levelEnd);
  const level = levelOf(token);
  if (!level) return null;
  const out: ParsedFields = { ts: time.ts, level, message: '' };
  if (ctx.tz !== undefined) out.tz = ctx.tz;
  const fields: Record<string, FieldValue> = {};
  const colon = token.lastIndexOf(':');
  if (colon > 0) fields.module = token.slice(0, colon);
  let i = levelEnd + 1;
  for (;;) {
    while (line.charCodeAt(i) === 32) i++;
    if (line.charCodeAt(i) !== 91) break;
    const close = line.indexOf(']', i);
    if (close < 0) break;
    const group = line.slice(i + 1, close);
    if (group.startsWith('pid ')) {
      const [pid, tid] = group.slice(4).split(':tid ');
      fields.pid = pid as string;
      if (tid !== undefined) fields.tid = tid;
    } else if (group.startsWith('client ')) {
      out.host = withoutPort(group.slice(7));
    } else if (group.startsWith('remote ')) {
      fields.remote = group.slice(7);
    } else break; // a bracket of the message itself
    i = close + 1;
  }
  out.message = line.slice(i);
  if (Object.keys(fields).length > 0) out.fields = fields;
  return out;
}

export const apacheErrorFormat: LogFormat = {
  name: 'apache-error',
  description: 'Apache httpd error log: [Www Mmm dd hh:mm:ss yyyy] [module:level] [pid] [client] message',
  fills: ['ts', 'tz', 'level', 'host', 'message', 'fields'],
  parse: parseApacheErrorLine,
};
