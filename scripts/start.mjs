#!/usr/bin/env node
// `npm start`: install if needed, build, migrate, find or start Redis, run the API and two workers.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLogLine } from './lib/log-format.mjs';
import { WORKER_NODE_ARGS } from './lib/node-args.mjs';
import { freePort, pingRedis, redisServerInstalled, startRedisServer } from './lib/redis.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORKERS = Number(process.env.WORKERS ?? 2);
const say = (msg) => console.log(`\x1b[36m[logsift]\x1b[0m ${msg}`);

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

function needsInstall() {
  const marker = join(root, 'node_modules/.package-lock.json');
  if (!existsSync(marker)) return true;
  return statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
}

if (needsInstall()) {
  say('installing dependencies...');
  // `npm install` rather than `npm ci`: npm 11 rejects its own lockfiles in `ci` (see .ci/run).
  run('npm', ['install', '--no-audit', '--no-fund']);
}
say('building...');
run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only']);

const { applyMigrations, openStore } = await import('@logsift/db');
const { ConfigError, DEFAULT_TOKEN_NAME, ensureDataDirToken, loadConfig } = await import('@logsift/jobs');

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const store = openStore(config.databaseUrl);
applyMigrations(store);
store.close();
say(`database ready: ${config.databaseUrl}`);

// Redis: REDIS_URL, else the machine's on 6379, else our own with AOF under the data directory.
const env = { ...process.env, DATA_DIR: config.dataDir };
let ownRedis;
if (process.env.REDIS_URL) {
  say(`Redis: ${process.env.REDIS_URL} (REDIS_URL)`);
} else if (await pingRedis('127.0.0.1', 6379)) {
  env.REDIS_URL = 'redis://127.0.0.1:6379';
  say('Redis: the one answering on 127.0.0.1:6379');
} else if (redisServerInstalled()) {
  const port = (await pingRedis('127.0.0.1', 6380)) ? await freePort() : 6380;
  ownRedis = await startRedisServer({ port, dir: join(config.dataDir, 'redis') });
  env.REDIS_URL = `redis://127.0.0.1:${port}`;
  say(`Redis: started redis-server on port ${port} (AOF in ${join(config.dataDir, 'redis')})`);
} else {
  console.error(`No Redis found. logsift needs one; any of these works:
  - install it:          sudo apt-get install redis-server   (then run npm start again)
  - run it in Docker:    docker run -d -p 6379:6379 redis:7 --appendonly yes --maxmemory-policy noeviction
  - point at yours:      REDIS_URL=redis://host:6379 npm start`);
  process.exit(1);
}

let token;
let tokenName = DEFAULT_TOKEN_NAME;
if (!process.env.LOGSIFT_TOKENS) token = ensureDataDirToken(config.dataDir);
else [tokenName, token] = [...config.tokens].map(([t, n]) => [n, t])[0];

// The children: the API and N workers, restarted if they die unexpectedly.
const children = new Map();
let stopping = false;

function launch(name, script, extraEnv = {}, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, join(root, script)], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', (data) => {
      buffered += data;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line) console.log(formatLogLine(name, line));
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    say(`${name} exited (${signal ?? code}); restarting in 1 s`);
    setTimeout(() => !stopping && launch(name, script, extraEnv, nodeArgs), 1_000);
  });
}

launch('api', 'apps/api/dist/server.js');
// Each worker gets its own metrics port: WORKER_METRICS_PORT (default 9464) + its index - 1; 0 turns them off.
const metricsBase = config.workerMetricsPort;
const metricsPort = (i) => (metricsBase > 0 ? metricsBase + i - 1 : 0);
for (let i = 1; i <= WORKERS; i++)
  launch(
    `worker${i}`,
    'apps/worker/dist/main.js',
    { WORKER_METRICS_PORT: String(metricsPort(i)) },
    WORKER_NODE_ARGS,
  );

const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
for (let i = 0; i < 100; i++) {
  const ok = await fetch(`${base}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  await new Promise((r) => setTimeout(r, 200));
}
say(`logsift is running with ${WORKERS} workers
    API:        ${base}/api/uploads
    Live:       POST ${base}/api/logs, GET ${base}/api/logs, TCP ${config.host}:${config.live.tcpPort}
    Dashboard:  ${base}/
    Bull Board: ${base}/admin/queues
    API docs:   ${base}/docs
    Metrics:    ${base}/metrics (with the token)${
      metricsBase > 0
        ? `, workers on ${Array.from({ length: WORKERS }, (_, i) => metricsPort(i + 1)).join(', ')} (/metrics, /ready)`
        : ''
    }
    Token (${tokenName}): ${token}
  Try: curl -H "Authorization: Bearer ${token}" -F file=@some.log '${base}/api/uploads?wait=true'
  Stop with Ctrl-C.`);

async function stop(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping...`);
  const exits = [...children.values()].map((c) => new Promise((r) => c.once('exit', r)));
  for (const c of children.values()) c.kill('SIGTERM');
  await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 30_000))]);
  for (const c of children.values()) c.kill('SIGKILL');
  if (ownRedis) {
    const exited = new Promise((r) => ownRedis.once('exit', r));
    ownRedis.kill('SIGTERM');
    await exited;
    say('stopped our redis-server');
  }
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
