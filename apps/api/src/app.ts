import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import { LiveIngest, Spool, spoolPath } from '@logsift/jobs';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { SessionStore } from './auth/sessions.js';
import { registerBoard } from './board.js';
import type { AppContext } from './context.js';
import { registerDocs } from './docs.js';
import type { EventStream } from './events/sse.js';
import { UploadEventHub } from './events/upload-events.js';
import { LogTail } from './live/tail.js';
import { registerAuth } from './plugins/auth.js';
import { registerDashboard } from './plugins/dashboard.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { authRoutes } from './routes/auth.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { entryRoutes } from './routes/entries.js';
import { eventRoutes } from './routes/events.js';
import { formatRoutes } from './routes/formats.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { logRoutes } from './routes/logs.js';
import { metricRoutes } from './routes/metrics.js';
import { queueRoutes } from './routes/queues.js';
import { reportRoutes } from './routes/reports.js';
import { statsRoutes } from './routes/stats.js';
import { uploadRoutes } from './routes/uploads.js';
import { watchlistRoutes } from './routes/watchlists.js';

export interface BuildOptions extends AppContext {
  /** The process logger; none (silence) in tests. */
  logger?: FastifyBaseLogger;
  /** Observer of every registered route (the docs test compares them with the OpenAPI document). */
  onRoute?: (route: { method: string; url: string }) => void;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the HTTP app; `server.ts` only listens. Tests call `inject()` or listen on port 0. */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // The caller's X-Request-Id when it looks like one (so it cannot forge log lines), else a fresh UUID;
    // echoed back on every response.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    trustProxy: options.config.trustProxy,
    // Uploads can be large and slow: no cap on a whole request, but a connection that sends and receives
    // nothing for IDLE_TIMEOUT_MS is cut (Node's socket inactivity timeout), so a stalled client holds
    // neither a socket nor a partial file for long.
    requestTimeout: 0,
    connectionTimeout: options.config.idleTimeoutMs,
  });
  app.decorate('ctx', { config: options.config, store: options.store, queues: options.queues });
  // The spool is this process's to write (one API per data directory); workers only clear stored batches.
  const spool = new Spool(spoolPath(options.config));
  app.addHook('onClose', async () => spool.close());
  app.decorate(
    'live',
    new LiveIngest({
      store: options.store,
      spool,
      config: options.config,
      redis: options.queues.connection,
      ingestQueue: options.queues.live.ingest,
      onError: (err, what) => app.log.warn({ err: err.message }, what),
    }),
  );
  app.decorate('tail', new LogTail(options.store));
  // Open event streams would hold the server open: end them before it closes.
  app.addHook('preClose', async () => app.tail.close());
  const { onRoute } = options;
  if (onRoute) {
    app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) onRoute({ method, url: r.url });
    });
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  registerErrorHandling(app);
  await registerSecurityHeaders(app);
  await app.register(cookie);
  await registerRateLimit(app);
  const sessions = new SessionStore(options.queues.connection, options.config.queuePrefix);
  registerAuth(app, sessions);
  await registerDocs(app);
  // After the docs, which document only the routes added after them.
  await registerMetrics(app);
  await app.register(multipart, {
    limits: {
      fileSize: options.config.maxUploadBytes,
      files: 20,
      fields: 20,
      fieldSize: 1024 * 1024,
      parts: 60,
    },
  });
  await app.register(healthRoutes);
  await app.register(authRoutes, { sessions });
  await app.register(queueRoutes);
  const hub = new UploadEventHub(app.ctx);
  const streams = new Set<EventStream>();
  app.addHook('preClose', async () => {
    hub.close();
    for (const stream of streams) stream.close();
  });
  await app.register(eventRoutes, { hub, streams });
  await app.register(uploadRoutes);
  await app.register(reportRoutes);
  await app.register(entryRoutes);
  await app.register(formatRoutes);
  await app.register(watchlistRoutes);
  await app.register(ingestRoutes);
  await app.register(logRoutes);
  await app.register(deadLetterRoutes);
  await app.register(statsRoutes);
  await app.register(metricRoutes);
  await registerBoard(app, { readOnly: options.config.boardReadOnly });
  await registerDashboard(app);
  return app;
}
