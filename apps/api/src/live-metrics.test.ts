import { runRetention, Spool, spoolPath } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './test-support/harness.js';
import { as, LIVE_ENV, liveCount, liveEvent, postLogs, waitForSpoolEmpty } from './test-support/live.js';

interface Metric {
  id: number;
  kind: string;
  service: string;
  level: string | null;
  windowStart: string;
  windowEnd: string;
  count: number;
  errors: number;
}

const DAY = 86_400_000;

describe('windows, lineage and replay', () => {
  let h: Harness;
  // Noon (UTC) yesterday: in the past, inside the retention period, far from midnight.
  const base = Math.floor(Date.now() / DAY) * DAY - 12 * 3600_000;
  const at = (ms: number) => new Date(base + ms).toISOString();

  beforeAll(async () => {
    h = await startHarness({ env: { ...LIVE_ENV, WINDOW_SECONDS: '5' } });
    // Window 0 and window 2 of payments, out of order; window 1 of orders.
    await postLogs(h, 'payments', [
      liveEvent({ timestamp: at(10_500), message: 'w2 info a' }),
      liveEvent({ timestamp: at(1_000), message: 'w0 info a' }),
      liveEvent({ timestamp: at(4_999), level: 'error', message: 'w0 error a' }),
      liveEvent({ timestamp: at(10_000), message: 'w2 info b' }),
    ]);
    await postLogs(h, 'orders', [
      liveEvent({ service: 'orders', timestamp: at(7_000), message: 'w1 orders' }),
    ]);
    await waitForSpoolEmpty(h);
    // A late event for window 0, after later windows were counted.
    await postLogs(h, 'payments', [liveEvent({ timestamp: at(0), message: 'w0 info late' })]);
    await waitForSpoolEmpty(h);
  });
  afterAll(() => h.close());

  async function metrics(query: string): Promise<Metric[]> {
    const res = await h.app.inject({ url: `/api/metrics?${query}`, headers: as('admin') });
    expect(res.statusCode).toBe(200);
    return res.json().metrics;
  }

  async function lineage(id: number, limit = 2): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Awaited<ReturnType<Harness['app']['inject']>> = await h.app.inject({
        url: `/api/metrics/${id}/events?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        headers: as('admin'),
      });
      out.push(...res.json().events.map((e: { message: string }) => e.message));
      cursor = res.json().nextCursor;
    } while (cursor);
    return out;
  }

  it('counts events into the tumbling window of their own time, late ones included', async () => {
    const windows = await metrics('kind=window&limit=1000');
    expect(windows.map((m) => [m.service, m.level, m.windowStart, m.count, m.errors])).toEqual([
      ['payments', 'INFO', at(10_000), 2, 0],
      ['orders', 'INFO', at(5_000), 1, 0],
      ['payments', 'ERROR', at(0), 1, 1],
      ['payments', 'INFO', at(0), 2, 0],
    ]);
    const daily = await metrics('kind=daily');
    const day = new Date(base - 12 * 3600_000).toISOString();
    expect(daily.map((m) => [m.service, m.level, m.windowStart, m.count, m.errors])).toEqual([
      ['orders', null, day, 1, 0],
      ['payments', null, day, 5, 1],
    ]);
  });

  it("lists exactly a metric's events as its lineage", async () => {
    const windows = await metrics('kind=window&limit=1000');
    const byKey = new Map(windows.map((m) => [`${m.service} ${m.level} ${m.windowStart}`, m]));
    expect(await lineage((byKey.get(`payments INFO ${at(0)}`) as Metric).id)).toEqual([
      'w0 info late',
      'w0 info a',
    ]);
    expect(await lineage((byKey.get(`payments ERROR ${at(0)}`) as Metric).id)).toEqual(['w0 error a']);
    expect(await lineage((byKey.get(`payments INFO ${at(10_000)}`) as Metric).id, 1)).toEqual([
      'w2 info b',
      'w2 info a',
    ]);
    for (const m of [...windows, ...(await metrics('kind=daily'))]) {
      expect((await lineage(m.id, 1000)).length).toBe(m.count);
    }
    const missing = await h.app.inject({ url: '/api/metrics/999999/events', headers: as('admin') });
    expect(missing.statusCode).toBe(404);
  });

  it('recomputes a range from the stored events, and a second run changes nothing', async () => {
    const snapshot = () =>
      h.store.sqlite.prepare('SELECT * FROM metrics ORDER BY kind, service, level, window_start').all();
    const values = () =>
      h.store.sqlite
        .prepare(
          'SELECT kind, service, level, window_start, window_ms, count, errors FROM metrics ORDER BY 1, 2, 3, 4',
        )
        .all();
    const truth = values();
    const hours = () =>
      h.store.sqlite.prepare('SELECT * FROM template_hours ORDER BY service, template_id, hour_start').all();
    const hoursTruth = hours();
    expect(hoursTruth.length).toBeGreaterThan(1);
    // Damage: a wrong count, a lost row, a row no event supports.
    h.store.sqlite.prepare("UPDATE metrics SET count = count + 5 WHERE kind = 'window' AND level = 4").run();
    h.store.sqlite.prepare("DELETE FROM metrics WHERE kind = 'window' AND service = 'orders'").run();
    h.store.sqlite
      .prepare(
        "INSERT INTO metrics (kind, service, level, window_start, window_ms, count, errors, updated_at) VALUES ('window', 'payments', 2, ?, 5000, 9, 0, 0)",
      )
      .run(base + 20_000);
    h.store.sqlite.prepare("UPDATE template_hours SET count = count + 3 WHERE service = 'payments'").run();
    h.store.sqlite.prepare("DELETE FROM template_hours WHERE service = 'orders'").run();
    h.store.sqlite
      .prepare(
        "INSERT INTO template_hours (service, template_id, hour_start, count) VALUES ('chat', 'nope', ?, 4)",
      )
      .run(Math.floor(base / 3_600_000) * 3_600_000);
    const replay = (who: 'admin' | 'payments' = 'admin') =>
      h.app.inject({
        method: 'POST',
        url: '/api/metrics/replay',
        headers: as(who),
        payload: { from: at(0), to: at(30_000) },
      });
    expect((await replay('payments')).statusCode).toBe(403);
    const first = await replay();
    expect(first.json()).toMatchObject({ from: at(0), to: at(30_000) });
    expect(first.json().windows).toEqual({ unchanged: 2, inserted: 1, updated: 1, deleted: 1 });
    expect(values()).toEqual(truth);
    expect(first.json().templateHours).toMatchObject({ inserted: 1, deleted: 1 });
    expect(first.json().templateHours.updated).toBeGreaterThan(0);
    expect(hours()).toEqual(hoursTruth);
    const rows = snapshot();
    const second = await replay();
    expect(second.json().windows).toEqual({ unchanged: 4, inserted: 0, updated: 0, deleted: 0 });
    expect(second.json().daily.updated + second.json().daily.inserted + second.json().daily.deleted).toBe(0);
    expect(snapshot()).toEqual(rows);
    expect(second.json().templateHours).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
    expect(hours()).toEqual(hoursTruth);
  });
});

describe('statistics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: LIVE_ENV });
  });
  afterAll(() => h.close());

  it('counts by service and level, with error rates, the accept rate now and the top templates', async () => {
    const now = Date.now();
    const events = [
      ...Array.from({ length: 6 }, (_, i) =>
        liveEvent({ message: `user ${i} logged in from 10.0.0.${i}` }, now - 60_000),
      ),
      ...Array.from({ length: 2 }, (_, i) =>
        liveEvent({ level: 'error', message: `db timeout after ${i + 3}00 ms` }, now - 60_000),
      ),
      liveEvent({ level: 'warn', message: 'cache cold' }, now - 60_000),
    ];
    await postLogs(h, 'payments', events);
    await postLogs(h, 'orders', [
      liveEvent({ service: 'orders', level: 'fatal', message: 'out of stock' }, now - 60_000),
    ]);
    await waitForSpoolEmpty(h);
    await new Promise((r) => setTimeout(r, 1_100)); // the rate counts whole seconds
    const res = await h.app.inject({ url: '/api/stats', headers: as('reader' as never) });
    expect(res.statusCode).toBe(401); // "reader" is not among the live tokens
    const stats = (await h.app.inject({ url: '/api/stats?top=2', headers: as('admin') })).json();
    expect(stats.total).toBe(10);
    expect(stats.errors).toBe(3);
    expect(stats.errorRate).toBeCloseTo(0.3, 10);
    expect(stats.levels).toEqual({ INFO: 6, WARN: 1, ERROR: 2, FATAL: 1 });
    expect(stats.services).toEqual([
      { service: 'payments', total: 9, errors: 2, errorRate: 2 / 9, levels: { INFO: 6, WARN: 1, ERROR: 2 } },
      { service: 'orders', total: 1, errors: 1, errorRate: 1, levels: { FATAL: 1 } },
    ]);
    expect(stats.eventsPerSecond).toBe(1);
    expect(stats.topTemplates.map((t: { count: number; service: string }) => [t.service, t.count])).toEqual([
      ['payments', 6],
      ['payments', 2],
    ]);
    expect(stats.topTemplates[0].template).toContain('logged in from');
    const orders = (await h.app.inject({ url: '/api/stats?service=orders', headers: as('admin') })).json();
    expect(orders.total).toBe(1);
  });
});

describe('retention', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...LIVE_ENV, RETENTION_DAYS: '1' } });
  });
  afterAll(() => h.close());

  it('is scheduled hourly by a job scheduler', async () => {
    const deadline = Date.now() + 5_000;
    let scheduler = await h.queues.live.retention.getJobScheduler('retention');
    while (!scheduler && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      scheduler = await h.queues.live.retention.getJobScheduler('retention');
    }
    expect(scheduler?.every).toBe(3_600_000);
  });

  it('removes live events, metrics and dead letters of days older than RETENTION_DAYS, in batches', async () => {
    const now = Date.now();
    const today = Math.floor(now / DAY) * DAY;
    const yesterday = today - 3 * 3600_000; // 21:00 UTC the day before
    const old = Array.from({ length: 25 }, (_, i) => liveEvent({ message: `old ${i}` }, yesterday + i));
    const recent = Array.from({ length: 5 }, (_, i) =>
      liveEvent({ message: `new ${i}` }, Math.max(today, now - 60_000) + i),
    );
    await postLogs(h, 'payments', [...old, ...recent, liveEvent({ level: 'nope' })]);
    // Older than retention allows at all: rejected at the door.
    const tooOld = await postLogs(h, 'payments', [liveEvent({}, today - DAY - 1)]);
    expect(tooOld.json().rejected[0].code).toBe('timestamp_out_of_range');
    await waitForSpoolEmpty(h);
    expect(liveCount(h)).toBe(30);
    const upload = h.store.sqlite
      .prepare('SELECT count(*) AS n FROM metrics WHERE window_start < ?')
      .get(today) as { n: number };
    expect(upload.n).toBeGreaterThan(0);

    // A day later, yesterday is past the one-day retention; today is not.
    const spool = new Spool(spoolPath(h.config));
    const result = await runRetention(h.store, spool, h.config, now + DAY, { batchRows: 7 });
    spool.close();
    expect(result).toMatchObject({ cutoff: today, entries: 25 });
    expect(liveCount(h)).toBe(5);
    expect(liveCount(h, "message LIKE 'new %'")).toBe(5);
    const left = h.store.sqlite
      .prepare('SELECT count(*) AS n FROM metrics WHERE window_start < ?')
      .get(today) as { n: number };
    expect(left.n).toBe(0);
    expect(result.metrics).toBe(upload.n);
    // Template counts go with their events: only today's hour is left, counting the 5 recent events.
    expect(result.templateHours).toBeGreaterThan(0);
    const templateCounts = h.store.sqlite
      .prepare('SELECT SUM(count) AS n, MIN(hour_start) AS first FROM template_hours')
      .get() as { n: number; first: number };
    expect(templateCounts.n).toBe(5);
    expect(templateCounts.first).toBeGreaterThanOrEqual(today);
    const metrics = h.store.sqlite
      .prepare('SELECT SUM(count) AS n FROM metrics WHERE kind = ?')
      .get('window') as { n: number };
    expect(metrics.n).toBe(5);
    expect(result.deadLetters).toBe(0); // received today
    // The ledger of stored batches and their records, past the dedup window: one batch of 31 events.
    expect(result.spoolRows).toBe(1);
    expect(result.storedRecords).toBe(1);
  });
});
