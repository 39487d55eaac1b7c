/**
 * Upload to report, end to end, against the production stack as real processes, beside lnav and GoAccess
 * reading the same file.
 * Run: npm run bench:e2e -- --lines 2000000 --workers 2 [--runs 3] [--compare 1] [--peers lnav,goaccess]
 *   [--worker-node-args '--some-v8-flag'] [--prof DIR]
 *
 * The log is the project's own generator (access format, seed 1). For each worker count (`--workers`, and
 * `--compare` when given, for the scaling ratio) a fresh stack (own redis-server, API, N workers, empty
 * DATA_DIR) is started per run, the file is POSTed with `?wait=true`, and the time from the first byte
 * sent to the answer (every stage done, report written) is taken, with each stage's share of it (from the
 * upload's stage timings). Peers run on the same file in the same invocation:
 * `goaccess FILE --log-format=COMBINED -o report.json` (parse + JSON report) and
 * `lnav -n -c ';SELECT sc_status, count(*) FROM access_log GROUP BY 1' FILE` (parse + index + query); their
 * answers are checked against logsift's report (requests counted, requests by status). Medians of `--runs` runs; peak RSS is
 * VmHWM sampled every 100 ms (20 ms for peers). CPU is the user + system time each logsift process used
 * between the first byte sent and the answer (/proc/<pid>/stat), and how many cores that kept busy on average;
 * and the time the parse jobs held and waited for SQLite's write lock (the workers' metrics).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeGeneratedLog } from '@logsift/jobs';
import { args, LNAV_QUERY, mb, median, startStack, sumMetric, TOKEN, timePeer } from './lib/stack.mjs';

const opts = args({
  lines: 2_000_000,
  workers: 2,
  compare: 0,
  runs: 3,
  peers: 'lnav,goaccess',
  prof: '',
  // Extra node flags for the workers, space-separated (e.g. '--single-threaded-gc'), to weigh a setting.
  'worker-node-args': '',
});
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

/** The last report of each worker count, to check the peers' answers against. */
const answers = new Map();

async function runLogsift(workers) {
  const times = [];
  const peaks = new Map();
  const shares = [];
  const cpuRuns = [];
  for (let run = 1; run <= opts.runs; run++) {
    const profArgs = [
      ...(opts.prof ? ['--cpu-prof', `--cpu-prof-dir=${opts.prof}`] : []),
      ...opts['worker-node-args'].split(' ').filter(Boolean),
    ];
    const stack = await startStack({
      workers,
      env: { UPLOAD_WAIT_MS: '600000' },
      workerNodeArgs: profArgs,
    });
    try {
      const cpu0 = stack.tracker.cpu();
      const sentAt = Date.now();
      const t0 = performance.now();
      const answer = await upload(stack.base);
      const ms = performance.now() - t0;
      const cpu = cpuUse(cpu0, stack.tracker.cpu(), ms);
      const lock = await sumMetric(stack.workerMetrics, 'logsift_write_lock_seconds_total', 'phase');
      Object.assign(cpu, { lockHeld: lock.held ?? 0, lockWait: lock.wait ?? 0 });
      const u = answer.uploads?.[0] ?? answer;
      const records = u.report?.counts?.records;
      if (u.status !== 'completed')
        throw new Error(`upload ended ${u.status}: ${JSON.stringify(u).slice(0, 500)}`);
      times.push(ms);
      answers.set(workers, u.report);
      const share = stageShares(u.timings ?? {}, ms);
      shares.push(share);
      console.log(
        `  logsift ${workers}w run ${run}: ${(ms / 1000).toFixed(2)} s, ${Math.round(opts.lines / (ms / 1000))} lines/s` +
          (records !== undefined ? `, records ${records}` : '') +
          `; ${formatShares(share)}; CPU ${formatCpu(cpu)}`,
      );
      console.log(`    timeline: ${formatTimeline(u, sentAt, ms)}`);
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

/**
 * When each step happened, in seconds after the first byte was sent: the upload recorded (the file stored,
 * split and its flow about to be enqueued), each stage's first job started and last job finished, and the
 * answer received. The gaps between them are the hand-offs.
 */
function formatTimeline(u, sentAt, wallMs) {
  const at = (iso) => (iso ? ((Date.parse(iso) - sentAt) / 1000).toFixed(2) : '?');
  const stages = STAGE_NAMES.map(
    (s) => `${s} ${at(u.stages?.[s]?.startedAt)}-${at(u.stages?.[s]?.finishedAt)}`,
  );
  return [`recorded ${at(u.createdAt)}`, ...stages, `answered ${(wallMs / 1000).toFixed(2)}`].join(', ');
}

const formatShares = (shares) =>
  Object.entries(shares)
    .map(([k, v]) => `${k} ${(100 * v).toFixed(0)}%`)
    .join(', ');

/** The peers as the benchmark's brief names them; each answers requests by status, read by `counts`. */
const PEERS = {
  goaccess: {
    args: () => [file, '--log-format=COMBINED', '--no-progress', '--no-global-config', '-o', gaReport],
    counts: () => {
      const ga = JSON.parse(readFileSync(gaReport, 'utf8'));
      const byStatus = new Map();
      for (const group of ga.status_codes?.data ?? [])
        for (const item of group.items ?? []) byStatus.set(Number(item.data.slice(0, 3)), item.hits.count);
      return { requests: ga.general.valid_requests, byStatus };
    },
  },
  lnav: {
    args: () => ['-n', '-c', LNAV_QUERY, file],
    counts: (stdout) => {
      const byStatus = new Map();
      for (const m of stdout.matchAll(/^\s*(\d{3})\s+(\d+)\s*$/gm)) byStatus.set(Number(m[1]), Number(m[2]));
      return { requests: [...byStatus.values()].reduce((a, b) => a + b, 0), byStatus };
    },
  },
};
const gaReport = join(dir, 'report.json');

async function runPeer(name) {
  const peer = PEERS[name];
  if (!peer) throw new Error(`unknown peer ${name}; known: ${Object.keys(PEERS).join(', ')}`);
  const times = [];
  let peak = 0;
  let last;
  for (let run = 1; run <= opts.runs; run++) {
    const r = await timePeer(name, peer.args());
    times.push(r.ms);
    peak = Math.max(peak, r.peakRss);
    last = r;
    console.log(`  ${name} run ${run}: ${(r.ms / 1000).toFixed(2)} s`);
  }
  return { ms: median(times), peak, agreement: agreement(peer.counts(last.stdout)) };
}

/**
 * Whether a peer counted what logsift's report counts. logsift drops exact duplicate lines before counting
 * (its report says how many, not of which status), so it matches when the requests it kept plus those it
 * dropped are the peer's, and no status has more in logsift than in the peer, the differences summing to
 * the dropped.
 */
function agreement(peer) {
  const report = answers.get(opts.workers);
  if (!report) return 'no logsift report to compare';
  const ours = new Map((report.statuses ?? []).map((r) => [Number(r.value), r.count]));
  const dropped = report.counts?.dropped ?? 0;
  const kept = [...ours.values()].reduce((a, b) => a + b, 0);
  const statuses = [...new Set([...ours.keys(), ...peer.byStatus.keys()])];
  const over = statuses.filter((s) => (ours.get(s) ?? 0) > (peer.byStatus.get(s) ?? 0));
  const gap = statuses.reduce((n, s) => n + (peer.byStatus.get(s) ?? 0) - (ours.get(s) ?? 0), 0);
  const same = peer.requests === kept + dropped && over.length === 0 && gap === dropped;
  return (
    `${same ? 'matches' : 'DIFFERS'}: ${peer.requests} requests in ${peer.byStatus.size} statuses, logsift ` +
    `${kept} in ${ours.size} + ${dropped} dropped as exact duplicates` +
    (over.length ? `; more in logsift for ${over.join(', ')}` : '')
  );
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
    console.log(`  ${''.padEnd(22)} answer: ${p.agreement}`);
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
