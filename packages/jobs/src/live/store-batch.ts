import { allocateEntryIds, type Sqlite, type Store } from '@logsift/db';
import type { Config } from '../config.js';
import { eventsProcessed } from '../metrics/registry.js';
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
 * Moves one spooled batch into `entries` (source 0: live), with its template ids, and adds it to the
 * window and daily metrics and the per-hour template counts, in one transaction that also records the batch in `live_stored`. So a batch
 * is stored exactly once however often its job runs (a retry, a job re-enqueued by the sweep, a worker
 * killed mid-way): a second run finds the record and only finishes what the first left undone, clearing
 * the batch's events in the spool. Metrics change in the same transaction as the entries they count, so
 * a metric always equals the events its lineage lists.
 */
export function storeBatch(ctx: LiveStoreContext, batchId: number, now = Date.now()): { stored: number } {
  const batch = ctx.spool.load(batchId);
  if (!batch || batch.events === null) return { stored: 0 };
  const events = decodeEvents(batch.events);
  const { ids: templateIds, uses } = ctx.templater.assign(events);
  const deltas = metricDeltas(events, ctx.config.live.windowMs);
  const templateDeltas = templateHourDeltas(events, templateIds);
  const { sqlite } = ctx.store;
  const s = statements(sqlite);
  const stored = sqlite
    .transaction(() => {
      if (s.markStored.run(batchId, events.length, now).changes === 0) return 0; // stored before
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
          batch.receivedAt,
        );
      });
      applyMetricDeltas(sqlite, deltas, now);
      applyTemplateHourDeltas(sqlite, templateDeltas);
      saveTemplates(s.upsertTemplate, uses, now);
      return events.length;
    })
    .immediate();
  // After the commit: a crash before this line leaves the events in the spool, and the sweep's next job
  // for the batch finds it recorded and clears them.
  ctx.spool.markStored(batchId, now);
  if (stored > 0) {
    const perService = new Map<string, number>();
    for (const e of events) perService.set(e.service, (perService.get(e.service) ?? 0) + 1);
    for (const [service, n] of perService) eventsProcessed.inc({ service }, n);
  }
  return { stored };
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
