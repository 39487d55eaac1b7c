import type { FieldValue, Level, ParsedFields } from '../entry.js';
import { KeyReader } from './key-reader.js';
import { levelFromStatus, normalizeLevel } from './level.js';
import { epochNumberToMs } from './time.js';
import { type ParsedTime, parseTimestamp } from './timestamp.js';
import type { LogFormat, ParseContext } from './types.js';

/**
 * JSON lines: one object per line. Nested objects are flattened into dotted keys; the spellings of time,
 * level, message and service used by pino, bunyan, winston, logrus, zap, structlog, Serilog (CLEF) and
 * ECS are recognised, and the keys so used are taken out of `fields`.
 */

/** Objects nested deeper than this are kept as their JSON text. */
export const MAX_FLATTEN_DEPTH = 6;
/** At most this many fields are kept per line; the rest are dropped so a huge object stays cheap. */
export const MAX_FIELDS = 200;
/** Arrays and too-deep objects are stored as JSON text cut to this many characters. */
const MAX_TEXT_CHARS = 2000;

/** First key present wins; each list is in order of preference. */
const TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts', '@t', 'datetime', 'date'];
const LEVEL_KEYS = ['level', 'log.level', 'severity', 'lvl', 'levelname', 'loglevel', '@l'];
const MESSAGE_KEYS = ['msg', 'message', 'event', '@m', '@mt', 'log'];
const SERVICE_KEYS = ['service.name', 'service', 'app', 'application', 'name', 'logger', 'logger_name'];
const HOST_KEYS = ['host.name', 'hostname', 'host'];
const METHOD_KEYS = ['http.request.method', 'method', 'req.method', 'request.method', 'http.method'];
const PATH_KEYS = ['url.path', 'path', 'req.url', 'request.path', 'url', 'http.path'];
const STATUS_KEYS = ['http.response.status_code', 'status', 'statusCode', 'status_code', 'res.statusCode'];
const BYTES_KEYS = ['http.response.body.bytes', 'bytes', 'res.bytes', 'response_size'];
/** Duration keys with the factor that turns their unit into milliseconds (ECS event.duration is ns). */
const LATENCY_KEYS: [string, number][] = [
  ['event.duration', 1e-6],
  ['responseTime', 1],
  ['duration_ms', 1],
  ['latency_ms', 1],
  ['elapsed_ms', 1],
  ['response_time_ms', 1],
];

function textOf(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? '';
    return text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text;
  } catch {
    return '';
  }
}

/**
 * Flattens `value` into `out` under `prefix`: objects become dotted keys, arrays and objects deeper than
 * MAX_FLATTEN_DEPTH become JSON text, at most MAX_FIELDS keys. Never throws, whatever the nesting.
 */
export function flattenJson(
  value: unknown,
  out: Record<string, FieldValue> = {},
): Record<string, FieldValue> {
  let count = 0;
  const visit = (v: unknown, prefix: string, depth: number): void => {
    if (count >= MAX_FIELDS) return;
    if (typeof v !== 'object' || v === null || Array.isArray(v) || depth >= MAX_FLATTEN_DEPTH) {
      if (v === null || typeof v === 'string' || typeof v === 'boolean') out[prefix] = v;
      else if (typeof v === 'number') out[prefix] = Number.isFinite(v) ? v : String(v);
      else out[prefix] = textOf(v);
      count++;
      return;
    }
    for (const key in v) {
      if (count >= MAX_FIELDS) return;
      if (key === '__proto__' || !Object.hasOwn(v, key)) continue;
      visit((v as Record<string, unknown>)[key], prefix === '' ? key : `${prefix}.${key}`, depth + 1);
    }
  };
  visit(value, '', 0);
  return out;
}

function timeOf(v: FieldValue, ctx: ParseContext): ParsedTime | undefined {
  if (typeof v === 'string') return parseTimestamp(v, ctx);
  if (typeof v !== 'number') return undefined;
  const ts = epochNumberToMs(v);
  return ts === undefined ? undefined : { ts };
}

function levelOf(v: FieldValue): Level | undefined {
  return typeof v === 'string' || typeof v === 'number' ? normalizeLevel(v) : undefined;
}

export function parseJsonLine(line: string, ctx: ParseContext): ParsedFields | null {
  const start = line.indexOf('{');
  if (start < 0 || line.slice(0, start).trim() !== '' || !line.trimEnd().endsWith('}')) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const keys = new KeyReader(flattenJson(value));
  const out: ParsedFields = { message: '' };
  const time = keys.first(TIME_KEYS, (v) => timeOf(v, ctx));
  if (time) {
    out.ts = time.ts;
    if (time.tz !== undefined) out.tz = time.tz;
  }
  out.message = keys.string(MESSAGE_KEYS) ?? line;
  const level = keys.first(LEVEL_KEYS, levelOf);
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
  const status = keys.number(STATUS_KEYS);
  if (status !== undefined) out.status = status;
  const bytes = keys.number(BYTES_KEYS);
  if (bytes !== undefined) out.bytes = bytes;
  for (const [key, toMs] of LATENCY_KEYS) {
    const latency = keys.number([key]);
    if (latency !== undefined) {
      out.latencyMs = latency * toMs;
      break;
    }
  }
  if (level) out.level = level;
  else if (status !== undefined) out.level = levelFromStatus(status);
  out.fields = keys.rest();
  return out;
}

export const jsonFormat: LogFormat = {
  name: 'json',
  description: 'JSON lines (pino, bunyan, winston, logrus, zap, structlog, ECS): one object per line',
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
  parse: parseJsonLine,
};
