import type { Store } from '@logsift/db';
import type { Config, LiveIngest, QueueSet } from '@logsift/jobs';
import type { LogTail } from './live/tail.js';

/** What every route needs, decorated onto the Fastify instance once. */
export interface AppContext {
  config: Config;
  store: Store;
  queues: QueueSet;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Live-event ingest, shared by POST /api/logs, the TCP listener and dead-letter replay. */
    live: LiveIngest;
    /** The reader behind GET /api/logs/stream. */
    tail: LogTail;
  }
  interface FastifyRequest {
    /** The authenticated caller's name (from LOGSIFT_TOKENS), set by the auth hook. */
    caller?: string;
    /** How the caller proved it: a bearer token, or a signed-in browser's session cookie. */
    authVia?: 'bearer' | 'cookie';
  }
}
