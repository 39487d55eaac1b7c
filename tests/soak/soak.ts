/**
 * Soak: a real logsift (Redis with AOF, the API, two workers) on loopback, under 50 concurrent uploads of
 * generated files plus live events at SOAK_LIVE_RATE per second (default 20,000, sent by `logsift
 * simulate`), for SOAK_SECONDS (default 300). Every process's memory is sampled and printed; at the end
 * every upload must have completed with its entries stored equal to its lines, and the live events
 * stored must equal those acknowledged less the duplicates. A process that dies ends the run at once,
 * named in the summary.
 *
 * Run: npm run soak            (builds first)   SOAK_SECONDS=60 npm run soak   for a short run
 * Options (environment): SOAK_SECONDS, SOAK_CLIENTS (default 50), SOAK_LINES (lines per file, default 20000),
 * SOAK_LIVE_RATE (live events per second, default 20000; 0 sends none).
 * Exit code 0 when every count reconciled and nothing failed, 1 otherwise.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openStore } from '@logsift/db';
import { get, upload, waitForUpload } from '../support/client.js';
import { generateLog, uploadRanges } from '../support/files.js';
import { REPO_ROOT, Stack, TOKEN } from '../support/processes.js';
import { describeSeries, rssMiB, type Series, sampleTable } from './memory.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 50);
const LINES = Number(process.env.SOAK_LINES ?? 20_000);
const LIVE_RATE = Number(process.env.SOAK_LIVE_RATE ?? 20_000);
const SAMPLE_MS = 5_000;
/** How often each client asks for its upload's status, as a person's script would. */
const POLL_MS = 1_000;

interface Done {
  id: string;
  lines: number;
  view: Awaited<ReturnType<typeof waitForUpload>>;
}

/** What `logsift simulate --json` prints (the fields the soak reads). */
interface SimulateSummary {
  seconds: number;
  sent: number;
  acknowledged: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failed: number;
  retries: number;
  generated: { new: number; duplicate: number };
  ackLatencyMs: { p50?: number; p90?: number; p99?: number; max: number | null };
  stored?: number;
}

/**
 * Live ingest beside the uploads: the project's own simulator (`logsift simulate`, built CLI) sends
 * payments, orders and chat events at LIVE_RATE per second over HTTP in batches of 500, 1% of them
 * repeating an event already sent, until `deadline`; with `--verify` it then waits until everything
 * accepted is stored and checks the count through /api/stats. Resolves with its summary.
 */
async function liveIngest(stack: Stack, deadline: number): Promise<SimulateSummary> {
  const seconds = Math.max(1, Math.round((deadline - Date.now()) / 1000));
  const args = [
    join(REPO_ROOT, 'apps/cli/dist/main.js'),
    '--url',
    stack.url,
    '--token',
    TOKEN,
    '--json',
    'simulate',
    '--services',
    'payments:3,orders:2,chat',
    '--rate',
    String(LIVE_RATE),
    '--duration',
    `${seconds}s`,
    '--batch',
    '500',
    '--concurrency',
    '32',
    '--duplicates',
    '0.01',
    '--verify',
  ];
  const { LOGSIFT_TOKENS: _, ...env } = process.env; // the admin token sends for every service
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4096);
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  try {
    return JSON.parse(out) as SimulateSummary;
  } catch {
    throw new Error(`logsift simulate exited ${code} without a summary: ${err}`);
  }
}

async function main(): Promise<void> {
  const stack = await Stack.create({
    chunkBytes: 512 * 1024,
    appendfsync: 'everysec',
    env: {
      // Production lock and stalled-check timings; one soak client is one caller with 50 uploads at once.
      JOB_LOCK_MS: '60000',
      STALLED_INTERVAL_MS: '30000',
      RATE_LIMIT_MAX: '1000000',
      UPLOADS_IN_FLIGHT_MAX: String(CLIENTS),
      // Redis keeps one dedup key per event_id for this long: at 20,000 events/s the default 600 s is
      // 12 million keys, reached only after ten minutes. A 60 s window reaches its plateau within the run.
      DEDUP_WINDOW_SECONDS: process.env.SOAK_DEDUP_WINDOW_SECONDS ?? '60',
    },
  });
  const failures: string[] = [];
  const done: Done[] = [];
  const series: Series[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    await stack.start(2);
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    const processes = () => [
      { name: 'api', pid: stack.api.pid },
      ...stack.workers.map((w) => ({ name: w.name, pid: w.pid })),
      { name: 'redis', pid: stack.redis?.pid },
    ];
    for (const p of processes()) series.push({ name: p.name, points: [] });
    const sample = () => {
      const t = (Date.now() - started) / 1000;
      for (const [i, p] of processes().entries()) {
        const mib = p.pid === undefined ? undefined : rssMiB(p.pid);
        if (mib !== undefined) series[i]?.points.push([t, mib]);
      }
      const last = series.map((s) => `${s.name} ${s.points.at(-1)?.[1].toFixed(0) ?? '-'}`).join(', ');
      console.log(
        `[${t.toFixed(0)} s] uploads completed: ${done.length}, failures: ${failures.length}; RSS MiB: ${last}`,
      );
    };
    sample();
    sampler = setInterval(sample, SAMPLE_MS);

    // A process that dies ends the run at once, saying which and how: the soak measures a stack that stays up.
    let died: string | undefined;
    let onDeath: (why: string) => void = () => {};
    const death = new Promise<never>((_, reject) => {
      onDeath = (why) => reject(new Error(why));
    });
    death.catch(() => {});
    const watcher = setInterval(() => {
      const t = ((Date.now() - started) / 1000).toFixed(0);
      const gone = [stack.api, ...stack.workers].find((p) => !p.running);
      const redisGone = stack.redis?.exitCode !== null || stack.redis?.signalCode !== null;
      if (died || (!gone && !redisGone)) return;
      died = gone
        ? `${gone.name} (pid ${gone.pid}) exited at ${t} s: ${JSON.stringify(gone.exits.at(-1))}`
        : `redis-server exited at ${t} s: signal ${stack.redis?.signalCode}, code ${stack.redis?.exitCode}`;
      failures.push(died);
      onDeath(died);
    }, 500);

    let seed = 1;
    const client = async () => {
      while (Date.now() < deadline && !died) {
        const s = seed++;
        const file = generateLog(LINES, s, (['plain', 'json', 'access'] as const)[s % 3]);
        try {
          const res = await upload(stack.url, `soak-${s}.log`, file, { query: 'force=true' });
          if (res.status !== 202) {
            failures.push(`upload ${s}: ${res.status} ${res.body.slice(0, 200)}`);
            continue;
          }
          const id = res.json().uploads[0].id as string;
          const view = await Promise.race([waitForUpload(stack.url, id, 600_000, POLL_MS), death]);
          if (view.status !== 'completed') failures.push(`upload ${id}: ${view.status} ${view.error}`);
          done.push({ id, lines: LINES, view });
        } catch (err) {
          if (!died) failures.push(`upload ${s}: ${(err as Error).message}`);
        }
      }
    };
    const [live] = await Promise.all([
      (LIVE_RATE > 0 ? liveIngest(stack, deadline) : Promise.resolve(undefined)).catch((err: Error) => {
        failures.push(`live ingest: ${err.message}`);
        return undefined;
      }),
      ...Array.from({ length: CLIENTS }, () => client()),
    ]);
    clearInterval(sampler);
    clearInterval(watcher);
    sample();

    // Reconcile: each upload's counts, and its entries in SQLite, equal the lines of its file.
    const store = openStore(`file:${stack.dataDir}/logsift.db`, { readonly: true });
    let entries = 0;
    let reconciled = 0;
    for (const d of done) {
      const n = uploadRanges(store, d.id).length;
      entries += n;
      if (n !== d.lines || d.view.counts?.lines !== d.lines || d.view.counts?.records !== d.lines) {
        failures.push(
          `upload ${d.id}: ${d.lines} lines, counts ${JSON.stringify(d.view.counts)}, ${n} entries stored`,
        );
      } else reconciled++;
    }
    // Live: the simulator's counts, the API's stored count and the rows in SQLite must all agree.
    const liveStored = (
      store.sqlite.prepare('SELECT count(*) AS n FROM entries WHERE source = 0').get() as { n: number }
    ).n;
    const deadLetters = (
      store.sqlite.prepare('SELECT count(*) AS n FROM dead_letters').get() as { n: number }
    ).n;
    if (live) {
      const checks: [string, boolean][] = [
        ['no batch failed', live.failed === 0],
        ['no event rejected', live.rejected === 0 && deadLetters === 0],
        ['acknowledged = accepted + duplicates', live.acknowledged === live.accepted + live.duplicates],
        // Only when every batch was acknowledged: a batch never acknowledged carried duplicates too.
        [
          'duplicates found = duplicates sent',
          live.failed > 0 || live.duplicates === live.generated.duplicate,
        ],
        ['stored (API) = accepted', live.stored === live.accepted],
        ['live rows in SQLite = accepted', liveStored === live.accepted],
      ];
      for (const [what, ok] of checks) if (!ok) failures.push(`live ingest: not true that ${what}`);
    }
    store.close();
    const failedJobs = died
      ? 'not asked (a process died)'
      : (await get(stack.url, '/api/uploads?limit=200'))
          .json()
          .uploads.filter((u: { status: string }) => u.status === 'failed').length;

    const elapsed = (Date.now() - started) / 1000;
    console.log(`\nsoak: ${elapsed.toFixed(0)} s, ${CLIENTS} concurrent uploads of ${LINES} lines each`);
    console.log(`uploads completed and reconciled: ${reconciled} of ${done.length}`);
    console.log(`lines uploaded: ${done.length * LINES}, entries stored: ${entries}`);
    console.log(`failed uploads in the latest 200: ${failedJobs}; failures: ${failures.length}`);
    for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
    if (live) {
      const l = live.ackLatencyMs;
      console.log(
        `live ingest: sent ${live.sent} events in ${live.seconds.toFixed(0)} s (${Math.round(live.sent / live.seconds)}/s, ` +
          `asked ${LIVE_RATE}/s); acknowledged ${live.acknowledged} = accepted ${live.accepted} + duplicates ` +
          `${live.duplicates} (sent ${live.generated.duplicate}); rejected ${live.rejected}, failed ${live.failed}, ` +
          `retried after 429/503 ${live.retries}; stored: ${live.stored} by /api/stats, ${liveStored} rows in SQLite; ` +
          `dead letters ${deadLetters}; ack latency p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms`,
      );
    }
    console.log('\nresident memory (MiB):');
    console.log(describeSeries(series));
    console.log(`\n${sampleTable(series, 30)}`);
    process.exitCode = failures.length === 0 && done.length > 0 ? 0 : 1;
  } finally {
    if (sampler) clearInterval(sampler);
    await stack.close();
  }
}

await main();
