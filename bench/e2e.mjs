/**
 * Upload to report, end to end, against the production stack as real processes, beside lnav and GoAccess
 * reading the same file.
 * Run: npm run bench:e2e -- --lines 2000000 --workers 2 [--runs 3] [--compare 1] [--peers lnav,goaccess]
 *
 * The log is the project's own generator (access format, seed 1). For each worker count (`--workers`, and
 * `--compare` when given, for the scaling ratio) a fresh stack (own redis-server, API, N workers, empty
 * DATA_DIR) is started per run, the file is POSTed with `?wait=true`, and the time from the first byte
 * sent to the answer (every stage done, report written) is taken, with each stage's share of it (from the
 * upload's stage timings). Peers run on the same file in the same
 * invocation: `goaccess --log-format=COMBINED -o report.html` (parse + HTML report) and `lnav -n` running one
 * SQL aggregate over the access_log table (parse + index + query). Medians of `--runs` runs; peak RSS is
 * VmHWM sampled every 100 ms (20 ms for peers). CPU is the user + system time each logsift process used
 * between the first byte sent and the answer (/proc/<pid>/stat), and how many cores that kept busy on average;
 * and the time the parse jobs held and waited for SQLite's write lock (the workers' metrics).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeGeneratedLog } from '@logsift/jobs';
import { args, mb, median, startStack, sumMetric, TOKEN, timePeer } from './lib/stack.mjs';

const opts = args({ lines: 2_000_000, workers: 2, compare: 0, runs: 3, peers: 'lnav,goaccess', prof: '' });
const peers = opts.peers ? opts.peers.split(',').filter(Boolean) : [];

console.log(
  `machine: ${cpus().length} CPUs (${cpus()[0]?.model}), ${mb(totalmem())} memory (${mb(freemem())} free), Node ${process.version}`,
);
const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-log-'));
const file = join(dir, 'access.log');
const out = createWriteStream(file);
const gen0 = performance.now();
await writeGeneratedLog({ format: 'access', lines: opts.lines }, out);
await new Promise((r) => out.end(r));
const bytes = statSync(file).size;
console.log(
  `log: ${opts.lines} access lines, ${mb(bytes)} (generated in ${((performance.now() - gen0) / 1000).toFixed(1)} s)`,
);

function upload(base) {
  return new Promise((resolve, reject) => {
    const curl = spawn('curl', [
      '-sS',
      '--fail-with-body',
      '-H',
      `Authorization: Bearer ${TOKEN}`,
      '-F',
      `file=@${file}`,
      `${base}/api/uploads?wait=true`,
    ]);
    let body = '';
    curl.stdout.on('data', (d) => {
      body += d;
    });
    curl.stderr.on('data', (d) => process.stderr.write(d));
    curl.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(body)) : reject(new Error(`curl ${code}: ${body}`)),
    );
  });
}

async function runLogsift(workers) {
  const times = [];
  const peaks = new Map();
  const shares = [];
  const cpuRuns = [];
  for (let run = 1; run <= opts.runs; run++) {
    const profArgs = opts.prof ? ['--cpu-prof', `--cpu-prof-dir=${opts.prof}`] : [];
    const stack = await startStack({
      workers,
      env: { UPLOAD_WAIT_MS: '600000' },
      workerNodeArgs: profArgs,
    });
    try {
      const cpu0 = stack.tracker.cpu();
      const t0 = performance.now();
      const answer = await upload(stack.base);
      const ms = performance.now() - t0;
      const cpu = cpuUse(cpu0, stack.tracker.cpu(), ms);
      const lock = await sumMetric(stack.workerMetrics, 'logsift_write_lock_seconds_total', 'phase');
      Object.assign(cpu, { lockHeld: lock.held ?? 0, lockWait: lock.wait ?? 0 });
      const u = answer.uploads?.[0] ?? answer;
      const records = u.report?.totals?.records ?? u.records ?? u.report?.records;
      if (u.status !== 'completed')
        throw new Error(`upload ended ${u.status}: ${JSON.stringify(u).slice(0, 500)}`);
      times.push(ms);
      const share = stageShares(u.timings ?? {}, ms);
      shares.push(share);
      console.log(
        `  logsift ${workers}w run ${run}: ${(ms / 1000).toFixed(2)} s, ${Math.round(opts.lines / (ms / 1000))} lines/s` +
          (records !== undefined ? `, records ${records}` : '') +
          `; ${formatShares(share)}; CPU ${formatCpu(cpu)}`,
      );
      cpuRuns.push(cpu);
    } finally {
      for (const [name, rss] of await stack.stop()) {
        const key = name.startsWith('worker') ? 'worker (max)' : name;
        peaks.set(key, Math.max(peaks.get(key) ?? 0, rss));
      }
    }
  }
  const medianShares = Object.fromEntries(
    Object.keys(shares[0] ?? {}).map((k) => [k, median(shares.map((x) => x[k]))]),
  );
  const medianCpu = Object.fromEntries(
    Object.keys(cpuRuns[0] ?? {}).map((k) => [k, median(cpuRuns.map((x) => x[k]))]),
  );
  return { ms: median(times), peaks, shares: medianShares, cpu: medianCpu };
}

/** CPU seconds each kind of process used between two readings, and the cores they kept busy on average. */
function cpuUse(before, after, wallMs) {
  const use = { workers: 0, api: 0, redis: 0 };
  for (const [name, seconds] of after) {
    const key = name.startsWith('worker') ? 'workers' : name;
    use[key] = (use[key] ?? 0) + seconds - (before.get(name) ?? 0);
  }
  return { ...use, cores: (use.workers + use.api + use.redis) / (wallMs / 1000) };
}

function formatCpu(cpu) {
  return (
    `workers ${cpu.workers.toFixed(1)} s, api ${cpu.api.toFixed(1)} s, redis ${cpu.redis.toFixed(1)} s (${cpu.cores.toFixed(2)} cores busy); ` +
    `write lock held ${cpu.lockHeld.toFixed(1)} s, waited for ${cpu.lockWait.toFixed(1)} s (all workers)`
  );
}

const STAGE_NAMES = ['parse', 'clean', 'analyze', 'report'];

/**
 * Each stage's share of the wall time (the stages run one after another), and the rest: sending and
 * storing the file, and the hand-offs between stages.
 */
function stageShares(timings, wallMs) {
  const out = {};
  let staged = 0;
  for (const s of STAGE_NAMES) {
    const ms = timings[s] ?? 0;
    out[s] = ms / wallMs;
    staged += ms;
  }
  out['upload and hand-offs'] = Math.max(0, wallMs - staged) / wallMs;
  return out;
}

const formatShares = (shares) =>
  Object.entries(shares)
    .map(([k, v]) => `${k} ${(100 * v).toFixed(0)}%`)
    .join(', ');

async function runPeer(name) {
  const times = [];
  let peak = 0;
  for (let run = 1; run <= opts.runs; run++) {
    const r =
      name === 'goaccess'
        ? await timePeer('goaccess', [
            file,
            '--log-format=COMBINED',
            '--no-progress',
            '--no-global-config',
            '-o',
            join(dir, 'ga.html'),
          ])
        : await timePeer('lnav', ['-n', '-c', ';SELECT count(*), sum(sc_bytes) FROM access_log', file]);
    times.push(r.ms);
    peak = Math.max(peak, r.peakRss);
    console.log(`  ${name} run ${run}: ${(r.ms / 1000).toFixed(2)} s`);
  }
  return { ms: median(times), peak };
}

const results = [];
try {
  for (const w of [opts.workers, ...(opts.compare ? [opts.compare] : [])]) {
    const r = await runLogsift(w);
    results.push({ name: `logsift, ${w} worker${w > 1 ? 's' : ''}`, workers: w, ...r });
  }
  const peerResults = [];
  for (const p of peers) peerResults.push({ name: p, ...(await runPeer(p)) });

  console.log(`\nmedian of ${opts.runs} runs, ${opts.lines} lines (${mb(bytes)}):`);
  for (const r of results) {
    const rss = [...r.peaks].map(([n, b]) => `${n} ${mb(b)}`).join(', ');
    console.log(
      `  ${r.name.padEnd(22)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${String(Math.round(opts.lines / (r.ms / 1000))).padStart(9)} lines/s  peak RSS: ${rss}`,
    );
    console.log(`  ${''.padEnd(22)} stage shares (medians): ${formatShares(r.shares)}`);
    console.log(`  ${''.padEnd(22)} CPU (medians): ${formatCpu(r.cpu)}`);
  }
  for (const p of peerResults) {
    console.log(
      `  ${p.name.padEnd(22)} ${(p.ms / 1000).toFixed(2).padStart(7)} s  ${String(Math.round(opts.lines / (p.ms / 1000))).padStart(9)} lines/s  peak RSS: ${mb(p.peak)}`,
    );
  }
  const main = results[0];
  for (const p of peerResults)
    console.log(`  ratio logsift ${main.workers}w time / ${p.name} time: ${(main.ms / p.ms).toFixed(2)}`);
  if (results[1])
    console.log(
      `  speed-up ${main.workers}w over ${results[1].workers}w: ${(results[1].ms / main.ms).toFixed(2)}x`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
