#!/usr/bin/env node
/**
 * The live dedup store alone: `npm run build`, then `node bench/dedup.mjs [--ids 1000000] [--batch 500]
 * [--runs 3]`.
 *
 * Claims `--ids` fresh event ids (1% of them repeats of ids already claimed, as in bench/live-ingest.mjs)
 * in requests of `--batch`, one awaited call at a time, against a redis-server of its own (AOF everysec, as
 * in production), with two designs in the same run:
 *   - logsift: DedupClaims, hashes bucketed by the window (packages/jobs/src/live/dedup.ts);
 *   - one key per id: `SET key claim PX window NX GET` for each id in one Lua call per request.
 * For each it prints Redis's CPU time per id (used_cpu_user + sys from INFO), this process's CPU time per
 * id (the API's side: building and encoding the call) and Redis's memory per id held (used_memory after,
 * less before). Medians of `--runs`; each run gets a fresh redis-server.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DedupClaims } from '../packages/jobs/dist/live/dedup.js';
import { freePort, startRedisServer } from '../scripts/lib/redis.mjs';
import { args, median } from './lib/stack.mjs';

const opts = args({ ids: 1_000_000, batch: 500, runs: 3 });
const WINDOW_MS = 600_000;
const DUPLICATE_SHARE = 0.01;

const PER_KEY_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('SET', key, ARGV[1], 'PX', ARGV[2], 'NX', 'GET') or false
end
return out`;

const designs = {
  logsift: (redis) => {
    const dedup = new DedupClaims(redis, 'bench', WINDOW_MS);
    return (ids, claim) =>
      dedup.claim(
        ids.map((eventId) => ({ service: 'payments', eventId })),
        claim,
      );
  },
  'one key per id': (redis) => (ids, claim) =>
    redis.eval(
      PER_KEY_SCRIPT,
      ids.length,
      ...ids.map((id) => `bench:dedup:payments:${id}`),
      claim,
      String(WINDOW_MS),
    ),
};

/** Requests of `batch` ids: uuid-like, with a share repeating earlier ones. */
function requests() {
  const out = [];
  const issued = [];
  for (let n = 0; n < opts.ids; n += opts.batch) {
    const ids = new Set();
    for (let i = 0; i < opts.batch; i++) {
      const repeat = issued.length > 0 && Math.random() < DUPLICATE_SHARE;
      const id = repeat ? issued[Math.floor(Math.random() * issued.length)] : randomBytes(16).toString('hex');
      ids.add(id);
    }
    issued.push(...ids);
    out.push([...ids]);
  }
  return out;
}

async function redisStats(redis) {
  const cpu = await redis.info('cpu');
  const memory = await redis.info('memory');
  const read = (text, name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(text)?.[1]);
  return {
    cpuS: read(cpu, 'used_cpu_user') + read(cpu, 'used_cpu_sys'),
    memory: read(memory, 'used_memory'),
  };
}

async function measure(name, reqs) {
  const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-dedup-'));
  const port = await freePort();
  const server = await startRedisServer({ port, dir });
  const redis = new Redis({ port, host: '127.0.0.1' });
  try {
    const claim = designs[name](redis);
    const before = await redisStats(redis);
    const cpu0 = process.cpuUsage();
    let held = 0;
    for (const [i, ids] of reqs.entries()) {
      const answers = await claim(ids, `c${i}`);
      held += answers.filter((a) => a !== null).length;
    }
    const cpu = process.cpuUsage(cpu0);
    const after = await redisStats(redis);
    const n = reqs.reduce((sum, ids) => sum + ids.length, 0);
    return {
      redisUs: ((after.cpuS - before.cpuS) * 1e6) / n,
      clientUs: (cpu.user + cpu.system) / n,
      bytesPerId: (after.memory - before.memory) / (n - held),
      duplicates: held,
    };
  } finally {
    redis.disconnect();
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = Object.fromEntries(Object.keys(designs).map((name) => [name, []]));
for (let run = 1; run <= opts.runs; run++) {
  const reqs = requests();
  for (const name of Object.keys(designs)) {
    const r = await measure(name, reqs);
    results[name].push(r);
    console.log(
      `run ${run} ${name}: Redis ${r.redisUs.toFixed(2)} µs/id, client ${r.clientUs.toFixed(2)} µs/id, ${r.bytesPerId.toFixed(0)} B/id held, ${r.duplicates} duplicates found`,
    );
  }
}
const summary = {};
for (const [name, rs] of Object.entries(results)) {
  summary[name] = {
    redisUs: median(rs.map((r) => r.redisUs)),
    clientUs: median(rs.map((r) => r.clientUs)),
    bytesPerId: median(rs.map((r) => r.bytesPerId)),
  };
  const s = summary[name];
  console.log(
    `median ${name}: Redis ${s.redisUs.toFixed(2)} µs/id, client ${s.clientUs.toFixed(2)} µs/id, ${s.bytesPerId.toFixed(0)} B/id`,
  );
}
const [ours, peer] = [summary.logsift, summary['one key per id']];
console.log(
  `ratios (logsift / one key per id): Redis CPU ${(ours.redisUs / peer.redisUs).toFixed(2)}, client CPU ${(ours.clientUs / peer.clientUs).toFixed(2)}, memory ${(ours.bytesPerId / peer.bytesPerId).toFixed(2)}`,
);
console.log(JSON.stringify({ settings: opts, summary }));
