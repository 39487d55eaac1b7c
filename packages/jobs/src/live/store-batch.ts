import { allocateEntryIds, durably, type Sqlite, type Store } from '@logsift/db';
import type { Config } from '../config.js';
import { eventsProcessed } from '../metrics/registry.js';
import type { LiveEvent } from './event-schema.js';
import { applyMetricDeltas, applyTemplateHourDeltas } from './metrics-store.js';
import { decodeEvents, OFFSET_STRIDE, type Spool } from './spool.js';
import type { LiveTemplater, TemplateUse } from './templating.js';
import { metricDeltas, templateHourDeltas } from './windows.js';

/** What the ingest worker needs. */
export interface LiveStoreContext {
  store: Store;
  spool: Spool;
  config: Config;
  templater: LiveTemplater;
}

const INSERT_ENTRY = `INSERT INTO entries
  (id, source, chunk, line, span, offset, length, ts, tz, level, service, host, message, template_id, flags,
   fields, event_id, received_at)
  VALUES (?, 0, ?, ?, 1, ?, 0, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`;

const UPSERT_TEMPLATE = `INSERT INTO templates (service, id, template, count, first_seen_at, last_seen_at, first_source)
  VALUES (?, ?, ?, ?, ?, ?, 'live')
  ON CONFLICT (service, id) DO UPDATE SET
    template = excluded.template,
    count = templates.count + excluded.count,
    last_seen_at = max(templates.last_seen_at, excluded.last_seen_at)`;

/**
 * Most events one store transaction takes: the job's own batch and the oldest other pending ones. Fewer,
 * larger write transactions take SQLite's single write lock less often, which is what live ingest waits
 * for while uploads write their chunks.
 */
export const STORE_MAX_EVENTS = 5_000;
/** Pending batches looked at to join a transaction. */
const JOIN_CANDIDATES = 16;

/**
 * Moves a spooled batch into `entries` (source 0: live), with its template ids, and adds it to the
 * window and daily metrics and the per-hour template counts, in one transaction that also records the
 * batch in `live_stored`; other pending batches join the same transaction up to STORE_MAX_EVENTS. So a
 * batch is stored exactly once however often its job runs, and whichever job takes it (a retry, a job
 * re-enqueued by the sweep, a worker killed mid-way, another worker's transaction): a run that finds the
 * record skips the batch and only clears its events from the spool. Metrics change in the same
 * transaction as the entries they count, so a metric always equals the events its lineage lists.
 */
export function storeBatch(ctx: LiveStoreContext, batchId: number, now = Date.now()): { stored: number } {
  const first = ctx.spool.load(batchId);
  if (!first || first.events === null) return { stored: 0 };
  const batches = [first];
  let total = first.count;
  for (const id of ctx.spool.pendingBatchIds(Number.MAX_SAFE_INTEGER, JOIN_CANDIDATES)) {
    if (id === batchId) continue;
    const b = ctx.spool.load(id);
    if (!b || b.events === null) continue;
    if (total + b.count > STORE_MAX_EVENTS) break;
    batches.push(b);
    total += b.count;
  }
  const { sqlite } = ctx.store;
  const s = statements(sqlite);
  const perService = new Map<string, number>();
  // Decoding and templating happen inside the transaction, and only for batches not stored before, so two
  // workers reaching for the same pending batches never do the same work twice. The commit is synced
  // (durably): the spool's events are cleared next, and the clearing must never outlive the entries
  // in a crash of the machine, which the API's next synced spool commit would otherwise allow.
  const stored = durably(ctx.store, () =>
    sqlite
      .transaction(() => {
        let n = 0;
        for (const b of batches) {
          if (s.markStored.run(b.id, b.count, now).changes === 0) continue; // stored before
          const events = decodeEvents(b.events as string);
          insertBatch(ctx, s, b.id, b.receivedAt, events, now);
          for (const e of events) perService.set(e.service, (perService.get(e.service) ?? 0) + 1);
          n += events.length;
        }
        return n;
      })
      .immediate(),
  );
  // After the commit: a crash before these lines leaves the events in the spool, and the sweep's next job
  // for a batch finds it recorded and clears them.
  for (const b of batches) ctx.spool.markStored(b.id, now);
  for (const [service, n] of perService) eventsProcessed.inc({ service }, n);
  return { stored };
}

/** One batch's rows, metrics and templates; inside the store transaction. */
function insertBatch(
  ctx: LiveStoreContext,
  s: ReturnType<typeof prepare>,
  batchId: number,
  receivedAt: number,
  events: readonly LiveEvent[],
  now: number,
): void {
  const { sqlite } = ctx.store;
  const { ids: templateIds, uses } = ctx.templater.assign(events);
  const base = batchId * OFFSET_STRIDE;
  // Ids come from the shared counter (as uploads' do), so live events never collide with an upload's range.
  const firstId = allocateEntryIds(sqlite, events.length);
  events.forEach((e, i) => {
    s.insertEntry.run(
      firstId + i,
      batchId,
      i + 1,
      base + i,
      e.ts,
      e.tz,
      e.level,
      e.service,
      e.host,
      e.message,
      templateIds[i] ?? null,
      e.fields,
      e.eventId,
      receivedAt,
    );
  });
  applyMetricDeltas(sqlite, metricDeltas(events, ctx.config.live.windowMs), now);
  applyTemplateHourDeltas(sqlite, templateHourDeltas(events, templateIds));
  saveTemplates(s.upsertTemplate, uses, now);
}

function saveTemplates(
  upsert: { run(...params: unknown[]): unknown },
  uses: readonly TemplateUse[],
  now: number,
): void {
  for (const u of uses) upsert.run(u.service, u.id, u.text, u.count, now, now);
}

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();

function prepare(sqlite: Sqlite) {
  return {
    markStored: sqlite.prepare(
      'INSERT INTO live_stored (batch_id, count, stored_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    insertEntry: sqlite.prepare(INSERT_ENTRY),
    upsertTemplate: sqlite.prepare(UPSERT_TEMPLATE),
  };
}

function statements(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) {
    s = prepare(sqlite);
    cache.set(sqlite, s);
  }
  return s;
}
