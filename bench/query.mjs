/**
 * Entry queries on a large upload: p50/p95 latency of GET /api/uploads/:id/entries and GET /api/logs with
 * the filters people use, through the API as a real process, and the SQLite plan of each entries query.
 * Run: npm run bench:query -- [--entries 10000000] [--requests 200] [--seconds 30]
 *
 * Loading: a generated access log (the project's generator, seed 1) is written to a temporary DATA_DIR and
 * its lines are parsed with the access format and stored with writeChunk in 2 MiB chunks (CHUNK_BYTES's
 * default), as the parse stage stores them (same columns, same ids, same indexes), so the entries point
 * at real bytes the API reads back. Cleaning, templates and statistics are skipped: only the entries
 * table matters here.
 * Then the API starts on that directory and each query shape is requested `--requests` times in turn
 * (first pages, then the page after a cursor deep in the file), or for `--seconds` per shape (default 30),
 * whichever ends first.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { applyMigrations, entryId, openStore } from '@logsift/db';
import {
  candidateRanges,
  DEFAULTS,
  entryFilters,
  getFormat,
  insertUpload,
  levelRank,
  uploadEntriesQuery,
  writeGeneratedLog,
} from '@logsift/jobs';
import { writeChunk } from '../packages/jobs/dist/stages/parse/write-chunk.js';
import { freePort, startRedisServer } from '../scripts/lib/redis.mjs';
import { args, mb, median, PeakTracker, root, TOKEN } from './lib/stack.mjs';

const opts = args({ entries: 10_000_000, requests: 200, seconds: 30 });
const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-query-'));
const file = join(dir, 'access.log');

const t0 = performance.now();
const out = createWriteStream(file);
await writeGeneratedLog({ format: 'access', lines: opts.entries }, out);
await new Promise((r) => out.end(r));
const store = openStore(`file:${join(dir, 'logsift.db')}`);
applyMigrations(store);
const upload = insertUpload(store, {
  id: 'bench-query',
  filename: 'access.log',
  storedPath: file,
  sizeBytes: 0,
  sha256: 'bench',
  compression: 'none',
  requestedFormat: null,
  format: 'combined',
  formatConfidence: 1,
  service: null,
  options: {},
});
store.sqlite.prepare("UPDATE uploads SET status = 'completed' WHERE id = ?").run(upload.id);
const access = getFormat('combined');
const ctx = { referenceTime: Date.now() };
let rows = [];
let chunk = 0;
let chunkStart = 0;
let offset = 0;
let lastTs = 0;
const flush = () => {
  writeChunk(store, upload, { start: chunkStart, end: offset }, rows, {
    uploadId: upload.id,
    chunk,
    startByte: chunkStart,
    endByte: offset,
    lines: rows.length,
    records: rows.length,
    parsed: rows.length,
    unparsed: 0,
    summary: '{}',
  });
  rows = [];
  chunk++;
  chunkStart = offset;
};
for await (const line of createInterface({
  input: createReadStream(file),
  crlfDelay: Number.POSITIVE_INFINITY,
})) {
  const f = access.parse(line, ctx) ?? { message: line };
  const length = Buffer.byteLength(line) + 1;
  lastTs = f.ts ?? lastTs;
  rows.push([
    entryId(upload.entryBase, offset),
    chunk,
    rows.length + 1,
    1,
    offset,
    length,
    f.ts ?? null,
    f.tz ?? null,
    f.level ? levelRank(f.level) : null,
    f.service ?? null,
    f.host ?? null,
    f.method ?? null,
    f.path ?? null,
    f.status ?? null,
    f.bytes ?? null,
    f.latencyMs ?? null,
    f.message,
    null,
    0,
    f.fields && Object.keys(f.fields).length > 0 ? JSON.stringify(f.fields) : null,
  ]);
  offset += length;
  // Chunks as the parse stage cuts them: DEFAULTS.chunkBytes of the file each (the skip index is per chunk).
  if (offset - chunkStart >= DEFAULTS.chunkBytes) flush();
}
if (rows.length > 0) flush();
// The upload's size bounds its entry ids (entryIdRange): the API reads only ids inside it.
store.sqlite.prepare('UPDATE uploads SET size_bytes = ? WHERE id = ?').run(offset, upload.id);
upload.sizeBytes = offset;
store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
console.log(
  `loaded ${opts.entries} entries (${mb(offset)} of log) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);

// Text searches that match: a rare text taken from an entry in the middle (a path with a long number),
// counted here, and a common word.
const sample = store.sqlite
  .prepare(
    "SELECT message FROM entries WHERE id >= ? AND message GLOB '*[a-z]/[0-9][0-9][0-9][0-9][0-9]*' ORDER BY id LIMIT 1",
  )
  .pluck()
  .get(entryId(upload.entryBase, Math.floor(offset / 2)));
const rare = /[a-z]+\/\d{5,}/.exec(sample ?? '')?.[0];
if (!rare) throw new Error('no entry with a numbered path to search for');
const rareCount = store.sqlite
  .prepare("SELECT count(*) FROM entries WHERE source = ? AND message LIKE ? ESCAPE '\\'")
  .pluck()
  .get(upload.seq, `%${rare}%`);
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

console.log('\nquery plans (EXPLAIN QUERY PLAN):');
for (const [name, query] of shapes) {
  const { sql, params } = uploadEntriesQuery(store.sqlite, upload, entryFilters.parse(query));
  const plan = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params);
  console.log(`  ${name}: ${plan.map((p) => p.detail).join(' | ')}`);
  const filters = entryFilters.parse(query);
  const ranges = candidateRanges(store.sqlite, upload, filters);
  if (ranges) {
    const bytes = ranges.reduce((n, [first, end]) => n + end - first, 0);
    console.log(
      `    skip index: reads ${(bytes / 1e6).toFixed(1)} of ${(upload.sizeBytes / 1e6).toFixed(0)} MB of entries, in ${ranges.length} id ranges`,
    );
  }
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
