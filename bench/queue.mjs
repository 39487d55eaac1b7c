/**
 * Flow throughput with empty work: how much logsift's flow and stage machinery costs over plain BullMQ.
 * Run: npm run bench:queue -- [--flows 1000] [--runs 3]
 *
 * Both sides run in this process against our own redis-server on a free port (AOF everysec, as npm start
 * starts it), each run with its own queue prefix.
 *  - plain BullMQ: a FlowProducer adds report <- analyze <- clean <- parse (one chunk), BullMQ's default
 *    job options; four Workers (parse concurrency 2, the others 1) whose processors return at once.
 *  - logsift: per flow an upload row and its job rows (insertUpload with the chunk count, as submitUpload does),
 *    then enqueueUploadFlow; the workers are startStageWorkers with every stage handler replaced by one
 *    that returns at once, so the job-data validation, the upload lookup and the job-state writes in
 *    SQLite (a temporary database, checkpointed in the background as the worker's is) are what is measured.
 * Time: from the first flow added to the last report job completed. Medians of `--runs`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openStore } from '@logsift/db';
import {
  createRedis,
  enqueueUploadFlow,
  insertUpload,
  loadConfig,
  STAGE_HANDLERS,
  STAGES,
  startStageWorkers,
} from '@logsift/jobs';
import { FlowProducer, Worker } from 'bullmq';
import { pino } from 'pino';
import { freePort, startRedisServer } from '../scripts/lib/redis.mjs';
import { args, median } from './lib/stack.mjs';
import { benchUpload } from './lib/upload.mjs';

const opts = args({ flows: 1000, runs: 3 });
const CONCURRENCY = 2;
const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-queue-'));
const port = await freePort();
const redis = await startRedisServer({ port, dir: join(dir, 'redis') });
const redisUrl = `redis://127.0.0.1:${port}`;
for (const stage of STAGES) STAGE_HANDLERS[stage] = async () => null;

function whenCompleted(worker, n) {
  return new Promise((resolve) => {
    let done = 0;
    worker.on('completed', () => {
      if (++done === n) resolve();
    });
  });
}

async function plainBullmq(prefix) {
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const workers = STAGES.map(
    (stage) =>
      new Worker(stage, async () => null, {
        connection,
        prefix,
        concurrency: stage === 'parse' ? CONCURRENCY : Math.ceil(CONCURRENCY / 2),
      }),
  );
  const producer = new FlowProducer({ connection, prefix });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const finished = whenCompleted(workers[STAGES.indexOf('report')], opts.flows);
  const t0 = performance.now();
  for (let i = 0; i < opts.flows; i++) {
    const node = (name, children) => ({
      name,
      queueName: name,
      data: { uploadId: `u${i}`, attempt: 1 },
      children,
    });
    await producer.add(node('report', [node('analyze', [node('clean', [node('parse')])])]));
  }
  await finished;
  const ms = performance.now() - t0;
  await producer.close();
  await Promise.all(workers.map((w) => w.close()));
  return ms;
}

async function logsift(prefix, run) {
  const store = openStore(`file:${join(dir, `run-${run}.db`)}`, { backgroundCheckpoint: true });
  applyMigrations(store);
  const config = loadConfig({ REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, DATA_DIR: dir });
  const logger = pino({ level: 'silent' });
  const staged = startStageWorkers(
    STAGES,
    { store, config, logger },
    { redisUrl, prefix, concurrency: CONCURRENCY },
  );
  const connection = createRedis(redisUrl, 'producer');
  const producer = new FlowProducer({ connection, prefix });
  await Promise.all(staged.workers.map((w) => w.waitUntilReady()));
  const finished = whenCompleted(staged.workers[STAGES.indexOf('report')], opts.flows);
  const t0 = performance.now();
  for (let i = 0; i < opts.flows; i++) {
    const id = `u${i}`;
    insertUpload(store, benchUpload(id, { filename: 'empty.log', format: 'raw' }), 1);
    await enqueueUploadFlow(producer, { uploadId: id, attempt: 1 }, [{ start: 0, end: 1 }]);
  }
  await finished;
  const ms = performance.now() - t0;
  await producer.close();
  connection.disconnect();
  await staged.close(5_000);
  store.close();
  return ms;
}

const plain = [];
const ours = [];
try {
  for (let run = 1; run <= opts.runs; run++) {
    const p = await plainBullmq(`plain${run}`);
    const l = await logsift(`logsift${run}`, run);
    plain.push(p);
    ours.push(l);
    const rate = (ms) => Math.round(opts.flows / (ms / 1000));
    console.log(`run ${run}: plain BullMQ ${rate(p)} flows/s, logsift ${rate(l)} flows/s`);
  }
  const p = opts.flows / (median(plain) / 1000);
  const l = opts.flows / (median(ours) / 1000);
  console.log(`\nmedian of ${opts.runs} runs, ${opts.flows} flows of 4 jobs each:`);
  console.log(`  plain BullMQ ${p.toFixed(0)} flows/s`);
  console.log(`  logsift      ${l.toFixed(0)} flows/s`);
  console.log(`  ratio logsift / plain BullMQ: ${(l / p).toFixed(2)} (target >= 0.80)`);
} finally {
  const exited = new Promise((r) => redis.once('exit', r));
  redis.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
}
