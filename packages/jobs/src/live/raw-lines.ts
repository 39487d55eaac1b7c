import type { FieldValue } from '../entry.js';
import { getFormat } from '../formats/registry.js';
import { rfc3164Format } from '../formats/syslog3164.js';
import { rfc5424Format } from '../formats/syslog5424.js';
import type { LogFormat } from '../formats/types.js';
import type { IngestItem } from './batch.js';
import type { Frame } from './framing.js';

/**
 * TCP frames as ingest items. In `json` mode a line is an event object, checked by the same schema as
 * HTTP. In a named format (`plain`, `logfmt`, `syslog5424`, ... or `syslog` framing) the line is parsed
 * by that format and turned into an event: its time (else the time it was received), its level (else
 * INFO), its message and host; its other fields become attributes. The service is the token's (an admin
 * token may send lines naming their own, through the format's service field). The raw line is what a
 * dead letter keeps.
 */

export function jsonLineItem(frame: Frame): IngestItem {
  if ('tooLong' in frame) return tooLongItem(frame);
  try {
    return { value: JSON.parse(frame.text) as unknown };
  } catch (err) {
    return {
      problem: { code: 'invalid_json', reason: `not a JSON event: ${(err as Error).message}` },
      payload: frame.text,
    };
  }
}

export function rawLineItem(
  frame: Frame,
  formats: readonly LogFormat[],
  receivedAt: number,
  admin: boolean,
): IngestItem {
  if ('tooLong' in frame) return tooLongItem(frame);
  const line = frame.text;
  for (const format of formats) {
    const parsed = format.parse(line, { referenceTime: receivedAt });
    if (!parsed) continue;
    const attributes: Record<string, FieldValue> = { ...parsed.fields };
    if (parsed.method !== undefined) attributes.method = parsed.method;
    if (parsed.path !== undefined) attributes.path = parsed.path;
    if (parsed.status !== undefined) attributes.status = parsed.status;
    if (parsed.bytes !== undefined) attributes.bytes = parsed.bytes;
    if (parsed.latencyMs !== undefined) attributes.latencyMs = parsed.latencyMs;
    if (!admin && parsed.service !== undefined) attributes.app = parsed.service;
    return {
      value: {
        timestamp: parsed.ts ?? receivedAt,
        level: parsed.level ?? 'INFO',
        message: parsed.message === '' ? line : parsed.message,
        ...(admin && parsed.service !== undefined ? { service: parsed.service } : {}),
        ...(parsed.host !== undefined ? { host: parsed.host } : {}),
        ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
      },
      payload: line,
    };
  }
  return {
    problem: {
      code: 'unparsed_line',
      reason: `the line is not in the ${formats.map((f) => f.name).join(' or ')} format`,
    },
    payload: line,
  };
}

function tooLongItem(frame: { bytes: number; prefix: string }): IngestItem {
  return {
    problem: {
      code: 'line_too_long',
      reason: `a ${frame.bytes}-byte line is over the TCP line limit (TCP_MAX_LINE_BYTES); it was skipped`,
    },
    payload: frame.prefix,
  };
}

/** How a TCP connection's frames are cut and read, chosen by its FORMAT line (default json). */
export interface FrameReader {
  /** The name the FORMAT line resolved to. */
  name: string;
  /** RFC 6587 framing (syslog) or newline-delimited lines. */
  framing: 'syslog' | 'lines';
  item(frame: Frame, receivedAt: number, admin: boolean): IngestItem;
}

const SYSLOG_FORMATS: readonly LogFormat[] = [rfc5424Format, rfc3164Format];

/** `json` (NDJSON events), `syslog` (RFC 6587 framing, RFC 5424 or 3164 lines), or a format's name. */
export function frameReader(name: string): FrameReader | undefined {
  const key = name.trim().toLowerCase();
  if (key === 'json' || key === 'ndjson') return { name: 'json', framing: 'lines', item: jsonLineItem };
  if (key === 'syslog') {
    return {
      name: 'syslog',
      framing: 'syslog',
      item: (frame, at, admin) => rawLineItem(frame, SYSLOG_FORMATS, at, admin),
    };
  }
  const format = getFormat(key);
  if (!format) return undefined;
  return {
    name: format.name,
    framing: 'lines',
    item: (frame, at, admin) => rawLineItem(frame, [format], at, admin),
  };
}
