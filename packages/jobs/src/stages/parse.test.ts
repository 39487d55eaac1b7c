import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '@logsift/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeJob, openStageTestBed, type StageTestBed } from '../test-support/stage.js';
import { storedRows } from '../test-support/stored.js';
import { testUpload } from '../test-support/upload.js';
import { splitIntoChunks } from '../uploads/chunks.js';
import { insertUpload, resetForFlow, type UploadRow } from '../uploads/repository.js';
import type { StageContext } from './context.js';
import { runStageJob } from './run.js';

let bed: StageTestBed;
let dir: string;
let store: Store;
let ctx: StageContext;

beforeEach(() => {
  bed = openStageTestBed('parse');
  ({ dir, store, ctx } = bed);
});
afterEach(() => bed.close());

function upload(content: string, format: string): UploadRow {
  const path = join(dir, 'file.log');
  writeFileSync(path, content);
  return insertUpload(store, testUpload({ storedPath: path, sizeBytes: Buffer.byteLength(content), format }));
}

const count = async () => (await storedRows(store, 'u1')).length;

describe('parse stage', () => {
  it('a chunk run again (a retry after a crash) replaces its rows: no duplicate, none lost', async () => {
    const lines = Array.from(
      { length: 300 },
      (_, i) => `2024-01-15T10:00:${String(i % 60).padStart(2, '0')}.000Z INFO [api] request ${i} done`,
    );
    const row = upload(`${lines.join('\n')}\n`, 'plain');
    const chunks = await splitIntoChunks(row.storedPath, row.sizeBytes, 2048);
    resetForFlow(store, row.id, 1, chunks.length);
    const run = (i: number, attemptsMade = 0) =>
      runStageJob(
        'parse',
        fakeJob({ uploadId: row.id, attempt: 1, chunk: i, ...chunks[i] }, attemptsMade),
        ctx,
      );
    for (let i = 0; i < chunks.length; i++) await run(i);
    expect(await count()).toBe(300);
    await run(1, 1);
    await run(1, 2);
    expect(await count()).toBe(300);
    const messages = await storedRows(store, row.id);
    expect(messages.map((m) => m.message)).toEqual(lines.map((_, i) => `request ${i} done`));
  });

  it('stores every row once when the chunks are parsed at once on one connection, as a worker does', async () => {
    const lines = Array.from(
      { length: 400 },
      (_, i) => `2024-01-15T10:00:${String(i % 60).padStart(2, '0')}.000Z INFO [api] request ${i} done`,
    );
    const row = upload(`${lines.join('\n')}\n`, 'plain');
    const chunks = await splitIntoChunks(row.storedPath, row.sizeBytes, 2048);
    expect(chunks.length).toBeGreaterThan(5);
    resetForFlow(store, row.id, 1, chunks.length);
    await Promise.all(
      chunks.map((range, i) =>
        runStageJob('parse', fakeJob({ uploadId: row.id, attempt: 1, chunk: i, ...range }), ctx),
      ),
    );
    const stored = await storedRows(store, row.id);
    expect(stored.map((m) => m.message)).toEqual(lines.map((_, i) => `request ${i} done`));
    const perChunk = store.sqlite
      .prepare('SELECT chunk, records FROM chunk_results ORDER BY chunk')
      .all() as {
      chunk: number;
      records: number;
    }[];
    for (const { chunk, records } of perChunk) {
      expect(stored.filter((r) => r.chunk === chunk).map((r) => r.line)).toEqual(
        Array.from({ length: records }, (_, i) => i + 1),
      );
    }
  });

  it('joins Java stack traces into one entry per exception, also across chunk boundaries', async () => {
    const trace = (n: number) => [
      `2024-01-15T10:00:0${n % 10}.000Z ERROR [api] request failed ${n}`,
      'java.lang.IllegalStateException: boom',
      '\tat com.example.Service.handle(Service.java:42)',
      '\tat com.example.Server.run(Server.java:7)',
      'Caused by: java.io.IOException: disk',
      '\t... 2 more',
    ];
    const text = `${Array.from({ length: 40 }, (_, n) => [
      `2024-01-15T10:00:00.000Z INFO [api] ok ${n}`,
      ...trace(n),
    ])
      .flat()
      .join('\n')}\n`;
    const row = upload(text, 'plain');
    const chunks = await splitIntoChunks(row.storedPath, row.sizeBytes, 700);
    expect(chunks.length).toBeGreaterThan(10);
    resetForFlow(store, row.id, 1, chunks.length);
    for (let i = 0; i < chunks.length; i++) {
      await runStageJob('parse', fakeJob({ uploadId: row.id, attempt: 1, chunk: i, ...chunks[i] }), ctx);
    }
    const rows = await storedRows(store, row.id);
    expect(rows).toHaveLength(80);
    const errors = rows.filter((r) => r.level === 4);
    expect(errors).toHaveLength(40);
    expect(errors.every((r) => r.span === 6)).toBe(true);
    expect(errors[3]?.message).toBe(
      trace(3)
        .join('\n')
        .replace(/^\S+ ERROR \[api\] /, ''),
    );
    const lines = store.sqlite.prepare('SELECT sum(lines) AS n FROM chunk_results').get() as { n: number };
    expect(lines.n).toBe(280);
  });

  it("records each chunk's time span, the least and greatest timestamp of its records", async () => {
    // Minutes out of order across the file, so the chunks' spans overlap.
    const lines = Array.from({ length: 300 }, (_, i) => {
      const minute = String((i * 7) % 60).padStart(2, '0');
      return `2024-01-15T10:${minute}:00.000Z INFO [api] request ${i} done`;
    });
    const row = upload(`${lines.join('\n')}\nno timestamp here\n`, 'plain');
    const chunks = await splitIntoChunks(row.storedPath, row.sizeBytes, 2048);
    resetForFlow(store, row.id, 1, chunks.length);
    for (let i = 0; i < chunks.length; i++) {
      await runStageJob('parse', fakeJob({ uploadId: row.id, attempt: 1, chunk: i, ...chunks[i] }), ctx);
    }
    const spans = store.sqlite
      .prepare('SELECT chunk, min_ts, max_ts, undated FROM chunk_results ORDER BY chunk')
      .all() as { chunk: number; min_ts: number; max_ts: number; undated: number }[];
    const rows = await storedRows(store, row.id);
    const fromRows = spans.map(({ chunk }) => {
      const mine = rows.filter((r) => r.chunk === chunk);
      const times = mine.map((r) => r.ts).filter((ts): ts is number => ts !== null);
      return {
        chunk,
        min_ts: Math.min(...times),
        max_ts: Math.max(...times),
        undated: mine.some((r) => r.ts === null) ? 1 : 0,
      };
    });
    expect(chunks.length).toBeGreaterThan(3);
    expect(spans).toEqual(fromRows);
  });

  it('completes a chunk job only once its stored chunk has been flushed to the disk', async () => {
    const row = upload(
      '2024-01-15T10:00:00.000Z INFO [api] one\n2024-01-15T10:00:01.000Z INFO [api] two\n',
      'plain',
    );
    const chunks = await splitIntoChunks(row.storedPath, row.sizeBytes, 2048);
    resetForFlow(store, row.id, 1, chunks.length);
    let flushed = () => {};
    const storedWhenFlushed: number[] = [];
    const syncing: Store = {
      ...store,
      syncLog: () => {
        storedWhenFlushed.push(
          (store.sqlite.prepare('SELECT count(*) AS n FROM chunk_results').get() as { n: number }).n,
        );
        return new Promise<void>((resolve) => {
          flushed = resolve;
        });
      },
    };
    let done = false;
    const job = runStageJob('parse', fakeJob({ uploadId: row.id, attempt: 1, chunk: 0, ...chunks[0] }), {
      ...ctx,
      store: syncing,
    }).then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(storedWhenFlushed).toEqual([1]);
    expect(done).toBe(false);
    flushed();
    await job;
    expect(done).toBe(true);
  });
});
