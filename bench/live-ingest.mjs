#!/usr/bin/env node
/**
 * Live ingest over HTTP, end to end: `npm run build`, then `node bench/live-ingest.mjs [--seconds 20]
 * [--connections 8] [--workers 2] [--rate 20000] [--cpu-prof DIR]`. With `--cpu-prof` the API and the
 * workers write V8 CPU profiles into DIR when they stop.
 *
 * Starts its own stack on loopback (a redis-server with AOF everysec on a free port, the built API and
 * `--workers` workers on a temporary data directory, as `npm start` runs them) and measures, with
 * batches of 500 events (1% of them repeating an event_id already acknowledged):
 *   1. throughput: `--connections` senders posting as fast as they are answered for `--seconds`
 *      (honouring 429 Retry-After): events acknowledged per second, events stored per second over the
 *      same time, and how long the backlog then takes to drain;
 *   2. latency: batches sent at a fixed `--rate` (events/s, default 20,000) for `--seconds`, open loop:
 *      acknowledgement latency percentiles;
 *   3. reconciliation: after everything is stored, events stored = acknowledged - duplicates, exactly.
 * Prints a summary and one JSON line. Everything runs on this machine: the senders share its cores with
 * the stack, so the figures are a floor for what the stack alone would do. The CPU time the stack's
 * processes (API, workers, Redis) spent per event stored during phase 1 is printed too: it does not
 * depend on what else the machine was running, and bounds the rate its cores could sustain.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { WORKER_NODE_ARGS } from '../scripts/lib/node-args.mjs';
import { freePort, startRedisServer } from '../scripts/lib/redis.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '8' },
    workers: { type: 'string', default: '2' },
    rate: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '500' },
    'cpu-prof': { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const WORKERS = Number(args.workers);
const RATE = Number(args.rate);
const BATCH = Number(args.batch);
const DUPLICATE_SHARE = 0.01;
const DRAIN_TIMEOUT_MS = 180_000;
const TOKEN = `bench-${randomBytes(12).toString('hex')}`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- the stack -------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-live-'));
const children = [];
let redis;

async function startStack() {
  const redisPort = await freePort();
  const apiPort = await freePort();
  redis = await startRedisServer({ port: redisPort, dir: join(dir, 'redis') });
  const env = {
    ...process.env,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    DATA_DIR: join(dir, 'data'),
    PORT: String(apiPort),
    TCP_PORT: '0',
    LOG_LEVEL: 'warn',
    LOGSIFT_TOKENS: `bench=${TOKEN}`,
  };
  const launch = (script, nodeArgs = []) => {
    const profile = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args['cpu-prof'])}`] : [];
    const child = spawn(process.execPath, [...nodeArgs, ...profile, join(root, script)], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
  };
  // The API migrates the database before it listens; the workers start after, so they never migrate at once.
  launch('apps/api/dist/server.js');
  const url = `http://127.0.0.1:${apiPort}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i === 300) throw new Error('the API did not start');
    await sleep(100);
  }
  for (let i = 0; i < WORKERS; i++) launch('apps/worker/dist/main.js', WORKER_NODE_ARGS);
  return { port: apiPort, db: join(dir, 'data', 'logsift.db'), spool: join(dir, 'data', 'spool.db') };
}

async function stopStack() {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  if (redis) {
    const exited = new Promise((r) => redis.once('exit', r));
    redis.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return 0;
  }
}
/** CPU seconds of the API, the workers together, and Redis. */
const stackCpu = () => ({
  api: cpuSeconds(children[0].pid),
  workers: children.slice(1).reduce((n, c) => n + cpuSeconds(c.pid), 0),
  redis: cpuSeconds(redis.pid),
});

// --- sending ---------------------------------------------------------------------------------------------

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
let port;
let nextId = 0;
const totals = { sentEvents: 0, sentDuplicates: 0, accepted: 0, duplicates: 0, rejected: 0, throttled: 0 };
const MESSAGES = [
  'payment %d authorized for %d EUR',
  'card ending %d declined',
  'order %d shipped in %d ms',
  'user %d joined room %d',
];

/** Id ranges [first, end) of the fresh events of each acknowledged batch: what duplicates repeat. */
const acknowledgedRanges = [];

/** A batch body: NDJSON events with fresh ids, 1% of them repeating an id already acknowledged. */
function batchBody() {
  const now = new Date().toISOString();
  let body = '';
  let duplicates = 0;
  const first = nextId;
  for (let i = 0; i < BATCH; i++) {
    let id;
    if (acknowledgedRanges.length > 0 && Math.random() < DUPLICATE_SHARE) {
      const [start, end] = acknowledgedRanges[Math.floor(Math.random() * acknowledgedRanges.length)];
      id = start + Math.floor(Math.random() * (end - start));
      duplicates++;
    } else id = nextId++;
    const n = id * 7919;
    const message = MESSAGES[id % MESSAGES.length]
      .replace('%d', String(n % 100000))
      .replace('%d', String(id % 1000));
    body += `{"timestamp":"${now}","level":"${id % 20 === 0 ? 'error' : 'info'}","message":"${message}","event_id":"b${id}","attributes":{"region":"eu-west-1"}}\n`;
  }
  return { body, duplicates, fresh: [first, nextId] };
}

/** One POST; resolves with the status, the parsed answer and the Retry-After header. */
function post(body) {
  return new Promise((resolvePost, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/logs',
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/x-ndjson',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolvePost({
            status: res.statusCode,
            answer: res.statusCode === 202 ? JSON.parse(text) : text,
            retryAfter: Number(res.headers['retry-after'] ?? 1),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends one batch until it is acknowledged; returns the acknowledgement latency of the final attempt (ms). */
async function sendBatch() {
  const { body, duplicates, fresh } = batchBody();
  totals.sentEvents += BATCH;
  totals.sentDuplicates += duplicates;
  for (;;) {
    const started = performance.now();
    const { status, answer, retryAfter } = await post(body);
    const latency = performance.now() - started;
    if (status === 202) {
      totals.accepted += answer.accepted;
      totals.duplicates += answer.duplicates;
      totals.rejected += answer.rejected.length;
      if (fresh[1] > fresh[0]) acknowledgedRanges.push(fresh);
      return latency;
    }
    if (status === 429 || status === 503) {
      totals.throttled++;
      await sleep(retryAfter * 1000);
      continue;
    }
    throw new Error(`HTTP ${status}: ${answer}`);
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

// --- measuring -------------------------------------------------------------------------------------------

let db;
let spool;
const stored = () => db.prepare('SELECT count(*) AS n FROM entries WHERE source = 0').get().n;
const pendingEvents = () =>
  spool.prepare('SELECT COALESCE(SUM(count), 0) AS n FROM live_batches WHERE events IS NOT NULL').get().n;

async function drain() {
  const started = performance.now();
  while (pendingEvents() > 0) {
    if (performance.now() - started > DRAIN_TIMEOUT_MS) throw new Error('the backlog did not drain in time');
    await sleep(100);
  }
  return performance.now() - started;
}

async function throughputPhase() {
  const acceptedBefore = totals.accepted + totals.duplicates;
  const storedBefore = totals.accepted - pendingEvents();
  const cpuBefore = stackCpu();
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) await sendBatch();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const acknowledged = totals.accepted + totals.duplicates - acceptedBefore;
  const storedDuring = totals.accepted - pendingEvents() - storedBefore;
  const drainMs = await drain();
  const cpuAfter = stackCpu();
  const perEvent = (k) =>
    Math.round(((cpuAfter[k] - cpuBefore[k]) / (totals.accepted - storedBefore)) * 1e7) / 10;
  const cpuMicrosecondsPerEvent = {
    api: perEvent('api'),
    workers: perEvent('workers'),
    redis: perEvent('redis'),
  };
  return {
    seconds: elapsed,
    stackCpuMicrosecondsPerEvent:
      Math.round(
        (cpuMicrosecondsPerEvent.api + cpuMicrosecondsPerEvent.workers + cpuMicrosecondsPerEvent.redis) * 10,
      ) / 10,
    cpuMicrosecondsPerEvent,
    acknowledgedPerSecond: Math.round(acknowledged / elapsed),
    storedPerSecond: Math.round(storedDuring / elapsed),
    backlogDrainSeconds: Math.round(drainMs / 100) / 10,
    endToEndPerSecond: Math.round(acknowledged / (elapsed + drainMs / 1000)),
  };
}

async function latencyPhase() {
  const interval = (BATCH / RATE) * 1000;
  const latencies = [];
  const inFlight = [];
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < SECONDS * 1000) {
    const due = started + sent * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    sent++;
    inFlight.push(sendBatch().then((ms) => latencies.push(ms)));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await drain();
  latencies.sort((a, b) => a - b);
  const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    targetPerSecond: RATE,
    sentPerSecond: Math.round((sent * BATCH) / elapsed),
    requests: latencies.length,
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? null),
  };
}

try {
  const load = loadavg()[0];
  const stack = await startStack();
  port = stack.port;
  db = new Database(stack.db, { readonly: true });
  db.pragma('busy_timeout = 5000');
  spool = new Database(stack.spool, { readonly: true });
  spool.pragma('busy_timeout = 5000');
  // Warm up (JIT, first templates), then measure.
  for (let i = 0; i < 20; i++) await sendBatch();
  await drain();
  const throughput = await throughputPhase();
  const latency = await latencyPhase();
  await drain();
  const storedCount = stored();
  const acknowledged = totals.accepted + totals.duplicates;
  const reconciliation = {
    sent: totals.sentEvents,
    acknowledged,
    duplicates: totals.duplicates,
    duplicatesSent: totals.sentDuplicates,
    stored: storedCount,
    reconciled:
      storedCount === acknowledged - totals.duplicates && totals.duplicates === totals.sentDuplicates,
  };
  const result = {
    machine: { cpus: cpus().length, loadAverage1mBefore: Math.round(load * 100) / 100 },
    settings: { seconds: SECONDS, connections: CONNECTIONS, workers: WORKERS, batch: BATCH },
    throughput,
    latency,
    reconciliation,
    throttledRequests: totals.throttled,
  };
  console.log(
    `throughput (${CONNECTIONS} connections, batches of ${BATCH}, ${WORKERS} workers, ${SECONDS} s): ` +
      `${throughput.acknowledgedPerSecond} events/s acknowledged, ${throughput.storedPerSecond} events/s stored, ` +
      `backlog drained in ${throughput.backlogDrainSeconds} s (end to end ${throughput.endToEndPerSecond} events/s); ` +
      `the stack used ${throughput.stackCpuMicrosecondsPerEvent} µs of CPU per event stored ` +
      `(API ${throughput.cpuMicrosecondsPerEvent.api}, workers ${throughput.cpuMicrosecondsPerEvent.workers}, ` +
      `Redis ${throughput.cpuMicrosecondsPerEvent.redis})`,
  );
  console.log(
    `latency at ${RATE} events/s (sent ${latency.sentPerSecond}/s): p50 ${latency.p50} ms, p90 ${latency.p90} ms, ` +
      `p99 ${latency.p99} ms, max ${latency.max} ms over ${latency.requests} requests`,
  );
  console.log(
    `reconciliation: stored ${reconciliation.stored} = acknowledged ${acknowledged} - duplicates ${totals.duplicates}: ` +
      `${reconciliation.reconciled ? 'exact' : 'MISMATCH'}`,
  );
  console.log(JSON.stringify(result));
  db.close();
  spool.close();
  await stopStack();
  process.exit(reconciliation.reconciled ? 0 : 1);
} catch (err) {
  console.error(err);
  db?.close();
  spool?.close();
  await stopStack();
  process.exit(1);
}
