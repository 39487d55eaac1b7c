// The production stack as real processes for benchmarks: our own redis-server on a free port, the API and
// N workers from their built `dist/` files, a temporary DATA_DIR; loopback only.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_NODE_ARGS } from '../../scripts/lib/node-args.mjs';
import { freePort, startRedisServer } from '../../scripts/lib/redis.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TOKEN = 'bench-token-0123456789abcdef';

/** Peak resident memory of a live process in bytes (VmHWM), or 0 once it has gone. */
export function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time a live process has used so far (user + system), in seconds, or 0 once it has gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * Tracks the peak RSS of processes by sampling VmHWM every `everyMs` (default 100 ms): the kernel keeps the
 * high-water mark, so a sample just before exit is exact up to that point.
 */
export class PeakTracker {
  peaks = new Map();
  #timer;
  #pids = new Map();
  constructor(everyMs = 100) {
    this.#timer = setInterval(() => this.sample(), everyMs);
  }
  watch(name, pid) {
    this.#pids.set(name, pid);
  }
  sample() {
    for (const [name, pid] of this.#pids) {
      const rss = peakRss(pid);
      if (rss > (this.peaks.get(name) ?? 0)) this.peaks.set(name, rss);
    }
  }
  /** CPU seconds used so far by each watched process. */
  cpu() {
    return new Map([...this.#pids].map(([name, pid]) => [name, cpuSeconds(pid)]));
  }
  stop() {
    this.sample();
    clearInterval(this.#timer);
    return this.peaks;
  }
}

/** The sum over `urls` (Prometheus text endpoints) of each sample of `metric`, by its `label`'s value. */
export async function sumMetric(urls, metric, label) {
  const sums = {};
  const sample = new RegExp(`^${metric}\\{[^}]*${label}="([^"]+)"[^}]*\\} (\\S+)$`, 'gm');
  for (const url of urls) {
    const text = await (await fetch(url)).text();
    for (const [, value, n] of text.matchAll(sample)) sums[value] = (sums[value] ?? 0) + Number(n);
  }
  return sums;
}

/** Starts redis, the API and `workers` worker processes; resolves once /health answers. */
export async function startStack({ workers, env: extraEnv = {}, nodeArgs = [], workerNodeArgs = [] }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'logsift-bench-'));
  const redisPort = await freePort();
  const redis = await startRedisServer({ port: redisPort, dir: join(dataDir, 'redis') });
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOGSIFT_TOKENS: `bench=${TOKEN}`,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const children = [];
  const launch = (name, script, args, ownEnv = {}) => {
    const child = spawn(process.execPath, [...args, join(root, script)], {
      cwd: dataDir,
      env: { ...env, ...ownEnv },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.benchName = name;
    children.push(child);
    return child;
  };
  const api = launch('api', 'apps/api/dist/server.js', nodeArgs);
  // Let the API apply migrations before the workers open the database.
  const base = `http://127.0.0.1:${port}`;
  await waitForOk(`${base}/health`, api, 15);
  const workerMetrics = [];
  for (let i = 1; i <= workers; i++) {
    const metricsPort = await freePort();
    workerMetrics.push(`http://127.0.0.1:${metricsPort}/metrics`);
    launch(`worker${i}`, 'apps/worker/dist/main.js', [...WORKER_NODE_ARGS, ...workerNodeArgs], {
      WORKER_METRICS_PORT: String(metricsPort),
    });
  }
  // Every worker running (connected, its queues' workers started) before the upload: a worker still
  // loading its modules would take CPU from the upload, which long-running workers never do.
  await Promise.all(
    children
      .filter((c) => c.benchName.startsWith('worker'))
      .map((c, i) => waitForOk(workerMetrics[i].replace(/\/metrics$/, '/ready'), c, 30)),
  );
  const tracker = new PeakTracker();
  tracker.watch('redis', redis.pid);
  for (const c of children) tracker.watch(c.benchName, c.pid);
  return {
    base,
    dataDir,
    children,
    /** Each worker's Prometheus endpoint. */
    workerMetrics,
    redis,
    tracker,
    async stop() {
      const peaks = tracker.stop();
      await Promise.all(
        children.map((c) => {
          if (c.exitCode !== null) return undefined;
          const exited = new Promise((r) => c.once('exit', r));
          c.kill('SIGTERM');
          return exited;
        }),
      );
      const exited = new Promise((r) => redis.once('exit', r));
      redis.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return peaks;
    },
  };
}

/** Polls `url` every 100 ms until it answers 2xx; fails if `child` exits first or after `seconds`. */
async function waitForOk(url, child, seconds) {
  for (let i = 0; i < seconds * 10; i++) {
    if (child.exitCode !== null) throw new Error(`${child.benchName} exited with code ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.benchName} did not answer ${url} within ${seconds} s`);
}

/** The lnav query the benchmarks time: requests by status over the access_log table. */
export const LNAV_QUERY = ';SELECT sc_status, count(*) FROM access_log GROUP BY 1';

/**
 * Runs a command to completion; resolves with its wall time (ms), its peak RSS (bytes), sampled every
 * 20 ms, and the end of its stdout (64 KB). Throws if it exits non-zero or runs past `timeoutMs`.
 */
export function timePeer(cmd, args, { timeoutMs = 600_000, cwd } = {}) {
  return new Promise((resolvePeer, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    child.stdout.on('data', (d) => {
      stdout = (stdout + d).slice(-64_000);
    });
    let peak = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, peakRss(child.pid));
    }, 20);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      const ms = performance.now() - started;
      clearInterval(timer);
      clearTimeout(killer);
      if (code !== 0) reject(new Error(`${cmd} exited ${signal ?? code}: ${stderr}`));
      else resolvePeer({ ms, peakRss: peak, stdout });
    });
  });
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** `--name value` pairs from argv, with defaults. */
export function args(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]?.replace(/^--/, '');
    if (key && key in out) out[key] = typeof defaults[key] === 'number' ? Number(argv[++i]) : argv[++i];
  }
  return out;
}
