import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openStore, type Store } from '@logsift/db';
import {
  checkReadiness,
  collectProcessMetrics,
  loadConfig,
  metricsRegistry,
  STAGES,
  type StageWorkers,
  startStageWorkers,
} from '@logsift/jobs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundPort, startMetricsServer } from './metrics-server.js';
import { workersReadiness } from './readiness.js';

describe("a worker's metrics and readiness port", () => {
  let dir: string;
  let store: Store;
  let workers: StageWorkers;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'logsift-worker-test-'));
    const config = loadConfig({
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      DATA_DIR: dir,
      QUEUE_PREFIX: `test-${randomBytes(6).toString('hex')}`,
    });
    store = openStore(config.databaseUrl);
    applyMigrations(store);
    workers = startStageWorkers(
      STAGES,
      { store, config, logger: pino({ level: 'silent' }) },
      { redisUrl: config.redisUrl, prefix: config.queuePrefix, concurrency: 1 },
    );
    collectProcessMetrics();
    server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      registry: metricsRegistry,
      readiness: () =>
        checkReadiness(workers.connections[0]!, store, { workers: workersReadiness(workers.workers) }),
    });
    base = `http://127.0.0.1:${boundPort(server)}`;
  });
  afterAll(async () => {
    server?.close();
    await workers?.close(2_000);
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves Prometheus text with the job families and the process defaults', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    for (const name of [
      'logsift_job_duration_seconds',
      'logsift_lines_processed_total',
      'process_cpu_user_seconds_total',
    ])
      expect(text).toContain(`# TYPE ${name} `);
  });

  it('answers /health, and /ready once Redis, the database, the migrations and the workers are', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    await expect.poll(async () => (await fetch(`${base}/ready`)).status, { timeout: 10_000 }).toBe(200);
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({
      status: 'ready',
      checks: {
        redis: { ok: true },
        database: { ok: true },
        migrations: { ok: true },
        workers: { ok: true },
      },
    });
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('reports not ready once the workers stop', async () => {
    await Promise.all(workers.workers.map((w) => w.close()));
    const res = await fetch(`${base}/ready`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.checks.workers).toEqual({ ok: false, error: 'not running: parse, clean, analyze, report' });
  });
});
