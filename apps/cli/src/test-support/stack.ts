/**
 * A real logsift for end-to-end tests: the built API and one worker as child processes, on the test
 * Redis with their own queue prefix, their own data directory, and the API on a port the system picks.
 * Both are built first (`npm run build`); the CLI is run from apps/cli/dist/main.js.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis, waitForRedis } from '@logsift/jobs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CLI_MAIN = join(REPO_ROOT, 'apps/cli/dist/main.js');

export interface Stack {
  url: string;
  token: string;
  dataDir: string;
  /** Stops the API (the worker keeps running), for "server unreachable" checks. */
  stopApi(): Promise<void>;
  /** Stops both processes and removes the data directory. */
  close(): Promise<void>;
}

interface Child {
  process: ChildProcess;
  /** Everything it printed, for the failure message when it does not start. */
  output: string[];
}

function launch(script: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, [join(REPO_ROOT, script)], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (d: string) => output.push(d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => output.push(d));
  return { process: child, output };
}

/** Resolves with the first match of `pattern` in the child's output; rejects if it exits or `ms` pass first. */
function waitForOutput(child: Child, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    const check = () => {
      const match = child.output.join('').match(pattern);
      if (match) {
        cleanup();
        resolvePromise(match);
      }
    };
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`${why}; its output:\n${child.output.join('')}`));
    };
    const onExit = (code: number | null) => fail(`exited with ${code} before printing ${pattern}`);
    const timer = setTimeout(() => fail(`printed no ${pattern} within ${ms} ms`), ms);
    const cleanup = () => {
      clearTimeout(timer);
      child.process.stdout?.off('data', check);
      child.process.stderr?.off('data', check);
      child.process.off('exit', onExit);
    };
    child.process.stdout?.on('data', check);
    child.process.stderr?.on('data', check);
    child.process.once('exit', onExit);
    check();
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
async function stop(child: Child, graceMs = 10_000): Promise<void> {
  const p = child.process;
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function startStack(options: { chunkBytes?: number } = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logsift-cli-e2e-'));
  const token = `e2e-${randomBytes(16).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATA_DIR: dataDir,
    LOGSIFT_TOKENS: `admin=${token}`,
    QUEUE_PREFIX: `cli-e2e-${randomBytes(6).toString('hex')}`,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    WORKER_CONCURRENCY: '2',
    // Small chunks so a test file is parsed by several jobs, as a large file would be.
    CHUNK_BYTES: String(options.chunkBytes ?? 64 * 1024),
  };
  const api = launch('apps/api/dist/server.js', env);
  let worker: Child | undefined;
  const close = async () => {
    await Promise.all([stop(api), worker ? stop(worker) : Promise.resolve()]);
    await deleteQueueKeys(env.REDIS_URL as string, env.QUEUE_PREFIX as string);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The API migrates the database before it listens; the worker starts after, so they never migrate at once.
    const [, url] = await waitForOutput(api, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    worker = launch('apps/worker/dist/main.js', env);
    await waitForOutput(worker, /worker started/, 30_000);
    return { url: url as string, token, dataDir, stopApi: () => stop(api), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Removes what the run left in Redis under its queue prefix. */
async function deleteQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = createRedis(url, 'producer');
  try {
    await waitForRedis(redis);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with only the environment given (plus PATH), in `cwd`. */
export function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd: string },
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
