/**
 * SQLite write share of a parse job: writeChunk alone, on entries shaped like parsed access-log lines.
 * Run: node bench/write-chunk.mjs [rows per chunk] [chunks] [--drop-indexes] [--page-size N]
 * Prints rows/s for each chunk (fresh temporary database, migrations applied) and the median, by CPU time
 * of this process (user + system: stable on a shared machine) and by wall-clock time; and the CPU time
 * spent holding the write lock (the IMMEDIATE transaction, which every worker waits for), beside its peer:
 * the same rows inserted one statement each under the lock, into a second table of the same shape.
 * `--drop-indexes` drops the entries indexes first, to show what index maintenance costs;
 * `--page-size N` creates the database with pages of N bytes (SQLite's default is 4096).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyMigrations, openStore } from '@logsift/db';
import Database from 'better-sqlite3';
import { writeChunk } from '../packages/jobs/dist/stages/parse/write-chunk.js';
import { median } from './lib/stack.mjs';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'drop-indexes': { type: 'boolean', default: false }, 'page-size': { type: 'string' } },
});
const perChunk = Number(positionals[0] ?? 100_000);
const chunks = Number(positionals[1] ?? 4);
const dropIndexes = flags['drop-indexes'];
const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-write-'));
if (flags['page-size']) {
  // The page size is fixed when the database is made, before openStore switches it to WAL.
  const db = new Database(join(dir, 'bench.db'));
  db.pragma(`page_size = ${Number(flags['page-size'])}`);
  db.exec('VACUUM');
  db.close();
}
const store = openStore(`file:${join(dir, 'bench.db')}`);
applyMigrations(store);
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
// The peer: a table shaped and indexed like entries, filled the way writeChunk filled entries before it
// staged its rows (one INSERT per row inside the IMMEDIATE transaction).
const entriesSql = store.sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'entries'").get().sql;
store.sqlite.exec(entriesSql.replace(/entries/, 'peer'));
const indexes = store.sqlite
  .prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL",
  )
  .all();
for (const { name, sql } of indexes) {
  if (dropIndexes) store.sqlite.exec(`DROP INDEX ${name}`);
  else store.sqlite.exec(sql.replace(name, `peer_${name}`).replaceAll(/([`"])entries\1/g, '$1peer$1'));
}
const columns =
  `id, source, chunk, line, span, offset, length, ts, tz, level, service, host, method, path, status,
  bytes, latency_ms, message, signature, flags, fields`.split(/,\s*/);
const peerInsert = store.sqlite.prepare(
  `INSERT INTO peer (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
);
// Times the IMMEDIATE transactions (the ones that take the write lock) of writeChunk.
let lockedMs = 0;
const transaction = store.sqlite.transaction.bind(store.sqlite);
store.sqlite.transaction = (fn) => {
  const tx = transaction(fn);
  const timed = (...a) => tx(...a);
  timed.immediate = (...a) => {
    const t = cpuMs();
    try {
      return tx.immediate(...a);
    } finally {
      lockedMs += cpuMs() - t;
    }
  };
  return timed;
};
store.sqlite
  .prepare(
    `INSERT INTO uploads (id, seq, entry_base, filename, stored_path, size_bytes, sha256, created_at)
     VALUES ('u1', 1, 1, 'a.log', '/dev/null', ?, 'x', 0)`,
  )
  .run(perChunk * chunks * 160);

const paths = ['/api/products', '/api/cart', '/login', '/static/app.js', '/api/search'];
const rates = [];
const wallRates = [];
const locked = [];
const peerLocked = [];
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
  lockedMs = 0;
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
  locked.push(lockedMs);
  const p0 = cpuMs();
  transaction(() => {
    for (const row of rows) peerInsert.run(row[0], 1, ...row.slice(1));
  }).immediate();
  peerLocked.push(cpuMs() - p0);
  console.log(
    `chunk ${c}: ${perChunk} rows, ${cpuS.toFixed(2)} s CPU (${Math.round(perChunk / cpuS)} rows/s), ${s.toFixed(2)} s wall; ` +
      `under the write lock ${lockedMs.toFixed(0)} ms CPU (peer, one INSERT a row: ${peerLocked.at(-1).toFixed(0)} ms)`,
  );
}
console.log(
  `median: ${Math.round(median(rates))} rows/s of CPU time, ${Math.round(median(wallRates))} rows/s wall; ` +
    `under the write lock ${((median(locked) * 1000) / perChunk).toFixed(2)} µs a row ` +
    `(peer ${((median(peerLocked) * 1000) / perChunk).toFixed(2)} µs, ratio ${(median(locked) / median(peerLocked)).toFixed(2)})` +
    (dropIndexes ? ', without the entries indexes' : '') +
    `; page size ${store.sqlite.pragma('page_size', { simple: true })}`,
);
store.close();
rmSync(dir, { recursive: true, force: true });
