import type { FieldValue, ParsedFields } from '../entry.js';
import { normalizeLevel } from './level.js';
import { parseTimestamp } from './timestamp.js';
import type { LogFormat, ParseContext } from './types.js';

/**
 * Apache httpd's error log:
 *   2.2: [Sun Dec 04 04:47:44 2005] [error] [client 10.0.0.1] File does not exist: /var/www/favicon.ico
 *   2.4: [Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5123]
 *        AH00128: File does not exist: /usr/local/apache2/htdocs/favicon.ico
 * The time carries no zone: it is read in the upload's `tz` (UTC by default). The level may name its
 * module (`core:error`); `trace1`..`trace8` are TRACE. The `[pid ...]`, `[client ...]` and `[remote ...]`
 * groups that follow are optional, in any order.
 */

/**
 * `[Www Mmm dd hh:mm:ss(.ffffff) yyyy]` at the line's start, read by parseTimestamp (in the upload's zone):
 * the time, its zone and the index past `]`. The weekday's letter is required, so `[2024-03-01 ...] [INFO]`
 * lines stay the plain format's.
 */
function scanTime(line: string, ctx: ParseContext): { ts: number; tz?: string; end: number } | undefined {
  if (line.charCodeAt(0) !== 91 || !/[A-Za-z]/.test(line.charAt(1))) return undefined;
  const close = line.indexOf(']', 1);
  if (close < 0) return undefined;
  const time = parseTimestamp(line.slice(1, close), ctx);
  return time && { ...time, end: close + 1 };
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
  if (time.tz !== undefined) out.tz = time.tz;
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
