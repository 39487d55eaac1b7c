import { AppError, waitForRedis } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';

/** How long a write waits for a (re)connecting Redis before it is refused with 503. */
const REDIS_WAIT_MS = 1_000;

/**
 * A preHandler for routes that enqueue jobs: while Redis is down they answer 503 with Retry-After at once
 * (before reading a body), instead of waiting on BullMQ, which holds commands until Redis is back.
 */
export function requireRedis(app: { ctx: FastifyInstance['ctx'] }) {
  return async () => {
    try {
      await waitForRedis(app.ctx.queues.connection, REDIS_WAIT_MS);
    } catch (err) {
      throw new AppError('unavailable', 'the queue (Redis) is unreachable; retry shortly', {
        cause: err,
        retryAfter: 5,
      });
    }
  };
}
