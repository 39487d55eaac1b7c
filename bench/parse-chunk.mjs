/**
 * The parse stage alone, in this process: `node bench/parse-chunk.mjs [--lines 300000] [--runs 5]`.
 * Generates an access log as bench:e2e does (combined), stores it as an upload in a
 * temporary database, and runs the parse handler over each 2 MiB chunk in turn, as one worker with
 * concurrency 1 would: reading, parsing, cleaning, statistics, templates, the skip index and the chunk's
 * commit. Prints the main thread's CPU time a line (process.cpuUsage, so the background checkpointer's
 * thread counts too) and wall time, per run and as medians. Needs `npm run build`.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openStore } from '@logsift/db';
import { insertUpload, loadConfig, STAGE_HANDLERS, splitIntoChunks, writeGeneratedLog } from '@logsift/jobs';
import { pino } from 'pino';
import { args, median } from './lib/stack.mjs';
import { benchUpload } from './lib/upload.mjs';

const opts = args({ lines: 300_000, runs: 5 });
const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-parse-'));
const file = join(dir, 'access.log');
const out = createWriteStream(file);
await writeGeneratedLog({ format: 'access', lines: opts.lines }, out);
await new Promise((r) => out.end(r));
const size = statSync(file).size;
const config = loadConfig({ DATA_DIR: dir });
const chunks = await splitIntoChunks(file, size, config.chunkBytes);
const job = { updateProgress: async () => {} };
const logger = pino({ level: 'silent' });

const cpu = [];
const wall = [];
try {
  for (let run = 1; run <= opts.runs; run++) {
    const store = openStore(`file:${join(dir, `run-${run}.db`)}`, { backgroundCheckpoint: true });
    applyMigrations(store);
    const upload = insertUpload(
      store,
      benchUpload(`u${run}`, { storedPath: file, sizeBytes: size }),
      chunks.length,
    );
    const ctx = { store, config, logger };
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let records = 0;
    for (const [chunk, range] of chunks.entries()) {
      const data = { uploadId: upload.id, attempt: 1, chunk, start: range.start, end: range.end };
      records += (await STAGE_HANDLERS.parse({ job, data, upload, ctx })).records;
    }
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const us = (c.user + c.system) / records;
    cpu.push(us);
    wall.push(ms);
    console.log(
      `run ${run}: ${records} records in ${chunks.length} chunks, ${ms.toFixed(0)} ms, CPU ${us.toFixed(2)} us a record`,
    );
    store.close();
  }
  console.log(
    `\nmedian of ${opts.runs}: CPU ${median(cpu).toFixed(2)} us a record, wall ${median(wall).toFixed(0)} ms`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
