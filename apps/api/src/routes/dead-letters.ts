import { deadLetterFilters, listDeadLetters, replayDeadLetters, replayRequest } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { senderOf } from './ingest.js';

export async function deadLetterRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store, config } = app.ctx;

  app.get(
    '/api/dead-letters',
    {
      schema: {
        tags: ['live'],
        summary:
          'Rejected live events with the reason, newest first (admin tokens see all, others their own)',
        querystring: deadLetterFilters,
      },
    },
    async (request) => {
      const sender = senderOf(app, request);
      return listDeadLetters(store, request.query, sender.admin ? undefined : sender.caller);
    },
  );

  app.post(
    '/api/dead-letters/replay',
    {
      schema: {
        tags: ['live'],
        summary: 'Send dead letters through ingest again, as stored (`ids`) or corrected (`fixes`)',
        description:
          'Each replay runs with the authority of the token that first sent the event and records its outcome ' +
          'on the dead letter (accepted, duplicate, or rejected again with the new reason). Non-admin tokens ' +
          'may replay only their own dead letters; other ids are listed as missing.',
        body: replayRequest,
      },
    },
    async (request) => replayDeadLetters(app.live, store, config, request.body, senderOf(app, request)),
  );
}
