// Vitest global setup: tests use REDIS_URL, else the machine's Redis on 6379, else a redis-server of
// their own on a free port (stopped at the end). Each test isolates itself with its own queue prefix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, pingRedis, startRedisServer } from './lib/redis.mjs';

let child;
let dir;

export async function setup() {
  if (process.env.REDIS_URL) return;
  if (await pingRedis('127.0.0.1', 6379)) {
    process.env.REDIS_URL = 'redis://127.0.0.1:6379';
    return;
  }
  const port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'logsift-test-redis-'));
  child = await startRedisServer({ port, dir });
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
}

export async function teardown() {
  if (child) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
