import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openStore } from '@logsift/db';
import {
  cleanUploadsDir,
  findUpload,
  insertUpload,
  loadConfig,
  QueueSet,
  resetForFlow,
  resumeLostFlows,
} from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { AUTH, type Harness, startHarness } from './test-support/harness.js';
import { freePortForTest } from './test-support/ports.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('what a crash of the API leaves behind', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CHUNK_BYTES: '4096' } });
  });
  afterAll(() => h.close());

  it('removes partial files and stored files no upload refers to, and keeps the rest', async () => {
    const dir = join(h.dataDir, 'uploads');
    mkdirSync(dir, { recursive: true });
    const kept = insertUpload(h.store, {
      id: 'ukept',
      filename: 'a.log',
      storedPath: join(dir, 'ukept.log'),
      sizeBytes: 2,
      sha256: 'k',
      compression: 'none',
      requestedFormat: null,
      format: 'raw',
      formatConfidence: 1,
      service: null,
      options: {},
    });
    for (const name of ['ukept.log', 'uorphan.log', 'ua.part', 'ub.part.gunzip', 'uc.part.utf8']) {
      writeFileSync(join(dir, name), 'x\n');
    }
    const cleaned = await cleanUploadsDir({ store: h.store }, dir);
    expect(cleaned.partial.sort()).toEqual(['ua.part', 'ub.part.gunzip', 'uc.part.utf8']);
    expect(cleaned.orphans).toEqual(['uorphan.log']);
    expect(readdirSync(dir)).toEqual([`${kept.id}.log`]);
    h.store.sqlite.prepare('DELETE FROM uploads WHERE id = ?').run(kept.id);
  });

  it('resumes an upload recorded in SQLite whose flow never reached Redis', async () => {
    const dir = join(h.dataDir, 'uploads');
    const path = join(dir, 'ulost.log');
    const lines = Array.from({ length: 500 }, (_, i) => `2024-01-01T00:00:00Z INFO lost and found ${i}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const row = insertUpload(h.store, {
      id: 'ulost',
      filename: 'lost.log',
      storedPath: path,
      sizeBytes: Buffer.byteLength(`${lines.join('\n')}\n`),
      sha256: 'l',
      compression: 'none',
      requestedFormat: null,
      format: 'plain',
      formatConfidence: 1,
      service: null,
      options: {},
    });
    resetForFlow(h.store, row.id, 1, 1); // recorded as queued, then the process died before enqueueing
    expect(await resumeLostFlows(h.app.ctx)).toEqual(['ulost']);
    expect(await resumeLostFlows(h.app.ctx)).toEqual([]); // its flow is there now
    for (let i = 0; i < 150 && findUpload(h.store, 'ulost')?.status !== 'completed'; i++) await sleep(100);
    const view = (await h.app.inject({ url: '/api/uploads/ulost', headers: AUTH })).json();
    expect(view.status).toBe('completed');
    expect(view.counts.lines).toBe(500);
    expect(view.chunks).toBeGreaterThan(1);
  });
});

describe('Redis unreachable for a write', () => {
  it('answers 503 with Retry-After, not 500', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'logsift-noredis-'));
    const config = loadConfig({
      DATA_DIR: dataDir,
      REDIS_URL: `redis://127.0.0.1:${await freePortForTest()}`, // nothing listens there
      LOGSIFT_TOKENS: `admin=${AUTH.authorization.slice('Bearer '.length)}`,
    });
    const store = openStore(config.databaseUrl);
    applyMigrations(store);
    const queues = new QueueSet(config.redisUrl, 'noredis');
    const app = await buildApp({ config, store, queues });
    try {
      const row = insertUpload(store, {
        id: 'ufailed',
        filename: 'f.log',
        storedPath: join(dataDir, 'f.log'),
        sizeBytes: 2,
        sha256: 'f',
        compression: 'none',
        requestedFormat: null,
        format: 'raw',
        formatConfidence: 1,
        service: null,
        options: {},
      });
      writeFileSync(row.storedPath, 'x\n');
      store.sqlite.prepare("UPDATE uploads SET status = 'failed' WHERE id = ?").run(row.id);
      const res = await app.inject({ method: 'POST', url: `/api/uploads/${row.id}/retry`, headers: AUTH });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toEqual({
        error: { code: 'unavailable', message: expect.stringContaining('Redis') },
      });
      expect(findUpload(store, row.id)?.status).toBe('failed');
    } finally {
      await app.close();
      await queues.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
