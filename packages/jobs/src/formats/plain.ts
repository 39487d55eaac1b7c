import type { ParsedFields } from '../entry.js';
import { normalizeLevel } from './level.js';
import { type ScannedTime, scanIsoDateTime } from './timestamp.js';
import type { LogFormat, ParseContext } from './types.js';

/**
 * The plain application style `<timestamp> <LEVEL> [service] message`, scanned by hand.
 * Timestamp: ISO 8601 (`T` or space, optional fraction with `.` or `,`, optional zone), optionally in
 * square brackets, or epoch seconds (10 digits, optional fraction) or milliseconds (13 digits).
 * LEVEL is optional and may be written `INFO`, `[INFO]`, `<INFO>` or `INFO:`; single letters are not
 * taken here (too easily the first word of a message). `[service]` is optional.
 */

/** A `[service]` longer than this is taken as part of the message. */
const MAX_SERVICE_CHARS = 128;

function scanEpoch(line: string): ScannedTime | undefined {
  let i = 0;
  while (i < 14) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i === 13) return { ts: Number(line.slice(0, 13)), tz: undefined, end: 13 };
  if (i !== 10) return undefined;
  let end = 10;
  if (line.charCodeAt(10) === 46) {
    end = 11;
    while (end < 20 && line.charCodeAt(end) >= 48 && line.charCodeAt(end) <= 57) end++;
    if (end === 11) return undefined;
  }
  return { ts: Math.round(Number(line.slice(0, end)) * 1000), tz: undefined, end };
}

function scanTimestamp(
  line: string,
  ctx: ParseContext,
): { ts: number; tz?: string; end: number } | undefined {
  const first = line.charCodeAt(0);
  if (first === 91 /* [ */) {
    const t = scanIsoDateTime(line, 1, ctx);
    if (!t || line.charCodeAt(t.end) !== 93) return undefined;
    t.end++;
    return t;
  }
  if (first < 48 || first > 57) return undefined;
  if (line.charCodeAt(4) === 45) return scanIsoDateTime(line, 0, ctx);
  return scanEpoch(line);
}

function skipSpaces(line: string, i: number): number {
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  return i;
}

export function parsePlainLine(line: string, ctx: ParseContext): ParsedFields | null {
  const time = scanTimestamp(line, ctx);
  if (!time) return null;
  let i = time.end;
  if (i < line.length && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) return null;
  i = skipSpaces(line, i);
  const out: ParsedFields = { ts: time.ts, message: '' };
  if (time.tz !== undefined) out.tz = time.tz;

  let tokenEnd = line.indexOf(' ', i);
  if (tokenEnd < 0) tokenEnd = line.length;
  if (tokenEnd - i >= 3 && tokenEnd - i <= 16) {
    let a = i;
    let b = tokenEnd;
    const open = line.charCodeAt(a);
    if (line.charCodeAt(b - 1) === 58 /* : */) b--;
    if ((open === 91 && line.charCodeAt(b - 1) === 93) || (open === 60 && line.charCodeAt(b - 1) === 62)) {
      a++;
      b--;
    }
    const level = b - a >= 2 ? normalizeLevel(line.slice(a, b)) : undefined;
    if (level) {
      out.level = level;
      i = skipSpaces(line, tokenEnd);
    }
  }
  if (line.charCodeAt(i) === 91) {
    const close = line.indexOf(']', i + 1);
    if (close > i + 1 && close - i <= MAX_SERVICE_CHARS) {
      out.service = line.slice(i + 1, close);
      i = skipSpaces(line, close + 1);
    }
  }
  out.message = line.slice(i);
  return out;
}

export const plainFormat: LogFormat = {
  name: 'plain',
  description: 'Plain lines: <timestamp> <LEVEL> [service] message (ISO 8601 or epoch timestamps)',
  fills: ['ts', 'tz', 'level', 'service', 'message'],
  multiline: true,
  parse: parsePlainLine,
};
