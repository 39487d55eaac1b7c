import {
  checkEvent,
  type EventChecks,
  type EventProblem,
  isProblem,
  type LiveEvent,
  type RejectionCode,
  type Sender,
  wellFormed,
} from './event-schema.js';

/** Longest payload a dead letter keeps, in characters (the rest is cut; the reason says why it failed). */
export const MAX_DEAD_LETTER_CHARS = 64 * 1024;

/**
 * One received item: a decoded value (from a JSON body, an NDJSON line or a raw line turned into an event,
 * then `payload` is that raw text), or a line that could not be decoded at all.
 */
export type IngestItem = { value: unknown; payload?: string } | { problem: EventProblem; payload: string };

export interface Rejected {
  /** Position in the request, 0-based. */
  index: number;
  code: RejectionCode;
  reason: string;
  /** The service the event named (or its sender's), for filtering dead letters. */
  service: string | null;
  /** What was received, for the dead letter. */
  payload: string;
}

export interface ValidatedBatch {
  events: LiveEvent[];
  /** Position of each event in the request. */
  positions: number[];
  rejected: Rejected[];
  /** Positions of events whose (service, event_id) appeared earlier in the request: dropped, counted. */
  duplicates: number[];
}

/**
 * Checks every item against the event schema for `sender`; a repeated event_id within the request counts
 * as a duplicate of its first occurrence. Pure: the clock comes in `checks`.
 */
export function validateBatch(
  items: readonly IngestItem[],
  sender: Sender,
  checks: EventChecks,
): ValidatedBatch {
  const out: ValidatedBatch = { events: [], positions: [], rejected: [], duplicates: [] };
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const result = 'problem' in item ? item.problem : checkEvent(item.value, sender, checks);
    if (isProblem(result)) {
      const value = 'value' in item ? item.value : undefined;
      out.rejected.push({
        index,
        code: result.code,
        reason: result.reason,
        service: claimedService(value) ?? (sender.admin ? null : sender.caller),
        payload: clip(item.payload ?? jsonText(value)),
      });
      return;
    }
    if (result.eventId !== null) {
      const key = `${result.service}\u0000${result.eventId}`;
      if (seen.has(key)) {
        out.duplicates.push(index);
        return;
      }
      seen.add(key);
    }
    out.events.push(result);
    out.positions.push(index);
  });
  return out;
}

function claimedService(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = (value as { service?: unknown }).service;
  return typeof s === 'string' ? wellFormed(s.slice(0, 100)) : undefined;
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (err) {
    // Nested too deeply to serialise (String() of such an array overflows the stack just the same).
    return `(the received value could not be kept: ${(err as Error).message})`;
  }
}

const clip = (s: string) => (s.length > MAX_DEAD_LETTER_CHARS ? s.slice(0, MAX_DEAD_LETTER_CHARS) : s);
