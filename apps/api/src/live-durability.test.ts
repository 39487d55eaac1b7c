import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Sqlite, type Store } from '@logsift/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_ENV, LIVE_TOKENS } from './test-support/live.js';
import {
  freePort,
  nodeProcess,
  type Restartable,
  redisProcess,
  waitForHttp,
} from './test-support/processes.js';

/**
 * A 2xx means durable: events acknowledged survive kill -9 of the API, the worker and Redis, and are
 * stored exactly once. A sender keeps posting batches with unique event ids, retrying each batch until
 * it is acknowledged (as a client would), while one process is killed and restarted.
 */
describe('durability across kill -9', () => {
  let dir: string;
  let api: Restartable;
  let worker: Restartable;
  let redis: Restartable;
  let url: string;
  let store: Store;
  /** The API's spool file, read here to see when everything accepted has been stored. */
  let spool: Sqlite;
  let next = 0;
  const acknowledged = new Set<string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'logsift-durability-'));
    const redisPort = await freePort();
    const apiPort = await freePort();
    url = `http://127.0.0.1:${apiPort}`;
    redis = redisProcess(redisPort, join(dir, 'redis'));
    await redis.start();
    const env = {
      ...LIVE_ENV,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      DATA_DIR: join(dir, 'data'),
      QUEUE_PREFIX: `dur-${randomBytes(4).toString('hex')}`,
      PORT: String(apiPort),
      TCP_PORT: '0',
      LOG_LEVEL: 'warn',
      WORKER_QUEUES: 'ingest',
    };
    api = nodeProcess('apps/api/dist/server.js', env);
    worker = nodeProcess('apps/worker/dist/main.js', env);
    await api.start();
    await waitForHttp(`${url}/health`, 20_000, api.output);
    await worker.start();
    store = openStore(`file:${join(dir, 'data', 'logsift.db')}`);
    spool = openStore(`file:${join(dir, 'data', 'spool.db')}`).sqlite;
  });

  afterAll(async () => {
    store?.close();
    spool?.close();
    await Promise.allSettled([api?.stop(), worker?.stop()]);
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Posts a batch until it is acknowledged (2xx); returns after the acknowledgement. */
  async function sendUntilAcknowledged(ids: string[]): Promise<void> {
    const body = ids
      .map((id) =>
        JSON.stringify({
          timestamp: new Date().toISOString(),
          level: 'info',
          message: `durable event ${id}`,
          event_id: id,
        }),
      )
      .join('\n');
    for (;;) {
      const res = await fetch(`${url}/api/logs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${LIVE_TOKENS.payments}`, 'content-type': 'application/x-ndjson' },
        body,
        signal: AbortSignal.timeout(5_000),
      }).catch(() => undefined);
      if (res?.status === 202) {
        const answer = (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
        expect(answer.rejected).toEqual([]);
        expect(answer.accepted + answer.duplicates).toBe(ids.length);
        for (const id of ids) acknowledged.add(id);
        return;
      }
      await res?.body?.cancel();
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends batches for `ms`, calling `chaos` once in the middle; returns when the last batch is acknowledged. */
  async function sendThrough(ms: number, chaos: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    let chaosDone: Promise<void> | undefined;
    const senders = Array.from({ length: 4 }, async () => {
      while (Date.now() < until) {
        const ids = Array.from({ length: 25 }, () => `e${next++}`);
        await sendUntilAcknowledged(ids);
        if (!chaosDone && Date.now() > until - ms / 2) chaosDone = chaos();
      }
    });
    await Promise.all(senders);
    await chaosDone;
  }

  /** Every acknowledged event is stored exactly once (once the spool has drained). */
  async function expectStoredExactlyOnce(what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    const pending = () =>
      (
        spool.prepare('SELECT count(*) AS n FROM live_batches WHERE events IS NOT NULL').get() as {
          n: number;
        }
      ).n;
    while (pending() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(pending()).toBe(0);
    const rows = store.sqlite
      .prepare('SELECT event_id AS id, count(*) AS n FROM entries WHERE source = 0 GROUP BY event_id')
      .all() as { id: string; n: number }[];
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(new Set(rows.map((r) => r.id))).toEqual(acknowledged);
    console.log(`${what} killed: ${acknowledged.size} events acknowledged so far, each stored once`);
  }

  it('keeps every acknowledged event when the API is killed', async () => {
    await sendThrough(2_500, async () => {
      await api.kill();
      await api.start();
    });
    await expectStoredExactlyOnce('API');
  });

  it('keeps every acknowledged event when the worker is killed', async () => {
    await sendThrough(2_500, async () => {
      await worker.kill();
      await new Promise((r) => setTimeout(r, 200));
      await worker.start();
    });
    await expectStoredExactlyOnce('worker');
  });

  it('keeps every acknowledged event when Redis is killed', async () => {
    await sendThrough(2_500, async () => {
      await redis.kill();
      await new Promise((r) => setTimeout(r, 300));
      await redis.start();
    });
    await expectStoredExactlyOnce('Redis');
    expect(acknowledged.size).toBe(next);
  });
});
