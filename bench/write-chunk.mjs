/**
 * SQLite write share of a parse job: writeChunk alone, on entries shaped like parsed access-log lines.
 * Run: node bench/write-chunk.mjs [rows per chunk, default 100000] [chunks, default 4]
 * Prints rows/s for each chunk (fresh temporary database, migrations applied) and the median, by CPU time
 * of this process (user + system: stable on a shared machine) and by wall-clock time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openStore } from '@logsift/db';
import { writeChunk } from '../packages/jobs/dist/stages/parse/write-chunk.js';
import { median } from './lib/stack.mjs';

const perChunk = Number(process.argv[2] ?? 100_000);
const chunks = Number(process.argv[3] ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-write-'));
const store = openStore(`file:${join(dir, 'bench.db')}`);
applyMigrations(store);
store.sqlite
  .prepare(
    `INSERT INTO uploads (id, seq, entry_base, filename, stored_path, size_bytes, sha256, created_at)
     VALUES ('u1', 1, 1, 'a.log', '/dev/null', ?, 'x', 0)`,
  )
  .run(perChunk * chunks * 160);

const paths = ['/api/products', '/api/cart', '/login', '/static/app.js', '/api/search'];
const rates = [];
const wallRates = [];
let offset = 0;
for (let c = 0; c < chunks; c++) {
  const start = offset;
  const rows = [];
  for (let i = 0; i < perChunk; i++) {
    const path = `${paths[i % paths.length]}?page=${i % 97}`;
    rows.push([
      1 + offset,
      c,
      i + 1,
      1,
      offset,
      160,
      1705312800000 + i,
      null,
      null,
      null,
      `10.0.${i % 255}.${(i * 7) % 255}`,
      'GET',
      path,
      i % 50 ? 200 : 503,
      1000 + (i % 9000),
      null,
      `GET ${path} HTTP/1.1`,
      (i % 40) * 1e9,
      0,
      null,
    ]);
    offset += 160;
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  writeChunk(store, { seq: 1, entryBase: 1 }, { start, end: offset }, rows, {
    uploadId: 'u1',
    chunk: c,
    startByte: start,
    endByte: offset,
    lines: perChunk,
    records: perChunk,
    parsed: perChunk,
    unparsed: 0,
    summary: '{}',
  });
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  rates.push(perChunk / cpuS);
  wallRates.push(perChunk / s);
  console.log(
    `chunk ${c}: ${perChunk} rows, ${cpuS.toFixed(2)} s CPU (${Math.round(perChunk / cpuS)} rows/s), ${s.toFixed(2)} s wall`,
  );
}
console.log(
  `median: ${Math.round(median(rates))} rows/s of CPU time, ${Math.round(median(wallRates))} rows/s wall`,
);
store.close();
rmSync(dir, { recursive: true, force: true });
