import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, entryId, openStore, type Store } from '@logsift/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testUpload } from '../../test-support/upload.js';
import { insertUpload } from '../../uploads/repository.js';
import { ChunkWriter, type EntryValues } from './write-chunk.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'logsift-write-chunk-'));
  store = openStore(`file:${join(dir, 'db.sqlite')}`);
  applyMigrations(store);
  const row = insertUpload(store, testUpload({ storedPath: join(dir, 'file.log'), sizeBytes: 200 }));
  upload = { seq: row.seq, entryBase: row.entryBase };
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let upload: { seq: number; entryBase: number };

function row(chunk: number, offset: number, message: string): EntryValues {
  return [
    entryId(upload.entryBase, offset),
    chunk,
    1,
    1,
    offset,
    10,
    1_700_000_000_000 + offset,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    message,
    null,
    0,
    null,
  ];
}

function result(chunk: number, start: number, end: number, records: number) {
  return {
    uploadId: 'u1',
    chunk,
    startByte: start,
    endByte: end,
    lines: records,
    records,
    parsed: records,
    unparsed: 0,
    summary: '{}',
  };
}

const messages = () =>
  (store.sqlite.prepare('SELECT message FROM entries ORDER BY id').all() as { message: string }[]).map(
    (r) => r.message,
  );

describe('ChunkWriter', () => {
  it('gives chunks staged at once on one connection tables of their own', () => {
    const a = ChunkWriter.open(store);
    const b = ChunkWriter.open(store);
    a.stage((add) => add(row(0, 0, 'a0')));
    b.stage((add) => add(row(1, 100, 'b0')));
    a.stage((add) => add(row(0, 10, 'a1')));
    b.commit(upload, { start: 100, end: 200 }, result(1, 100, 200, 1));
    b.release();
    expect(messages()).toEqual(['b0']);
    a.commit(upload, { start: 0, end: 100 }, result(0, 0, 100, 2));
    a.release();
    expect(messages()).toEqual(['a0', 'a1', 'b0']);
  });

  it('leaves nothing of a chunk released without commit for the next chunk staged in its table', () => {
    const failed = ChunkWriter.open(store);
    failed.stage((add) => add(row(0, 0, 'half-done')));
    failed.release();
    const next = ChunkWriter.open(store);
    next.stage((add) => add(row(0, 0, 'retried')));
    next.commit(upload, { start: 0, end: 100 }, result(0, 0, 100, 1));
    next.release();
    expect(messages()).toEqual(['retried']);
  });

  it('binds a reused row array at once, and records the span of the rows it staged', () => {
    const writer = ChunkWriter.open(store);
    const reused = row(0, 0, 'first');
    writer.stage((add) => {
      add(reused);
      reused[0] = entryId(upload.entryBase, 10);
      reused[4] = 10;
      reused[6] = 1_700_000_000_500;
      reused[16] = 'second';
      add(reused);
    });
    writer.commit(upload, { start: 0, end: 100 }, result(0, 0, 100, 2));
    writer.release();
    expect(messages()).toEqual(['first', 'second']);
    expect(store.sqlite.prepare('SELECT min_ts, max_ts FROM chunk_results').get()).toEqual({
      min_ts: 1_700_000_000_000,
      max_ts: 1_700_000_000_500,
    });
  });
});
