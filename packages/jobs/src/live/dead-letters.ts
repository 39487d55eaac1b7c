import type { Store } from '@logsift/db';
import { z } from 'zod';
import type { Config } from '../config.js';
import { isoTime } from '../query/entries.js';
import type { IngestItem, Rejected } from './batch.js';
import { REJECTION_CODES, type RejectionCode } from './event-schema.js';
import type { ItemOutcome, LiveIngest } from './ingest.js';
import type { Transport } from './spool.js';

/**
 * Dead letters: live events that failed validation, kept with the reason until replayed. Who sees them:
 * an admin token sees every dead letter; any other token only those it sent.
 */

export const DEAD_LETTERS_PAGE_MAX = 1000;

export const deadLetterFilters = z.strictObject({
  service: z.string().trim().min(1).max(200).optional(),
  code: z.enum(REJECTION_CODES).optional(),
  caller: z.string().trim().min(1).max(200).optional().describe('the token name that sent them'),
  transport: z.enum(['http', 'tcp']).optional(),
  from: isoTime.optional().describe('received at or after (date or ISO 8601 time)'),
  to: isoTime.optional().describe('received before'),
  replayed: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: replayed already (whatever the result); false: never replayed'),
  cursor: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(DEAD_LETTERS_PAGE_MAX).default(100),
});
export type DeadLetterFilters = z.infer<typeof deadLetterFilters>;

interface DeadLetterRow {
  id: number;
  received_at: number;
  caller: string;
  transport: Transport;
  service: string | null;
  code: RejectionCode;
  reason: string;
  payload: string;
  replayed_at: number | null;
  replay_result: ItemOutcome | null;
}

/** Keeps rejected events with their reasons; one transaction for a request's dead letters. */
export function writeDeadLetters(
  store: Store,
  rejected: readonly Rejected[],
  meta: { receivedAt: number; caller: string; transport: Transport },
): void {
  if (rejected.length === 0) return;
  const insert = store.sqlite.prepare(
    `INSERT INTO dead_letters (received_at, caller, transport, service, code, reason, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  store.sqlite.transaction(() => {
    for (const r of rejected) {
      insert.run(meta.receivedAt, meta.caller, meta.transport, r.service, r.code, r.reason, r.payload);
    }
  })();
}

export function deadLetterView(r: DeadLetterRow) {
  return {
    id: r.id,
    receivedAt: new Date(r.received_at).toISOString(),
    caller: r.caller,
    transport: r.transport,
    service: r.service,
    code: r.code,
    reason: r.reason,
    payload: r.payload,
    replayedAt: r.replayed_at === null ? null : new Date(r.replayed_at).toISOString(),
    replayResult: r.replay_result,
  };
}

/** Newest first. `onlyCaller` restricts the list to one sender (non-admin tokens). */
export function listDeadLetters(store: Store, f: DeadLetterFilters, onlyCaller: string | undefined) {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  eq('caller', onlyCaller);
  eq('caller', f.caller);
  eq('service', f.service);
  eq('code', f.code);
  eq('transport', f.transport);
  if (f.from !== undefined) {
    where.push('received_at >= ?');
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push('received_at < ?');
    params.push(f.to);
  }
  if (f.replayed !== undefined) where.push(`replayed_at IS ${f.replayed === 'true' ? 'NOT ' : ''}NULL`);
  if (f.cursor !== undefined) {
    where.push('id < ?');
    params.push(f.cursor);
  }
  const rows = store.sqlite
    .prepare(
      `SELECT * FROM dead_letters ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    )
    .all(...params, f.limit + 1) as DeadLetterRow[];
  const page = rows.slice(0, f.limit);
  return {
    deadLetters: page.map(deadLetterView),
    nextCursor: rows.length > f.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export const replayRequest = z
  .object({
    ids: z.array(z.number().int().min(1)).max(DEAD_LETTERS_PAGE_MAX).optional().describe('replay as stored'),
    fixes: z
      .array(z.object({ id: z.number().int().min(1), event: z.unknown() }))
      .max(DEAD_LETTERS_PAGE_MAX)
      .optional()
      .describe('replay these dead letters with a corrected event instead of the stored payload'),
  })
  .refine((r) => (r.ids?.length ?? 0) + (r.fixes?.length ?? 0) > 0, 'name dead letters in ids or fixes');
export type ReplayRequest = z.infer<typeof replayRequest>;

export interface ReplayAnswer {
  accepted: number[];
  duplicates: number[];
  rejected: { id: number; code: RejectionCode; reason: string }[];
  /** Ids that do not exist (or belong to another sender). */
  missing: number[];
}

/**
 * Sends dead letters through ingest again, with the authority of the token that first sent them (a
 * replay never lets anyone speak for another service), and records the outcome on each row: accepted,
 * duplicate, or rejected again with the new reason.
 */
export async function replayDeadLetters(
  ingest: LiveIngest,
  store: Store,
  config: Config,
  req: ReplayRequest,
  requester: { caller: string; admin: boolean },
): Promise<ReplayAnswer> {
  const fixes = new Map((req.fixes ?? []).map((f) => [f.id, f.event]));
  const wanted = [...new Set([...(req.ids ?? []), ...fixes.keys()])];
  const rows = (
    store.sqlite
      .prepare(`SELECT * FROM dead_letters WHERE id IN (${wanted.map(() => '?').join(',')}) ORDER BY id`)
      .all(...wanted) as DeadLetterRow[]
  ).filter((r) => requester.admin || r.caller === requester.caller);
  const found = new Set(rows.map((r) => r.id));
  const answer: ReplayAnswer = {
    accepted: [],
    duplicates: [],
    rejected: [],
    missing: wanted.filter((id) => !found.has(id)),
  };
  const groups = new Map<string, DeadLetterRow[]>();
  for (const r of rows) {
    const key = `${r.caller}\u0000${r.transport}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const update = store.sqlite.prepare(
    'UPDATE dead_letters SET replayed_at = ?, replay_result = ?, code = ?, reason = ? WHERE id = ?',
  );
  for (const group of groups.values()) {
    const first = group[0] as DeadLetterRow;
    const items = group.map((r): IngestItem => (fixes.has(r.id) ? { value: fixes.get(r.id) } : itemOf(r)));
    const result = await ingest.accept(
      items,
      { caller: first.caller, admin: config.admins.has(first.caller) },
      first.transport,
      { deadLetters: false },
    );
    const outcomes = result.outcomes();
    const reasons = new Map(result.rejected.map((r) => [r.index, r]));
    const now = Date.now();
    store.sqlite.transaction(() => {
      group.forEach((row, i) => {
        const outcome = outcomes[i] as ItemOutcome;
        const again = reasons.get(i);
        update.run(now, outcome, again?.code ?? row.code, again?.reason ?? row.reason, row.id);
        if (again) answer.rejected.push({ id: row.id, code: again.code, reason: again.reason });
        else (outcome === 'accepted' ? answer.accepted : answer.duplicates).push(row.id);
      });
    })();
  }
  return answer;
}

/** The stored payload as an ingest item: JSON as it was, a raw line (not JSON) as a problem to fix. */
function itemOf(row: DeadLetterRow): IngestItem {
  try {
    return { value: JSON.parse(row.payload) as unknown };
  } catch {
    return {
      problem: {
        code: row.code,
        reason: `${row.reason} (the dead letter holds a raw line: replay it with a corrected event in fixes)`,
      },
      payload: row.payload,
    };
  }
}
