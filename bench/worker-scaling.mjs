#!/usr/bin/env node
/**
 * Parse throughput with 1, then 2 worker processes on this machine, as `docker compose up --scale worker=N`
 * would run them (one API, N workers, one SQLite file): `node bench/worker-scaling.mjs [lines] [chunkBytes]`
 * (defaults 1,000,000 access lines, 4 MiB chunks). Needs `npm run build` and a Redis (REDIS_URL, default
 * the machine's on 6379). For each N it starts the built API and N workers on a fresh data directory and
 * queue prefix, uploads the same generated file with ?wait=true, and prints the stage timings the upload
 * reports. Each run is repeated (RUNS, default 2) and every result printed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeneratedLog } from '@logsift/jobs';
import { Redis } from 'ioredis';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LINES = Number(process.argv[2] ?? 1_000_000);
const CHUNK_BYTES = Number(process.argv[3] ?? 4 * 1024 * 1024);
const RUNS = Number(process.env.RUNS ?? 2);
const TOKEN = `bench-${randomBytes(12).toString('hex')}`;
const PORT = 3900 + Math.floor(Math.random() * 50);

const work = mkdtempSync(join(tmpdir(), 'logsift-scaling-'));
const file = join(work, 'access.log');
const out = createWriteStream(file);
const written = await writeGeneratedLog(
  { format: 'access', lines: LINES, seed: 3, withRequestTime: true },
  out,
);
await new Promise((r) => out.end(r));
console.log(
  `file: ${LINES.toLocaleString('en-US')} lines, ${(written.bytes / 2 ** 20).toFixed(1)} MiB; chunks of ${CHUNK_BYTES} bytes`,
);

function start(script, env) {
  const child = spawn(process.execPath, [join(root, script)], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function runWith(workers) {
  const dataDir = join(work, `data-${workers}-${randomBytes(3).toString('hex')}`);
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const env = {
    ...process.env,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: prefix,
    LOGSIFT_TOKENS: `admin=${TOKEN}`,
    PORT: String(PORT),
    CHUNK_BYTES: String(CHUNK_BYTES),
    LOG_LEVEL: 'warn',
    UPLOAD_WAIT_MS: '600000',
    WORKER_METRICS_PORT: '0',
  };
  const children = [start('apps/api/dist/server.js', env)];
  for (let i = 0; i < workers; i++) children.push(start('apps/worker/dist/main.js', env));
  try {
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://127.0.0.1:${PORT}/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const form = new FormData();
    form.append('file', await openAsBlob(file), 'access.log');
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}/api/uploads?wait=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: form,
    });
    const wall = performance.now() - t0;
    const u = (await res.json()).uploads[0];
    if (u.status !== 'completed') throw new Error(`upload ${u.status}: ${u.error}`);
    return { wall, ...u.timings, chunks: u.chunks, lines: u.counts.lines };
  } finally {
    const exits = children.map((c) => new Promise((r) => c.once('exit', r)));
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(exits);
    await deleteKeys(`${prefix}:*`);
  }
}

/** Removes this run's queues from Redis, so runs leave nothing behind. */
async function deleteKeys(pattern) {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    for await (const keys of redis.scanStream({ match: pattern, count: 1000 }))
      if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

for (const workers of [1, 2]) {
  for (let run = 1; run <= RUNS; run++) {
    const r = await runWith(workers);
    const rate = (r.lines / (r.parse / 1000)).toFixed(0);
    console.log(
      `${workers} worker process(es), run ${run}: parse ${r.parse} ms (${r.chunks} chunks, ${Number(rate).toLocaleString('en-US')} lines/s), ` +
        `clean ${r.clean} ms, analyze ${r.analyze} ms, report ${r.report} ms, upload to report ${r.totalMs} ms (request ${Math.round(r.wall)} ms)`,
    );
  }
}
rmSync(work, { recursive: true, force: true });
