import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openStore, type Store } from '@logsift/db';
import {
  type Config,
  LIVE_QUEUES,
  type LiveWorkers,
  loadConfig,
  QueueSet,
  STAGES,
  type StageWorkers,
  startLiveWorkers,
  startStageWorkers,
} from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { buildApp } from '../app.js';
import { startTcpIngest, type TcpIngest } from '../tcp/listener.js';

export const TOKEN = 'test-token-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

export interface Harness {
  app: FastifyInstance;
  config: Config;
  store: Store;
  queues: QueueSet;
  workers: StageWorkers | undefined;
  liveWorkers: LiveWorkers | undefined;
  /** The TCP listener, when asked for (on a free port). */
  tcp: TcpIngest | undefined;
  dataDir: string;
  /** Stops everything and removes the data directory and (unless `keepRedisKeys`) the queues' keys. */
  close(options?: { keepRedisKeys?: boolean }): Promise<void>;
}

/**
 * A whole logsift in one process: its own data directory, SQLite file and BullMQ prefix on the test Redis,
 * the API, and (unless `workers: false`) the stage workers. `close()` removes all of it.
 */
export async function startHarness(
  options: {
    env?: Record<string, string>;
    workers?: boolean;
    /** Start the TCP listener on a free port. */
    tcp?: boolean;
    /** Called for every route the app registers (to check docs against routes). */
    onRoute?: (route: { method: string; url: string }) => void;
  } = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'logsift-test-'));
  const config = loadConfig({
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATA_DIR: dataDir,
    LOGSIFT_TOKENS: `admin=${TOKEN},reader=reader-token-0123456789`,
    QUEUE_PREFIX: `test-${randomBytes(6).toString('hex')}`,
    UPLOAD_WAIT_MS: '30000',
    ...options.env,
  });
  const prefix = config.queuePrefix;
  const store = openStore(config.databaseUrl);
  applyMigrations(store);
  const queues = new QueueSet(config.redisUrl, prefix);
  const app = await buildApp({
    config,
    store,
    queues,
    ...(options.onRoute ? { onRoute: options.onRoute } : {}),
  });
  const logger = pino({ level: 'silent' });
  const workers =
    options.workers === false
      ? undefined
      : startStageWorkers(
          STAGES,
          { store, config, logger },
          { redisUrl: config.redisUrl, prefix, concurrency: 2 },
        );
  const liveWorkers =
    options.workers === false
      ? undefined
      : startLiveWorkers(LIVE_QUEUES, { store, config, logger }, { redisUrl: config.redisUrl, prefix });
  const tcp = options.tcp ? await startTcpIngest(app, { port: 0, host: '127.0.0.1' }) : undefined;
  return {
    app,
    config,
    store,
    queues,
    workers,
    liveWorkers,
    tcp,
    dataDir,
    async close({ keepRedisKeys = false } = {}) {
      await tcp?.close();
      await Promise.all([workers?.close(5_000), liveWorkers?.close(5_000)]);
      await app.close();
      await queues.close();
      if (!keepRedisKeys) await deleteKeys(config.redisUrl, prefix);
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
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

/** A multipart/form-data body for `inject`, with files and plain fields. */
export function multipart(
  files: { name?: string; filename: string; content: Buffer | string }[],
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----logsift${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.name ?? 'file'}"; filename="${f.filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
