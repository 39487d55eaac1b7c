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
  reparseLegacyUploads,
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

describe('an upload stored as rows, before records were stored as chunk columns', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CHUNK_BYTES: '4096' } });
  });
  afterAll(() => h.close());

  it('is parsed again from its file, and its old rows are removed', async () => {
    const dir = join(h.dataDir, 'uploads');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'uold.log');
    const text = `${Array.from({ length: 300 }, (_, i) => `2024-01-01T00:00:00Z WARN old row ${i}`).join('\n')}\n`;
    writeFileSync(path, text);
    const row = insertUpload(h.store, {
      id: 'uold',
      filename: 'old.log',
      storedPath: path,
      sizeBytes: Buffer.byteLength(text),
      sha256: 'o',
      compression: 'none',
      requestedFormat: null,
      format: 'plain',
      formatConfidence: 1,
      service: null,
      options: {},
    });
    // What such an upload left: a completed flow, a chunk without a skip index, a row per record.
    h.store.sqlite.prepare("UPDATE uploads SET status = 'completed' WHERE id = ?").run(row.id);
    h.store.sqlite
      .prepare(
        `INSERT INTO chunk_results (upload_id, chunk, start_byte, end_byte, lines, records, parsed, unparsed,
           summary) VALUES (?, 0, 0, ?, 300, 300, 300, 0, '{}')`,
      )
      .run(row.id, row.sizeBytes);
    h.store.sqlite
      .prepare(
        `INSERT INTO entries (id, source, chunk, line, offset, ts, message)
         VALUES (?, ?, 0, 1, 0, 0, 'old row 0')`,
      )
      .run(row.entryBase, row.seq);
    expect(await reparseLegacyUploads(h.app.ctx)).toEqual(['uold']);
    expect(await reparseLegacyUploads(h.app.ctx)).toEqual([]);
    for (let i = 0; i < 150 && findUpload(h.store, 'uold')?.status !== 'completed'; i++) await sleep(100);
    expect(findUpload(h.store, 'uold')).toMatchObject({ status: 'completed', attempt: 2 });
    const rows = h.store.sqlite.prepare('SELECT count(*) FROM entries WHERE source = ?').pluck();
    expect(rows.get(row.seq)).toBe(0);
    const page = (
      await h.app.inject({ url: '/api/uploads/uold/entries?level=WARN&limit=1000', headers: AUTH })
    ).json();
    expect(page.entries).toHaveLength(300);
    expect(page.entries[299].message).toBe('old row 299');
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
