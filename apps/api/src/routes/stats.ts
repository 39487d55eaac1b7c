import { isoTime, liveStats } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Default range of /api/stats: the last hour. */
const DEFAULT_RANGE_MS = 3600 * 1000;

const statsQuery = z.strictObject({
  from: isoTime.optional().describe('default: an hour before `to`'),
  to: isoTime.optional().describe('default: now'),
  service: z.string().trim().min(1).max(200).optional(),
  top: z.coerce.number().int().min(1).max(100).default(10).describe('templates listed'),
});

export async function statsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store, config } = app.ctx;
  app.get(
    '/api/stats',
    {
      schema: {
        tags: ['live'],
        summary:
          'Live events over a time range: counts by service and level, error rate, rate now, top templates',
        description:
          'Counts come from the window metrics, so the range is widened to whole windows (WINDOW_SECONDS). ' +
          '`eventsPerSecond` is the rate at which this server accepted events over the last 10 seconds; ' +
          '`pending` counts events accepted and not yet stored.',
        querystring: statsQuery,
      },
    },
    async (request) => {
      const q = request.query;
      const to = q.to ?? Date.now();
      const from = q.from ?? to - DEFAULT_RANGE_MS;
      // Pending first: a batch is stored (entries and metrics committed) before the spool forgets it, so
      // when a client sees pending = 0 the counts read after include every event accepted before.
      const pending = app.live.pendingEvents();
      const stats = liveStats(store, config.live.windowMs, { from, to, service: q.service }, q.top);
      return {
        ...stats,
        from: new Date(stats.from).toISOString(),
        to: new Date(stats.to).toISOString(),
        eventsPerSecond: app.live.acceptedRate.perSecond(),
        pending,
      };
    },
  );
}
