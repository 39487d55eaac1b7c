import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, entryId, openStore, type Store } from '@logsift/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_INDEX, NO_LEVEL, NO_STATUS, SegmentBuilder } from '../../segments/columns.js';
import { SkipIndexBuilder } from '../../segments/skip-index.js';
import { ChunkSegment, loadChunkMetas } from '../../segments/store.js';
import { testUpload } from '../../test-support/upload.js';
import { insertUpload } from '../../uploads/repository.js';
import { writeChunk } from './write-chunk.js';

let dir: string;
let store: Store;
let upload: { seq: number; entryBase: number };
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

interface Rec {
  offset: number;
  ts?: number;
  level?: number;
  status?: number;
  flags?: number;
  signature?: number;
  service?: string;
  message: string;
}

/** Writes `records` as chunk `chunk` spanning [start, end), each record 10 bytes long. */
function write(chunk: number, start: number, end: number, records: Rec[], matches: [number, string][] = []) {
  const columns = new SegmentBuilder(start, 2);
  const skip = new SkipIndexBuilder();
  records.forEach((r, i) => {
    columns.add(r.offset, 10, i + 1, r.ts, r.level, r.status, r.flags ?? 0, r.signature ?? -1, r.service);
    skip.add(r.ts, r.level, r.status, r.flags ?? 0, r.message);
  });
  return writeChunk(
    store,
    upload,
    { start, end },
    columns.finish([11, 22]),
    result(chunk, start, end, records.length),
    skip.finish(),
    matches,
  );
}

const segment = (chunk: number) => {
  const meta = loadChunkMetas(store.sqlite, 'u1').find((m) => m.chunk === chunk);
  if (!meta) throw new Error(`chunk ${chunk} not stored`);
  return new ChunkSegment(store.sqlite, 'u1', meta);
};

describe('writeChunk', () => {
  it('stores the columns so they read back as built, the optional ones absent when all are none', () => {
    write(0, 0, 100, [
      { offset: 0, ts: 1_700_000_000_000, level: 2, status: 404, signature: 1, service: 'api', message: 'a' },
      { offset: 10, message: 'b' },
      { offset: 20, ts: 1_700_000_000_500, level: 4, flags: 16, signature: 0, service: 'db', message: 'c' },
    ]);
    write(1, 100, 200, [{ offset: 100, ts: 5, message: 'd' }]);
    const s = segment(0);
    expect(s.rows).toBe(3);
    expect([0, 1, 2].map((i) => s.offsetOf(i))).toEqual([0, 10, 20]);
    expect([...s.line]).toEqual([1, 2, 3]);
    expect([...s.ts]).toEqual([1_700_000_000_000, Number.NaN, 1_700_000_000_500]);
    expect([...s.level]).toEqual([2, NO_LEVEL, 4]);
    expect([...(s.status ?? [])]).toEqual([404, NO_STATUS, NO_STATUS]);
    expect([...s.flags]).toEqual([0, 0, 16]);
    expect([...s.signature]).toEqual([1, NO_INDEX, 0]);
    expect([...s.signatures]).toEqual([11, 22]);
    expect([...(s.service ?? [])].map((i) => s.services[i] ?? null)).toEqual(['api', null, 'db']);

    const other = segment(1);
    expect(other.offsetOf(0)).toBe(100);
    expect(other.status).toBeNull();
    expect(other.service).toBeNull();

    const [meta] = loadChunkMetas(store.sqlite, 'u1');
    expect(meta).toMatchObject({
      minTs: 1_700_000_000_000,
      maxTs: 1_700_000_000_500,
      levelMask: (1 << 2) | (1 << 4) | (1 << 6),
      flagMask: 16,
      statuses: [404],
      undated: 1,
    });
  });

  it("replaces what a chunk stored before, its columns and watch matches, and leaves other chunks'", () => {
    const id = (offset: number) => entryId(upload.entryBase, offset);
    write(
      0,
      0,
      100,
      [
        { offset: 0, message: 'x' },
        { offset: 10, message: 'y' },
      ],
      [[id(10), 'y']],
    );
    write(1, 100, 200, [{ offset: 100, message: 'z' }], [[id(100), 'z']]);
    write(0, 0, 100, [{ offset: 0, ts: 7, message: 'x' }], [[id(0), 'x']]);
    expect(segment(0).rows).toBe(1);
    expect([...segment(0).ts]).toEqual([7]);
    expect(segment(1).rows).toBe(1);
    const matches = store.sqlite.prepare('SELECT entry_id, term FROM watch_matches ORDER BY entry_id').all();
    expect(matches).toEqual([
      { entry_id: id(0), term: 'x' },
      { entry_id: id(100), term: 'z' },
    ]);
    const columns = store.sqlite.prepare('SELECT count(*) FROM entry_segments WHERE chunk = 0').pluck().get();
    const distinct = store.sqlite
      .prepare('SELECT count(DISTINCT "column") FROM entry_segments WHERE chunk = 0')
      .pluck()
      .get();
    expect(columns).toBe(distinct);
  });
});
