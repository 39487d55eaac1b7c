import type { FieldValue, ParsedFields } from '../entry.js';
import { scanPri } from './syslog-pri.js';
import { monthAt, resolveYearless, scanIsoDateTime } from './timestamp.js';
import type { LogFormat, ParseContext } from './types.js';

/**
 * BSD syslog (RFC 3164): `[<PRI>]Mmm dd hh:mm:ss host tag[pid]: message`, with or without PRI and PID.
 * The date has no year: it is resolved against `ctx.referenceTime` (see resolveYearless). The RFC 3339
 * timestamp rsyslog writes in its place is accepted too. A message without a `tag:` keeps everything
 * after the host.
 */

function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** `Mmm dd hh:mm:ss[.fff]` at `i` (day may be space-padded); returns the index after it. */
function scanBsdTime(
  line: string,
  i: number,
  ctx: ParseContext,
): { ts: number; tz?: string; end: number } | undefined {
  const month = monthAt(line, i);
  if (month === undefined || line.charCodeAt(i + 3) !== 32) return undefined;
  let p = i + 4;
  if (line.charCodeAt(p) === 32) p++;
  let day = line.charCodeAt(p) - 48;
  if (day < 0 || day > 9) return undefined;
  p++;
  const d2 = line.charCodeAt(p) - 48;
  if (d2 >= 0 && d2 <= 9) {
    day = day * 10 + d2;
    p++;
  }
  if (line.charCodeAt(p) !== 32 || line.charCodeAt(p + 3) !== 58 || line.charCodeAt(p + 6) !== 58)
    return undefined;
  const hour = twoDigits(line, p + 1);
  const minute = twoDigits(line, p + 4);
  const second = twoDigits(line, p + 7);
  if (hour < 0 || minute < 0 || second < 0) return undefined;
  p += 9;
  let ms = 0;
  if (line.charCodeAt(p) === 46) {
    let scale = 100;
    p++;
    for (let c = line.charCodeAt(p) - 48; c >= 0 && c <= 9; c = line.charCodeAt(++p) - 48) {
      ms += c * scale;
      scale /= 10;
    }
  }
  const t = resolveYearless(month, day, hour, minute, second, Math.floor(ms), ctx);
  return t && { ts: t.ts, tz: t.tz, end: p };
}

/** Tag characters end at `[`, `:` or a space; a tag is at most 48 characters (RFC 3164 says 32). */
function scanTag(line: string, i: number): { tag: string; pid?: string; end: number } | undefined {
  let p = i;
  const limit = Math.min(line.length, i + 48);
  while (p < limit) {
    const c = line.charCodeAt(p);
    if (c === 91 || c === 58 || c === 32) break;
    p++;
  }
  if (p === i) return undefined;
  const tag = line.slice(i, p);
  let pid: string | undefined;
  if (line.charCodeAt(p) === 91) {
    const close = line.indexOf(']', p + 1);
    if (close < 0 || close - p > 24) return undefined;
    pid = line.slice(p + 1, close);
    p = close + 1;
  }
  if (line.charCodeAt(p) !== 58) return undefined;
  p++;
  if (p < line.length && line.charCodeAt(p) !== 32) return undefined;
  return pid === undefined ? { tag, end: p } : { tag, pid, end: p };
}

export function parseRfc3164Line(line: string, ctx: ParseContext): ParsedFields | null {
  const pri = scanPri(line);
  const start = pri ? pri.end : 0;
  // rsyslog's RFC 3339 form always has the `T`; a space there is an application's own line, not syslog.
  const time =
    line.charCodeAt(start) <= 57
      ? line.charCodeAt(start + 10) === 84
        ? scanIsoDateTime(line, start, ctx)
        : undefined
      : scanBsdTime(line, start, ctx);
  if (!time || line.charCodeAt(time.end) !== 32) return null;
  const hostStart = time.end + 1;
  const hostEnd = line.indexOf(' ', hostStart);
  if (hostEnd <= hostStart) return null;
  const out: ParsedFields = { ts: time.ts, host: line.slice(hostStart, hostEnd), message: '' };
  if (time.tz !== undefined) out.tz = time.tz;
  const fields: Record<string, FieldValue> = {};
  if (pri) {
    out.level = pri.level;
    fields.facility = pri.facility;
  }
  const tag = scanTag(line, hostEnd + 1);
  if (tag) {
    out.service = tag.tag;
    if (tag.pid !== undefined) fields.pid = tag.pid;
    out.message = line.slice(tag.end + 1);
  } else out.message = line.slice(hostEnd + 1);
  out.fields = fields;
  return out;
}

export const rfc3164Format: LogFormat = {
  name: 'syslog3164',
  description: 'BSD syslog (RFC 3164): [<PRI>]Mmm dd hh:mm:ss host tag[pid]: message',
  fills: ['ts', 'tz', 'level', 'host', 'service', 'message', 'fields'],
  multiline: true,
  parse: parseRfc3164Line,
};
