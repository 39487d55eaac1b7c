import { z } from 'zod';
import { levelRank } from '../entry.js';
import { normalizeLevel } from '../formats/level.js';
import { epochNumberToMs } from '../formats/time.js';
import { parseTimestamp } from '../formats/timestamp.js';

/**
 * The one schema every live event is checked against, whatever its transport (HTTP body, TCP line,
 * syslog frame, dead-letter replay):
 *
 *   { "timestamp": "2024-05-01T10:00:00.123Z" | 1714557600123,   ISO 8601 (zone-less = UTC) or epoch s/ms
 *     "level": "error" | "severity": "warning" | 3,              one of them; names, syslog or pino numbers
 *     "service": "payments",                                       defaults to the token's service
 *     "message": "card declined",
 *     "event_id": "8f14e45f",                                      optional dedup key
 *     "host": "web-1",                                             optional
 *     "attributes": { "order": { "id": 42 } } }                    optional, flattened to dotted keys
 *
 * Unknown top-level fields are rejected (a misspelt "msg" is a bug worth hearing about); extra data
 * belongs in `attributes`.
 */

/** Service names: what dedup keys and metric rows are keyed by. */
export const SERVICE_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;
/** Longest message kept, in characters. */
export const MAX_MESSAGE_CHARS = 64 * 1024;
/** Longest `attributes` object, as JSON characters. */
export const MAX_ATTRIBUTES_CHARS = 16 * 1024;
/** Most keys `attributes` may flatten to. */
export const MAX_ATTRIBUTES = 100;
/** Timestamps before this are a clock that was never set, not an old event. */
export const MIN_EVENT_TS = Date.UTC(1990, 0, 1);
/** How far ahead of the receiver's clock an event may be (sender clock skew), ms. */
export const MAX_FUTURE_MS = 24 * 3600 * 1000;

/** Why an event was rejected; each is explained by the rejection's `reason`. */
export const REJECTION_CODES = [
  'not_an_object',
  'missing_field',
  'invalid_field',
  'unknown_field',
  'invalid_timestamp',
  'timestamp_out_of_range',
  'invalid_level',
  'too_large',
  'service_mismatch',
  'invalid_json',
  'unparsed_line',
  'line_too_long',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

type Scalar = string | number | boolean | null;

const levelValue = z.union([z.string().max(32), z.number()]);

/**
 * The schema checks shape and types only; reading the time and the level and flattening attributes
 * happen in `normalizeEvent`, in plain code, because zod transforms cost more than the rest of ingest.
 */
export const liveEventSchema = z.strictObject({
  timestamp: z.union([z.string().max(64), z.number()]),
  level: levelValue.optional(),
  severity: levelValue.optional(),
  service: z.string().regex(SERVICE_PATTERN, 'letters, digits, _ . - only, at most 100').optional(),
  message: z.string().min(1, 'must not be empty').max(MAX_MESSAGE_CHARS),
  event_id: z.string().min(1).max(128).optional(),
  host: z.string().min(1).max(255).optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});
export type LiveEventInput = z.infer<typeof liveEventSchema>;

function readTime(v: string | number): { ts: number; tz?: string } | undefined {
  if (typeof v === 'string') return parseTimestamp(v);
  const ms = epochNumberToMs(v);
  return ms === undefined ? undefined : { ts: ms };
}

/**
 * The event as stored, or why its time, level or attributes cannot be. Built as one object literal
 * (no spreads): this runs for every event, and object spreads cost more than the rest of it.
 */
export function normalizeEvent(e: LiveEventInput, service: string): LiveEvent | EventProblem {
  const time = readTime(e.timestamp);
  if (!time) {
    return {
      code: 'invalid_timestamp',
      reason: `timestamp: ${JSON.stringify(e.timestamp)} is not an ISO 8601 time or epoch number`,
    };
  }
  const written = e.level ?? e.severity;
  if (written === undefined) return { code: 'missing_field', reason: 'level (or severity) is required' };
  const level = normalizeLevel(written);
  if (!level) {
    return {
      code: 'invalid_level',
      reason: `${JSON.stringify(written)} is not a level (TRACE, DEBUG, INFO, WARN, ERROR, FATAL or a syslog/pino number)`,
    };
  }
  let fields: string | null = null;
  if (e.attributes) {
    let flat: Record<string, unknown>;
    try {
      flat = isFlat(e.attributes) ? e.attributes : flattenAttributes(e.attributes);
    } catch (err) {
      // JSON.parse reads any depth; JSON.stringify of what lies below 4 levels overflows the stack first.
      if (!(err instanceof RangeError)) throw err;
      return { code: 'too_large', reason: 'attributes are nested too deeply to store' };
    }
    const keys = Object.keys(flat).length;
    if (keys > 0) {
      fields = JSON.stringify(flat);
      if (keys > MAX_ATTRIBUTES || fields.length > MAX_ATTRIBUTES_CHARS) {
        return {
          code: 'too_large',
          reason: `attributes exceed ${MAX_ATTRIBUTES} keys or ${MAX_ATTRIBUTES_CHARS} characters of JSON`,
        };
      }
    }
  }
  return {
    ts: time.ts,
    tz: time.tz ?? null,
    level: levelRank(level),
    service,
    message: wellFormed(e.message),
    eventId: e.event_id === undefined ? null : wellFormed(e.event_id),
    host: e.host === undefined ? null : wellFormed(e.host),
    fields,
  };
}

/**
 * Text with each lone UTF-16 surrogate (JSON allows one: `"\ud800"`, UTF-8 cannot carry it) replaced by
 * U+FFFD, as an invalid UTF-8 sequence is on every other path (TCP frames, uploads). Written as is, SQLite
 * would keep bytes that are not UTF-8 (ED A0 80 for \ud800), read back as three U+FFFD, and Redis would
 * make one key of different ids. Attributes need none of this: they are stored as JSON text, which escapes
 * a lone surrogate and gives it back unchanged.
 */
export function wellFormed(text: string): string {
  return text.isWellFormed() ? text : text.toWellFormed();
}

/** Attributes that are already flat scalars (the common case) need no flattening. */
function isFlat(value: Record<string, unknown>): boolean {
  let n = 0;
  for (const key in value) {
    const v = value[key];
    if (key === '__proto__' || ++n > MAX_ATTRIBUTES) return false;
    if (
      v !== null &&
      typeof v !== 'string' &&
      typeof v !== 'boolean' &&
      !(typeof v === 'number' && Number.isFinite(v))
    ) {
      return false;
    }
  }
  return true;
}

/** Nested objects become dotted keys (`order.id`); arrays and deeper values become JSON text. */
function flattenAttributes(value: Record<string, unknown>): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  let count = 0;
  const visit = (v: unknown, prefix: string, depth: number): void => {
    if (count > MAX_ATTRIBUTES) return;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && depth < 4) {
      for (const key of Object.keys(v)) {
        if (key === '__proto__') continue;
        visit((v as Record<string, unknown>)[key], prefix === '' ? key : `${prefix}.${key}`, depth + 1);
      }
      return;
    }
    count++;
    out[prefix] =
      v === null || typeof v === 'string' || typeof v === 'boolean'
        ? v
        : typeof v === 'number' && Number.isFinite(v)
          ? v
          : (JSON.stringify(v) ?? null);
  };
  visit(value, '', 0);
  return out;
}

/** A valid event, normalised to what an entry stores (level as its rank, attributes as JSON text). */
export interface LiveEvent {
  /** Epoch ms, UTC. */
  ts: number;
  tz: string | null;
  /** 0 TRACE .. 5 FATAL. */
  level: number;
  service: string;
  message: string;
  eventId: string | null;
  host: string | null;
  fields: string | null;
}

export interface EventProblem {
  code: RejectionCode;
  reason: string;
}

/** Who sends: the token's name, and whether it is an admin token (which may send for any service). */
export interface Sender {
  caller: string;
  admin: boolean;
}

export interface EventChecks {
  /** The receiver's clock, epoch ms. */
  now: number;
  /** Events older than this (epoch ms) are rejected: retention would remove them at once. */
  oldestTs: number;
}

/**
 * Validates one received value as a live event for `sender`: the schema, then the checks that need the
 * sender and the clock. A non-admin token's events belong to its own service (`service` may be left out);
 * an admin token's events must name their service and may name any.
 */
export function checkEvent(value: unknown, sender: Sender, checks: EventChecks): LiveEvent | EventProblem {
  let input: LiveEventInput;
  if (hasEventShape(value)) input = value;
  else {
    const parsed = liveEventSchema.safeParse(value);
    if (!parsed.success) return problemOf(parsed.error, value);
    input = parsed.data;
  }
  const service = input.service ?? (sender.admin ? undefined : sender.caller);
  if (service === undefined) {
    return { code: 'missing_field', reason: 'service is required in events sent with an admin token' };
  }
  if (!sender.admin && service !== sender.caller) {
    return {
      code: 'service_mismatch',
      reason: `the token "${sender.caller}" may only send events for service "${sender.caller}", not "${service}"`,
    };
  }
  if (input.service === undefined && !SERVICE_PATTERN.test(service)) {
    return { code: 'invalid_field', reason: `service: "${service}" is not a valid service name` };
  }
  const e = normalizeEvent(input, service);
  if (isProblem(e)) return e;
  if (e.ts < MIN_EVENT_TS || e.ts > checks.now + MAX_FUTURE_MS) {
    return {
      code: 'timestamp_out_of_range',
      reason: `timestamp ${new Date(e.ts).toISOString()} is before 1990 or more than a day ahead of the server clock`,
    };
  }
  if (e.ts < checks.oldestTs) {
    return {
      code: 'timestamp_out_of_range',
      reason: `timestamp ${new Date(e.ts).toISOString()} is older than the retention period`,
    };
  }
  return e;
}

/**
 * True only for a value liveEventSchema accepts as it stands: a well-formed event passes this plain check
 * and skips the schema, which costs more than the rest of its validation. Anything else, valid or not, goes
 * through the schema, which decides and words the problem, so the two never disagree on what is valid.
 */
export function hasEventShape(value: unknown): value is LiveEventInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const e = value as Record<string, unknown>;
  for (const key in e) if (!EVENT_KEYS.has(key) || !Object.hasOwn(e, key)) return false;
  const { timestamp, message, service, event_id, host, attributes } = e;
  return (
    (typeof timestamp === 'string' ? timestamp.length <= 64 : isFiniteNumber(timestamp)) &&
    isLevelValue(e.level) &&
    isLevelValue(e.severity) &&
    (service === undefined || (typeof service === 'string' && SERVICE_PATTERN.test(service))) &&
    typeof message === 'string' &&
    message.length >= 1 &&
    message.length <= MAX_MESSAGE_CHARS &&
    (event_id === undefined ||
      (typeof event_id === 'string' && event_id.length >= 1 && event_id.length <= 128)) &&
    (host === undefined || (typeof host === 'string' && host.length >= 1 && host.length <= 255)) &&
    (attributes === undefined || isPlainRecord(attributes))
  );
}

const EVENT_KEYS: ReadonlySet<string> = new Set(Object.keys(liveEventSchema.shape));
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isLevelValue = (v: unknown) =>
  v === undefined || (typeof v === 'string' ? v.length <= 32 : isFiniteNumber(v));
const isPlainRecord = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

export function isProblem<T extends object>(v: T | EventProblem): v is EventProblem {
  return (v as EventProblem).code !== undefined;
}

/** The first schema issue as a code and a sentence naming the field. */
function problemOf(error: z.ZodError, value: unknown): EventProblem {
  const issue = error.issues[0];
  if (!issue) return { code: 'invalid_field', reason: 'invalid event' };
  const path = issue.path.join('.');
  if (issue.path.length === 0 && issue.code === 'invalid_type') {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    return { code: 'not_an_object', reason: `an event is a JSON object, not ${kind}` };
  }
  if (issue.code === 'unrecognized_keys') {
    return {
      code: 'unknown_field',
      reason: `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}; put extra fields in attributes`,
    };
  }
  const key = issue.path[0];
  if (typeof key === 'string' && issue.path.length === 1 && !Object.hasOwn(value as object, key)) {
    return { code: 'missing_field', reason: `${path} is required` };
  }
  if (issue.code === 'too_big' && key === 'message') {
    return { code: 'too_large', reason: `message is longer than ${MAX_MESSAGE_CHARS} characters` };
  }
  return { code: 'invalid_field', reason: `${path}: ${issue.message}` };
}
