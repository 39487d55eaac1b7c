/**
 * Entry queries on a large upload: p50/p95 latency of GET /api/uploads/:id/entries and GET /api/logs with
 * the filters people use, through the API as a real process, and the SQLite plan of each entries query.
 * Run: npm run bench:query -- [--entries 10000000] [--requests 200] [--seconds 30]
 *
 * Loading: a generated access log (the project's generator, seed 1) is written to a temporary DATA_DIR and
 * parsed by the parse stage itself (runStageJob, in this process) in chunks of CHUNK_BYTES's default, so
 * the upload's records are stored exactly as a worker stores them: each chunk's columns and skip index.
 * Then clean, analyze and report run on it, as a worker would. The plans of the queries every request
 * makes (the skip index, the text filters, a chunk's column) are printed and must be index searches.
 * Then the API starts on that directory and each query shape is requested `--requests` times in turn
 * (first pages, then the page after a cursor deep in the file), or for `--seconds` per shape (default 30),
 * whichever ends first.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, entryId, openStore } from '@logsift/db';
import {
  DEFAULTS,
  entryFilters,
  insertUpload,
  loadConfig,
  recordFilterOf,
  resetForFlow,
  runStageJob,
  splitIntoChunks,
  UploadRecords,
  uploadEntriesPage,
  writeGeneratedLog,
} from '@logsift/jobs';
import { pino } from 'pino';
import { chunkMayMatch } from '../packages/jobs/dist/segments/filter.js';
import { chunkMayHold, textSearch } from '../packages/jobs/dist/segments/text-search.js';
import { freePort, startRedisServer } from '../scripts/lib/redis.mjs';
import { args, mb, median, PeakTracker, root, TOKEN } from './lib/stack.mjs';
import { benchUpload } from './lib/upload.mjs';

const opts = args({ entries: 10_000_000, requests: 200, seconds: 30 });
const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-query-'));
const file = join(dir, 'access.log');

const t0 = performance.now();
const out = createWriteStream(file);
await writeGeneratedLog({ format: 'access', lines: opts.entries }, out);
await new Promise((r) => out.end(r));
const store = openStore(`file:${join(dir, 'logsift.db')}`);
applyMigrations(store);
const upload = insertUpload(
  store,
  benchUpload('bench-query', { storedPath: file, sizeBytes: 0, sha256: 'bench' }),
);
const { size } = await stat(file);
store.sqlite
  .prepare("UPDATE uploads SET status = 'completed', size_bytes = ? WHERE id = ?")
  .run(size, upload.id);
upload.sizeBytes = size;
const chunks = await splitIntoChunks(file, size, DEFAULTS.chunkBytes);
resetForFlow(store, upload.id, 1, chunks.length);
const ctx = { store, config: loadConfig({ DATA_DIR: dir }), logger: pino({ level: 'silent' }) };
for (const [i, range] of chunks.entries()) {
  const job = { data: { uploadId: upload.id, attempt: 1, chunk: i, ...range }, attemptsMade: 0 };
  await runStageJob('parse', { ...job, updateProgress: async () => {} }, ctx);
}
// The rest of the flow too, so the stored upload is as a worker leaves it (its duplicate keys cleared).
for (const stage of ['clean', 'analyze', 'report']) {
  const job = { data: { uploadId: upload.id, attempt: 1 }, attemptsMade: 0, updateProgress: async () => {} };
  await runStageJob(stage, job, ctx);
}
const offset = size;
const records = new UploadRecords(store.sqlite, upload);
const last = records.segment(records.metas.length - 1);
const lastTs = last.ts[last.rows - 1];
store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
console.log(
  `loaded ${opts.entries} entries (${mb(offset)} of log, ${chunks.length} chunks) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);

// Text searches that match: a rare text taken from a record in the middle (a path with a long number),
// counted here, and a common word.
const middle = await uploadEntriesPage(
  store.sqlite,
  upload,
  entryFilters.parse({ cursor: String(entryId(upload.entryBase, Math.floor(offset / 2))), limit: '1000' }),
);
const rare = middle.records.map((r) => /[a-z]+\/\d{5,}/.exec(r.row.message)?.[0]).find(Boolean);
if (!rare) throw new Error('no entry with a numbered path to search for');
let rareCount = 0;
for (let cursor; ; ) {
  const page = await uploadEntriesPage(
    store.sqlite,
    upload,
    entryFilters.parse({ q: rare, limit: '1000', ...(cursor ? { cursor: String(cursor) } : {}) }),
  );
  rareCount += page.records.length;
  if (page.nextCursor === null) break;
  cursor = page.nextCursor;
}
console.log(`rare text "${rare}" is in ${rareCount} entries; "orders" in most`);
const firstTs = Date.UTC(2024, 0, 15, 10, 0, 0);
const mid = new Date(firstTs + (lastTs - firstTs) / 2);
const deep = entryId(upload.entryBase, Math.floor(offset * 0.9));
const shapes = [
  ['first page', {}],
  ['status=5xx', { status: '5xx' }],
  ['status=404', { status: '404' }],
  ['level=ERROR', { level: 'ERROR' }],
  [
    'time window (1 min, middle)',
    { from: mid.toISOString(), to: new Date(mid.getTime() + 60_000).toISOString() },
  ],
  ['from=middle', { from: mid.toISOString() }],
  ['cursor at 90%', { cursor: String(deep) }],
  ['status=5xx, cursor at 90%', { status: '5xx', cursor: String(deep) }],
  ['q=checkout (text search)', { q: 'checkout' }],
  [`q=rare text (${rareCount} matches)`, { q: rare }],
  ['q=orders (common text)', { q: 'orders' }],
];

// Uploaded records are not rows with indexes: a query reads the chunks its skip index cannot rule out.
// Every query reads the upload's skip index first, then only the columns of the chunks it does not rule
// out, by primary key: both must be index searches, never scans.
console.log('\nquery plans:');
for (const [what, sql, params] of [
  [
    'skip index (every query)',
    `SELECT chunk, start_byte, end_byte, records, lines, min_ts, max_ts, level_mask, flag_mask, status_set,
       undated FROM chunk_results WHERE upload_id = ? ORDER BY chunk`,
    [upload.id],
  ],
  [
    'text filters (text search)',
    'SELECT chunk, text_filter FROM chunk_results WHERE upload_id = ? ORDER BY chunk',
    [upload.id],
  ],
  [
    "a chunk's column",
    'SELECT data FROM entry_segments WHERE upload_id = ? AND chunk = ? AND "column" = ?',
    [upload.id, 0, 'ts'],
  ],
]) {
  const plan = store.sqlite
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((r) => r.detail);
  console.log(`  ${what.padEnd(30)} ${plan.join('; ')}`);
  if (plan.some((d) => /^SCAN/.test(d))) throw new Error(`${what}: the plan scans a table`);
}

console.log('\nchunks each query may have to read (the rest its skip index rules out):');
for (const [name, query] of shapes) {
  const f = entryFilters.parse(query);
  const filter = recordFilterOf(store.sqlite, upload.seq, f);
  const search = f.q ? textSearch(f.q, records.parser.format) : null;
  const metas = search ? new UploadRecords(store.sqlite, upload, { textFilters: true }).metas : records.metas;
  const kept = metas.filter((m) => chunkMayMatch(m, filter) && (!search || chunkMayHold(m, search))).length;
  console.log(`  ${name.padEnd(30)} ${kept} of ${metas.length}`);
}
store.close();

const redisPort = await freePort();
const redis = await startRedisServer({ port: redisPort, dir: join(dir, 'redis') });
const port = await freePort();
const api = spawn(process.execPath, [join(root, 'apps/api/dist/server.js')], {
  cwd: dir,
  env: {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dir,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOGSIFT_TOKENS: `bench=${TOKEN}`,
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const tracker = new PeakTracker();
tracker.watch('api', api.pid);
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  /** Requests `url` until `opts.requests` or `opts.seconds`; prints p50/p95 and returns p95. */
  const measure = async (name, url, rowsKey) => {
    const times = [];
    let count = 0;
    const stopAt = performance.now() + opts.seconds * 1000;
    for (let i = 0; i < opts.requests && performance.now() < stopAt; i++) {
      const s = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body = await res.json();
      times.push(performance.now() - s);
      if (!res.ok) throw new Error(`${name}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      count = body[rowsKey].length;
    }
    if (name === 'first page' && count === 0)
      throw new Error(`${name} returned no rows: nothing was measured`);
    times.sort((a, b) => a - b);
    const p95 = times[Math.ceil(times.length * 0.95) - 1];
    console.log(
      `  ${name.padEnd(30)} p50 ${median(times).toFixed(1).padStart(7)}  p95 ${p95.toFixed(1).padStart(7)}  (${count} rows a page, ${times.length} requests)`,
    );
    return p95;
  };
  console.log(`\nGET /api/uploads/:id/entries, ${opts.requests} requests per shape, one at a time (ms):`);
  const p95s = [];
  for (const [name, query] of shapes) {
    const url = `${base}/api/uploads/${upload.id}/entries?${new URLSearchParams(query)}`;
    p95s.push(await measure(name, url, 'entries'));
  }
  // The same store through the query API of uploads and live events together, newest first.
  const logShapes = [
    ['newest page', { source: upload.id }],
    ['level=ERROR', { source: upload.id, level: 'ERROR' }],
    [
      'time window (1 min, middle)',
      { source: upload.id, from: mid.toISOString(), to: new Date(mid.getTime() + 60_000).toISOString() },
    ],
    ['q=checkout (text search)', { source: upload.id, q: 'checkout' }],
    [`q=rare text (${rareCount} matches)`, { source: upload.id, q: rare }],
    ['q=orders (common text)', { source: upload.id, q: 'orders' }],
    ['every source, level=ERROR', { level: 'ERROR' }],
  ];
  console.log(`\nGET /api/logs, ${opts.requests} requests per shape, one at a time (ms):`);
  for (const [name, query] of logShapes) {
    p95s.push(await measure(name, `${base}/api/logs?${new URLSearchParams(query)}`, 'logs'));
  }
  console.log(
    `  worst p95: ${Math.max(...p95s).toFixed(1)} ms (target < 50 ms); API peak RSS ${mb(tracker.stop().get('api') ?? 0)}`,
  );
} finally {
  tracker.stop();
  const exits = [api, redis].map((c) => new Promise((r) => c.once('exit', r)));
  api.kill('SIGTERM');
  redis.kill('SIGTERM');
  await Promise.all(exits);
  rmSync(dir, { recursive: true, force: true });
}
