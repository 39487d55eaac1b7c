import { join } from 'node:path';
import { applyMigrations, openStore } from '@logsift/db';
import {
  cleanUploadsDir,
  effectiveTokens,
  loadConfigOrExit,
  QueueSet,
  reparseLegacyUploads,
  resumeLostFlows,
} from '@logsift/jobs';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { startTcpIngest } from './tcp/listener.js';

async function main(): Promise<void> {
  const loaded = loadConfigOrExit();
  const config = { ...loaded, tokens: effectiveTokens(loaded.tokens, loaded.dataDir) };
  const logger = pino({ level: config.logLevel, base: { service: 'api' } });
  const store = openStore(config.databaseUrl, {
    busyTimeoutMs: config.dbBusyTimeoutMs,
    backgroundCheckpoint: true,
    onCheckpointError: (err) => logger.warn({ err }, 'background checkpoint failed'),
  });
  applyMigrations(store);
  const queues = new QueueSet(config.redisUrl, config.queuePrefix, (err) =>
    logger.warn({ err: err.message }, 'redis'),
  );
  const cleaned = await cleanUploadsDir({ store }, join(config.dataDir, 'uploads'));
  if (cleaned.partial.length + cleaned.orphans.length > 0) {
    logger.warn(cleaned, 'removed files left by an interrupted upload');
  }
  const app = await buildApp({ config, store, queues, logger });
  // Spooled batches whose jobs Redis lost (it restarted) are enqueued again; the workers sweep too.
  app.live
    .resumePending()
    .then((n) => n > 0 && logger.info({ batches: n }, 'enqueued spooled live batches'))
    .catch((err: Error) => logger.warn({ err: err.message }, 'could not enqueue spooled batches yet'));
  // Without its port (taken by another process), the API still serves HTTP ingest: say so loudly.
  const tcp = await startTcpIngest(app).catch((err: Error) => {
    logger.error(
      { err: err.message, port: config.live.tcpPort },
      'tcp ingest is off: cannot listen (set TCP_PORT)',
    );
    return undefined;
  });
  if (tcp) logger.info({ port: tcp.port }, 'tcp ingest listening');
  // Whenever Redis (re)connects: flows recorded in SQLite but missing from Redis are added again.
  const resume = async () => {
    try {
      const ids = await resumeLostFlows({ store, queues, config });
      if (ids.length > 0) logger.warn({ uploads: ids }, 'resumed uploads whose flow was lost');
      const legacy = await reparseLegacyUploads({ store, queues, config });
      if (legacy.length > 0) logger.info({ uploads: legacy }, 'parsing again uploads stored as rows');
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'could not check for lost flows');
    }
  };
  queues.connection.on('ready', () => void resume());
  if (queues.connection.status === 'ready') void resume();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await tcp?.close();
    await app.close();
    await queues.close();
    store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error({ reason }, 'unhandled rejection'));
  await app.listen({ port: config.port, host: config.host });
}

await main();
