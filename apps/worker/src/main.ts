import type { Server } from 'node:http';
import { applyMigrations, openStore } from '@logsift/db';
import {
  checkReadiness,
  collectProcessMetrics,
  DEFAULTS,
  loadConfigOrExit,
  metricsRegistry,
  preferLiveIngest,
  startLiveWorkers,
  startStageWorkers,
} from '@logsift/jobs';
import { pino } from 'pino';
import { startMetricsServer } from './metrics-server.js';
import { workersReadiness } from './readiness.js';

/**
 * A worker's page cache, MiB. It appends uploads' column segments, reads each chunk's results about once and
 * appends live events' rows, so a small cache serves it as well as the 64 MiB the API keeps for queries: on
 * 2M lines with one worker it peaked at 227-237 MB with 8 MiB and 287-289 MB with 64 MiB at the same speed,
 * and live ingest stored as many events a second (BENCHMARKS.md).
 */
const WORKER_PAGE_CACHE_MIB = 8;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = pino({ level: config.logLevel, base: { service: 'worker', pid: process.pid } });
  const store = openStore(config.databaseUrl, {
    busyTimeoutMs: config.dbBusyTimeoutMs,
    pageCacheMiB: WORKER_PAGE_CACHE_MIB,
    backgroundCheckpoint: true,
    onCheckpointError: (err) => logger.warn({ err }, 'background checkpoint failed'),
  });
  applyMigrations(store);
  const workers = startStageWorkers(
    config.workerQueues,
    { store, config, logger },
    { redisUrl: config.redisUrl, prefix: config.queuePrefix, concurrency: config.workerConcurrency },
  );
  const live = startLiveWorkers(
    config.liveQueues,
    { store, config, logger },
    { redisUrl: config.redisUrl, prefix: config.queuePrefix },
  );
  logger.info(
    { queues: [...config.workerQueues, ...config.liveQueues], concurrency: config.workerConcurrency },
    'worker started',
  );
  // A process that stores live events as well as parsing files lets live events go first.
  const parseWorkers = workers.workers.filter((w) => w.name === 'parse');
  const stopPreferring =
    config.live.priorityPendingEvents > 0 && config.liveQueues.includes('ingest') && parseWorkers.length > 0
      ? preferLiveIngest({
          pendingEvents: live.pendingEvents,
          workers: parseWorkers,
          high: config.live.priorityPendingEvents,
          logger,
        })
      : () => {};

  let metricsServer: Server | undefined;
  if (config.workerMetricsPort > 0) {
    collectProcessMetrics();
    try {
      metricsServer = await startMetricsServer({
        port: config.workerMetricsPort,
        host: config.host,
        registry: metricsRegistry,
        readiness: async () => {
          const running = workersReadiness([...workers.workers, ...live.workers]);
          const redis = workers.connections[0] ?? {
            ping: () => Promise.reject(new Error('no stage queues configured')),
          };
          return checkReadiness(redis, store, { workers: running });
        },
      });
      logger.info(
        { port: config.workerMetricsPort, host: config.host },
        'metrics on /metrics, readiness on /ready',
      );
    } catch (err) {
      // Jobs matter more than their metrics: keep working, and say how to fix the port.
      logger.error(
        { err: (err as Error).message, port: config.workerMetricsPort },
        'metrics server not started; give each worker its own WORKER_METRICS_PORT, or 0 to turn it off',
      );
    }
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'stopping: no new jobs, finishing running ones');
    metricsServer?.close();
    stopPreferring();
    await Promise.all([workers.close(DEFAULTS.shutdownGraceMs), live.close(DEFAULTS.shutdownGraceMs)]);
    store.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ reason }, 'unhandled rejection'));
}

await main();
