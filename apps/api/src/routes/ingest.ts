import { AppError, parseIngestBody, type Sender } from '@logsift/jobs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Who is asking: the token's name, and whether it is an admin token (LOGSIFT_ADMINS). */
export function senderOf(app: FastifyInstance, request: FastifyRequest): Sender {
  const caller = request.caller as string; // the auth hook set it, or answered 401
  return { caller, admin: app.ctx.config.admins.has(caller) };
}

const rejection = z.object({ index: z.number(), code: z.string(), reason: z.string() });

/**
 * POST /api/logs. This plugin reads every body as text whatever its Content-Type (its own parser, scoped
 * to this plugin), because a JSON event, a JSON array and NDJSON are told apart by the body itself.
 */
export async function ingestRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config } = app.ctx;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: config.live.maxBodyBytes },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/api/logs',
    {
      bodyLimit: config.live.maxBodyBytes,
      // Hundreds of requests a second: two info lines each would cost more than the ingest.
      logLevel: 'warn',
      schema: {
        tags: ['live'],
        summary: 'Send live events: one JSON event, a JSON array of events, or NDJSON',
        description:
          'An event: `timestamp` (ISO 8601 or epoch s/ms), `level` or `severity`, `service` (defaults to the ' +
          "token's name; only admin tokens may name another), `message`, optional `event_id` (an id seen " +
          'within DEDUP_WINDOW_SECONDS is a duplicate: dropped and counted), `host`, `attributes`. Each event ' +
          'is checked on its own: the answer (202) counts the accepted and duplicate events and lists each ' +
          'rejected one with its index, code and reason; rejected events go to the dead letters. 202 means ' +
          'durable: the events survive a crash of any process. 400 only when the body is not JSON or NDJSON ' +
          '(naming the line); 429 or 503 with Retry-After when events cannot be accepted now.',
        consumes: ['application/json', 'application/x-ndjson'],
        body: z.string().describe('a JSON event, a JSON array of events, or NDJSON'),
        response: {
          202: z.object({ accepted: z.number(), duplicates: z.number(), rejected: z.array(rejection) }),
        },
      },
    },
    async (request, reply) => {
      const parsed = parseIngestBody(request.body);
      if ('error' in parsed) throw new AppError('bad_request', parsed.error);
      const result = await app.live.accept(
        parsed.values.map((value) => ({ value })),
        senderOf(app, request),
        'http',
      );
      return reply
        .status(202)
        .send({ accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected });
    },
  );
}
