import rateLimit from '@fastify/rate-limit';
import { AppError } from '@logsift/jobs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, createTokenCheck, SESSION_COOKIE } from './auth.js';
import { sendAppError } from './errors.js';

/** Requests per window from one address without a known token: enough to retry, too few to guess tokens. */
export const ANONYMOUS_MAX = 60;

/** Whether a path is rate limited: the API and the admin pages (health, readiness and docs are not). */
export const isLimitedPath = (path: string) => path.startsWith('/api') || path.startsWith('/admin');

/**
 * Per-caller request budgets, counted in Redis so that every API process shares them: a token's name
 * (RATE_LIMITS, else RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS), or the client address for unknown tokens.
 * Runs before authentication, so guessing tokens is limited too. While Redis is down requests pass
 * unlimited rather than all failing (`skipOnError`). Over budget: 429 `rate_limited` with Retry-After.
 */
export async function registerRateLimit(app: FastifyInstance): Promise<void> {
  const { config, queues } = app.ctx;
  const check = createTokenCheck(config.tokens);
  const callerOf = (request: FastifyRequest) => {
    const token = bearerToken(request);
    return token ? check(token) : undefined;
  };
  await app.register(rateLimit, {
    global: false,
    redis: queues.connection,
    nameSpace: `${queues.prefix}:rate-limit:`,
    skipOnError: true,
    timeWindow: config.rateLimitWindowMs,
    keyGenerator: (request) => {
      const caller = callerOf(request);
      if (caller) return `caller:${caller}`;
      // A signed-in browser: its session is its budget (the session is checked by the auth hook after this).
      const session = request.cookies?.[SESSION_COOKIE];
      return session ? `session:${session}` : `address:${request.ip}`;
    },
    max: (_request, key) =>
      key.startsWith('caller:')
        ? (config.rateLimits.get(key.slice('caller:'.length)) ?? config.rateLimitMax)
        : key.startsWith('session:')
          ? config.rateLimitMax
          : ANONYMOUS_MAX,
    errorResponseBuilder: (_request, context) =>
      new AppError(
        'rate_limited',
        `too many requests: at most ${context.max} per ${context.after}; retry after the Retry-After seconds`,
        { retryAfter: Math.max(1, Math.ceil(context.ttl / 1000)) },
      ),
  });
  const limit = app.rateLimit();
  // Answers directly rather than throwing, as the auth hook does: Bull Board has an error handler of its own.
  app.addHook('onRequest', async (request, reply) => {
    if (!isLimitedPath(request.url.split('?')[0] ?? '')) return;
    try {
      await limit.call(app, request, reply);
    } catch (err) {
      if (err instanceof AppError) return sendAppError(reply, err);
      throw err;
    }
  });
}
