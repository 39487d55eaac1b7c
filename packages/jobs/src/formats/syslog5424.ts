import type { FieldValue, ParsedFields } from '../entry.js';
import { scanPri } from './syslog-pri.js';
import { scanIsoDateTime } from './timestamp.js';
import type { LogFormat, ParseContext } from './types.js';

/**
 * syslog RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`, `-` for nil.
 * Structured data is kept in `fields` as `sd.<SD-ID>.<PARAM-NAME>` (`sd.exampleSDID@32473.iut`);
 * values are unescaped (`\"`, `\\`, `\]`). A BOM opening MSG is dropped.
 */

/** Parses structured data at `i`; returns the index after it, or -1 when malformed. */
function scanStructuredData(line: string, i: number, fields: Record<string, FieldValue>): number {
  if (line.charCodeAt(i) === 45) return i + 1;
  if (line.charCodeAt(i) !== 91) return -1;
  let p = i;
  while (line.charCodeAt(p) === 91) {
    p++;
    let idEnd = p;
    while (idEnd < line.length && line.charCodeAt(idEnd) !== 32 && line.charCodeAt(idEnd) !== 93) idEnd++;
    if (idEnd === p || idEnd >= line.length) return -1;
    const id = line.slice(p, idEnd);
    p = idEnd;
    while (line.charCodeAt(p) === 32) {
      const eq = line.indexOf('="', p + 1);
      if (eq < 0) return -1;
      const name = line.slice(p + 1, eq);
      if (name === '' || name.includes(' ') || name.includes(']')) return -1;
      let value = '';
      let q = eq + 2;
      for (;;) {
        if (q >= line.length) return -1;
        const c = line.charCodeAt(q);
        if (c === 34) break;
        if (c === 92 && q + 1 < line.length) {
          const next = line[q + 1];
          if (next === '"' || next === '\\' || next === ']') {
            value += next;
            q += 2;
            continue;
          }
        }
        value += line[q];
        q++;
      }
      fields[`sd.${id}.${name}`] = value;
      p = q + 1;
    }
    if (line.charCodeAt(p) !== 93) return -1;
    p++;
  }
  return p;
}

function nextToken(line: string, i: number): { value: string; end: number } | undefined {
  const end = line.indexOf(' ', i);
  if (end <= i) return undefined;
  return { value: line.slice(i, end), end: end + 1 };
}

export function parseRfc5424Line(line: string, ctx: ParseContext): ParsedFields | null {
  const pri = scanPri(line);
  if (!pri || line.charCodeAt(pri.end) !== 49 || line.charCodeAt(pri.end + 1) !== 32) return null;
  let p = pri.end + 2;
  const out: ParsedFields = { level: pri.level, message: '' };
  if (line.charCodeAt(p) === 45) p++;
  else {
    const time = scanIsoDateTime(line, p, ctx);
    if (!time) return null;
    out.ts = time.ts;
    if (time.tz !== undefined) out.tz = time.tz;
    p = time.end;
  }
  if (line.charCodeAt(p) !== 32) return null;
  const host = nextToken(line, p + 1);
  const app = host && nextToken(line, host.end);
  const procid = app && nextToken(line, app.end);
  const msgid = procid && nextToken(line, procid.end);
  if (!msgid) return null;
  const fields: Record<string, FieldValue> = { facility: pri.facility };
  if (host.value !== '-') out.host = host.value;
  if (app.value !== '-') out.service = app.value;
  if (procid.value !== '-') fields.procid = procid.value;
  if (msgid.value !== '-') fields.msgid = msgid.value;
  const sdEnd = scanStructuredData(line, msgid.end, fields);
  if (sdEnd < 0 || (sdEnd < line.length && line.charCodeAt(sdEnd) !== 32)) return null;
  let message = line.slice(sdEnd + 1);
  if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
  out.message = message;
  out.fields = fields;
  return out;
}

export const rfc5424Format: LogFormat = {
  name: 'syslog5424',
  description: 'syslog RFC 5424: <PRI>1 timestamp host app procid msgid [structured data] message',
  fills: ['ts', 'tz', 'level', 'host', 'service', 'message', 'fields'],
  multiline: true,
  parse: parseRfc5424Line,
};
