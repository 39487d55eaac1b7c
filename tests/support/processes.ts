/**
 * Real logsift processes for fault and load tests: a redis-server with AOF on a free port, the built API
 * (`apps/api/dist/server.js`) and workers (`apps/worker/dist/main.js`) as child processes, each stack with
 * its own data directory and queue prefix. Processes can be killed (SIGKILL) and started again with the
 * same settings: Redis on the same port and AOF directory, the API on the same port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort, pingRedis, startRedisServer } from '../../scripts/lib/redis.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TOKEN = `fault-${randomBytes(16).toString('hex')}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns a value other than undefined/false, or throws after `ms`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  ms: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
      );
    }
    await sleep(everyMs);
  }
}

/** A child process that can be killed and started again with the same command and environment. */
export class Managed {
  child: ChildProcess | undefined;
  /** The last output of every run, for failure messages (at most about 64 KB). */
  output = '';
  /** Runs that ended by a signal we sent or by themselves. */
  exits: { code: number | null; signal: NodeJS.Signals | null }[] = [];

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  start(): void {
    const child = spawn(this.command, this.args, {
      cwd: REPO_ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-64 * 1024);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => this.exits.push({ code, signal }));
    this.child = child;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs` if it is still running). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }
}

export interface StackOptions {
  /** Parse chunk size: small, so that a file has many chunks (CHUNK_BYTES, at least 4096). */
  chunkBytes?: number;
  /** AOF fsync policy of the stack's Redis. Default `always`. */
  appendfsync?: 'always' | 'everysec';
  /** Data directory to use instead of a new temporary one (it is not removed at close). */
  dataDir?: string;
  /** More environment for the API and the workers. */
  env?: Record<string, string>;
}

/** One logsift: a Redis, an API, workers; everything on this machine's loopback. */
export class Stack {
  readonly redisPort: number;
  readonly apiPort: number;
  readonly url: string;
  readonly dataDir: string;
  readonly redisDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly api: Managed;
  readonly workers: Managed[] = [];
  redis: ChildProcess | undefined;
  private readonly appendfsync: 'always' | 'everysec';
  private readonly root: string;

  private constructor(redisPort: number, apiPort: number, options: StackOptions) {
    this.root = mkdtempSync(join(tmpdir(), 'logsift-fault-'));
    this.redisPort = redisPort;
    this.apiPort = apiPort;
    this.url = `http://127.0.0.1:${apiPort}`;
    this.dataDir = options.dataDir ?? join(this.root, 'data');
    this.redisDir = join(this.root, 'redis');
    mkdirSync(this.dataDir, { recursive: true });
    this.appendfsync = options.appendfsync ?? 'always';
    this.env = {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATA_DIR: this.dataDir,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      LOGSIFT_TOKENS: `admin=${TOKEN}`,
      QUEUE_PREFIX: 'logsift',
      CHUNK_BYTES: String(options.chunkBytes ?? 4096),
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '2',
      // A killed worker's jobs are retried within about 3 s instead of 90 s (production: 60 s lock, 30 s checks).
      JOB_LOCK_MS: '2000',
      STALLED_INTERVAL_MS: '1000',
      ...options.env,
    };
    this.api = new Managed('api', process.execPath, [join(REPO_ROOT, 'apps/api/dist/server.js')], this.env);
  }

  static async create(options: StackOptions = {}): Promise<Stack> {
    return new Stack(await freePort(), await freePort(), options);
  }

  async startRedis(): Promise<void> {
    this.redis = await startRedisServer({
      port: this.redisPort,
      dir: this.redisDir,
      appendfsync: this.appendfsync,
    });
  }

  /** SIGKILL: no shutdown, no final AOF rewrite; what was fsynced is all that survives. */
  async killRedis(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.exitCode !== null || redis.signalCode !== null) return;
    const exited = new Promise<void>((r) => redis.once('exit', () => r()));
    redis.kill('SIGKILL');
    await exited;
    await waitUntil(
      'the Redis port to close',
      async () => !(await pingRedis('127.0.0.1', this.redisPort)),
      5_000,
    );
  }

  async startApi(): Promise<void> {
    this.api.start();
    await waitUntil(
      `the API on ${this.url}\n${this.api.output}`,
      async () => {
        if (!this.api.running) throw new Error(`the API exited: ${this.api.output}`);
        return (await fetch(`${this.url}/health`)).ok;
      },
      30_000,
    );
  }

  /** Starts another worker process (or starts worker `index` again after a kill). */
  startWorker(index = this.workers.length): Managed {
    let worker = this.workers[index];
    if (!worker) {
      worker = new Managed(
        `worker${index + 1}`,
        process.execPath,
        [join(REPO_ROOT, 'apps/worker/dist/main.js')],
        this.env,
      );
      this.workers[index] = worker;
    }
    worker.start();
    return worker;
  }

  /** Resolves once `count` workers serve the parse queue (their blocking connections are registered). */
  async waitForWorkers(count: number, ms = 30_000): Promise<void> {
    const connection = new Redis(this.env.REDIS_URL as string, {
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    const queue = new Queue('parse', { connection, prefix: this.env.QUEUE_PREFIX as string });
    try {
      await waitUntil(`${count} workers`, async () => (await queue.getWorkersCount()) >= count, ms, 200);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }

  /** Redis, the API and `workers` workers, each ready. */
  async start(workers = 2): Promise<this> {
    await this.startRedis();
    await this.startApi();
    for (let i = 0; i < workers; i++) this.startWorker();
    await this.waitForWorkers(workers);
    return this;
  }

  /** Everything each process printed, for a failure message. */
  outputs(): string {
    return [this.api, ...this.workers].map((p) => `--- ${p.name}\n${p.output}`).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all([this.api.stop(), ...this.workers.map((w) => w.stop())]);
    const redis = this.redis;
    if (redis && redis.exitCode === null && redis.signalCode === null) {
      const exited = new Promise<void>((r) => redis.once('exit', () => r()));
      redis.kill('SIGTERM');
      await exited;
    }
    rmSync(this.root, { recursive: true, force: true }); // an outside data directory is its owner's
  }
}
