import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '@logsift/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadRecords } from '../segments/upload-records.js';
import { runStageJob } from '../stages/run.js';
import { fakeJob, openStageTestBed, type StageTestBed } from '../test-support/stage.js';
import { storedRows } from '../test-support/stored.js';
import { testUpload } from '../test-support/upload.js';
import { splitIntoChunks } from '../uploads/chunks.js';
import { insertUpload, resetForFlow, type UploadRow } from '../uploads/repository.js';
import { type EntryRow, entryFilters } from './entries.js';
import { uploadEntriesPage } from './upload-entries.js';

let bed: StageTestBed;
let store: Store;
let upload: UploadRow;
let all: EntryRow[];

const T0 = Date.parse('2024-01-15T10:00:00Z');
const STATUSES = [200, 200, 200, 404, 500, 301];
const PATHS = ['/Card/pay', '/health', '/card/DECLINED', '/a_b', '/100%'];

/** A combined access log, parsed in small chunks so queries cross many chunks' skip indexes. */
beforeAll(async () => {
  bed = openStageTestBed('upload-entries');
  const { dir, ctx } = bed;
  store = bed.store;
  const lines = Array.from({ length: 600 }, (_, i) => {
    // Minutes go back and forth, so chunks' time spans overlap.
    const at = new Date(T0 + ((i * 37) % 120) * 60_000);
    const day = at.toISOString().slice(8, 10);
    const time = at.toISOString().slice(11, 19);
    const status = STATUSES[i % STATUSES.length];
    const path = `${PATHS[i % PATHS.length]}?n=${i}`;
    return `10.0.0.${i % 7} - - [${day}/Jan/2024:${time} +0000] "GET ${path} HTTP/1.1" ${status} ${i} "-" "ua"`;
  });
  const path = join(dir, 'access.log');
  const content = `${lines.join('\n')}\n`;
  writeFileSync(path, content);
  upload = insertUpload(
    store,
    testUpload({ storedPath: path, sizeBytes: Buffer.byteLength(content), format: 'combined' }),
  );
  const chunks = await splitIntoChunks(path, upload.sizeBytes, 4096);
  resetForFlow(store, upload.id, 1, chunks.length);
  for (let i = 0; i < chunks.length; i++)
    await runStageJob('parse', fakeJob({ uploadId: upload.id, attempt: 1, chunk: i, ...chunks[i] }), ctx);
  all = await storedRows(store, upload.id);
});
afterAll(() => bed.close());

/** Every page of the query, `limit` at a time, following the cursor. */
async function pages(query: Record<string, string>, limit: number): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const f = entryFilters.parse({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const page = await uploadEntriesPage(store.sqlite, upload, f);
    expect(page.records.length).toBeLessThanOrEqual(limit);
    ids.push(...page.records.map((r) => r.row.id));
    if (page.nextCursor === null) return ids;
    cursor = String(page.nextCursor);
  }
}

const expected = (keep: (r: EntryRow) => boolean) => all.filter(keep).map((r) => r.id);

describe('uploadEntriesPage', () => {
  it('holds every line of the file once, in file order', () => {
    expect(all).toHaveLength(600);
    expect(all.map((r) => r.offset)).toEqual(all.map((r) => r.offset).sort((a, b) => a - b));
    expect(new Set(all.map((r) => r.chunk)).size).toBeGreaterThan(10);
  });

  it.each([
    [{}, () => true],
    [{ status: '404' }, (r: EntryRow) => r.status === 404],
    [{ status: '5xx' }, (r: EntryRow) => r.status !== null && r.status >= 500],
    [
      { from: '2024-01-15T10:30:00Z', to: '2024-01-15T11:00:00Z' },
      (r: EntryRow) => r.ts !== null && r.ts >= T0 + 30 * 60_000 && r.ts < T0 + 60 * 60_000,
    ],
    [{ q: 'card' }, (r: EntryRow) => r.message.toLowerCase().includes('card')],
    [{ q: 'DECLINED', status: '2xx' }, (r: EntryRow) => r.message.includes('DECLINED') && r.status === 200],
    [{ q: '100%' }, (r: EntryRow) => r.message.includes('100%')],
    [{ q: 'a_b' }, (r: EntryRow) => r.message.includes('a_b')],
    [{ q: 'nowhere' }, () => false],
  ] as [Record<string, string>, (r: EntryRow) => boolean][])(
    'pages through exactly the records %j matches, whatever the page size',
    async (query, keep) => {
      const want = expected(keep);
      for (const limit of [1, 7, 1000]) expect(await pages(query, limit)).toEqual(want);
    },
  );

  it('gives each record its request fields, parsed again from the file', async () => {
    const f = entryFilters.parse({ status: '301', limit: '1' });
    const [first] = (await uploadEntriesPage(store.sqlite, upload, f)).records;
    expect(first?.row).toMatchObject({ method: 'GET', status: 301, bytes: 5, path: '/Card/pay' });
    expect(first?.raw).toContain('"GET /Card/pay?n=5 HTTP/1.1" 301 5');
  });
});

describe('UploadRecords.byIdsPerChunk', () => {
  it('yields the records of the ids given, one chunk per batch in file order, skipping unknown ids', async () => {
    const records = new UploadRecords(store.sqlite, upload);
    expect(records.metas.length).toBeGreaterThan(3);
    const picked = all.filter((_, i) => i % 5 === 0);
    const ids = [...picked.map((r) => r.id).reverse(), picked[0]!.id + 1, -1];
    const batches: EntryRow[][] = [];
    for await (const batch of records.byIdsPerChunk(ids)) batches.push(batch.map((r) => r.row));
    expect(batches.flat()).toEqual(picked);
    for (const batch of batches) expect(new Set(batch.map((r) => r.chunk)).size).toBe(1);
    expect(new Set(batches.map((b) => b[0]!.chunk)).size).toBe(batches.length);
  });
});
