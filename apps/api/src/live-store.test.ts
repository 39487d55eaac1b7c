import { randomBytes } from 'node:crypto';
import { LiveTemplater, Spool, STORE_MAX_EVENTS, spoolPath, storeBatch } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './test-support/harness.js';
import { LIVE_ENV, liveCount, liveEvent, postLogs, waitForSpoolEmpty } from './test-support/live.js';

/**
 * Two workers storing spooled batches: each store transaction takes pending batches beyond its own, so
 * workers reach for the same batches; every batch must still be stored exactly once.
 */
describe('storing spooled batches from two workers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: LIVE_ENV, workers: false });
  });
  afterAll(() => h.close());

  /** A worker's view: its own spool handle and templater on the shared database. */
  const worker = () => {
    const spool = new Spool(spoolPath(h.config));
    const ctx = { store: h.store, spool, config: h.config, templater: new LiveTemplater(h.store) };
    return { ctx, spool };
  };

  async function spoolBatches(count: number, size: number, tag: string): Promise<number[]> {
    for (let b = 0; b < count; b++) {
      const events = Array.from({ length: size }, (_, i) =>
        liveEvent({ message: `${tag} order ${b * size + i} placed`, event_id: `${tag}-${b}-${i}` }),
      );
      expect((await postLogs(h, 'payments', events)).statusCode).toBe(202);
    }
    const { spool } = worker();
    const ids = spool.pendingBatchIds(Number.MAX_SAFE_INTEGER, 1000);
    spool.close();
    expect(ids).toHaveLength(count);
    return ids;
  }

  const storedOnce = (tag: string) =>
    h.store.sqlite
      .prepare(
        "SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM entries WHERE source = 0 AND event_id LIKE ? || '-%'",
      )
      .get(tag) as { n: number; ids: number };

  it('takes the pending batches into one transaction, and a later job for one of them stores nothing', async () => {
    const ids = await spoolBatches(6, 400, 'a');
    const a = worker();
    const b = worker();
    expect(storeBatch(a.ctx, ids[2] as number)).toEqual({ stored: 2_400 });
    for (const id of ids) expect(storeBatch(b.ctx, id)).toEqual({ stored: 0 });
    expect(storedOnce('a')).toEqual({ n: 2_400, ids: 2_400 });
    expect(a.spool.pendingEvents()).toBe(0);
    const metric = h.store.sqlite
      .prepare("SELECT SUM(count) AS n FROM metrics WHERE kind = 'window' AND service = 'payments'")
      .get() as { n: number };
    expect(metric.n).toBe(liveCount(h));
    a.spool.close();
    b.spool.close();
  });

  it(`stops at ${STORE_MAX_EVENTS} events a transaction; the other worker stores the rest, each once`, async () => {
    const ids = await spoolBatches(15, 400, 'b'); // 6,000 events
    const a = worker();
    const b = worker();
    const first = storeBatch(a.ctx, ids[0] as number).stored;
    expect(first).toBe(Math.floor(STORE_MAX_EVENTS / 400) * 400);
    const second = storeBatch(b.ctx, ids[14] as number).stored;
    expect(first + second).toBe(6_000);
    for (const id of ids) expect(storeBatch(a.ctx, id).stored).toBe(0);
    expect(storedOnce('b')).toEqual({ n: 6_000, ids: 6_000 });
    a.spool.close();
    b.spool.close();
  });
});

describe("a new data directory on a Redis that kept the old one's jobs", () => {
  it("stores the new spool's batches, though their ids restart at 1", async () => {
    const env = { ...LIVE_ENV, QUEUE_PREFIX: `test-${randomBytes(6).toString('hex')}` };
    const events = (tag: string) =>
      Array.from({ length: 3 }, (_, i) => liveEvent({ message: `${tag} ${i}`, event_id: `${tag}-${i}` }));
    // A harness answers before its Redis connections are up: wait as a client would for /ready.
    const ready = (h: Awaited<ReturnType<typeof startHarness>>) =>
      expect
        .poll(async () => (await h.app.inject({ url: '/ready' })).statusCode, { timeout: 10_000 })
        .toBe(200);
    const first = await startHarness({ env });
    await ready(first);
    expect((await postLogs(first, 'payments', events('old'))).statusCode).toBe(202);
    await waitForSpoolEmpty(first);
    const firstSpool = new Spool(spoolPath(first.config));
    const oldId = firstSpool.id;
    firstSpool.close();
    await first.close({ keepRedisKeys: true }); // the completed job of batch 1 stays in Redis
    const second = await startHarness({ env });
    try {
      await ready(second);
      const res = await postLogs(second, 'payments', events('new'));
      expect(res.statusCode, res.body).toBe(202);
      await waitForSpoolEmpty(second, 10_000);
      expect(liveCount(second)).toBe(3);
      const spool = new Spool(spoolPath(second.config));
      expect(spool.id).not.toBe(oldId);
      expect(spool.pendingBatchIds(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
      spool.close();
    } finally {
      await second.close();
    }
  });
});
