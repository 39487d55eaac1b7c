import {
  AppError,
  findMetric,
  isoTime,
  listMetrics,
  logView,
  metricEvents,
  metricFilters,
  metricView,
  pageQuery,
  replayMetrics,
} from '@logsift/jobs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { senderOf } from './ingest.js';

const metricParams = z.object({ id: z.coerce.number().int().min(1).describe('metric id') });

const replayBody = z
  .object({
    from: isoTime.describe('date or ISO 8601 time'),
    to: isoTime.describe('date or ISO 8601 time (exclusive)'),
    service: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => b.from < b.to, 'from must be before to');

export async function metricRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store, config } = app.ctx;
  const load = (request: FastifyRequest) => {
    const { id } = request.params as { id: number };
    const metric = findMetric(store, id);
    if (!metric) throw new AppError('not_found', `metric ${id} does not exist`);
    return metric;
  };

  app.get(
    '/api/metrics',
    {
      schema: {
        tags: ['live'],
        summary: 'Window metrics (per service and level) and daily metrics (per service), newest first',
        querystring: metricFilters,
      },
    },
    async (request) => {
      const { rows, nextCursor } = listMetrics(store, request.query);
      return { metrics: rows.map(metricView), nextCursor };
    },
  );

  app.get(
    '/api/metrics/:id',
    { schema: { tags: ['live'], summary: 'One metric', params: metricParams } },
    async (request) => metricView(load(request)),
  );

  app.get(
    '/api/metrics/:id/events',
    {
      schema: {
        tags: ['live'],
        summary: "A metric's lineage: exactly the events it counted, oldest first",
        params: metricParams,
        querystring: pageQuery,
      },
    },
    async (request) => {
      const metric = load(request);
      const { rows, nextCursor } = metricEvents(store, metric, request.query);
      return { metric: metricView(metric), events: rows.map((r) => logView(r, 'live')), nextCursor };
    },
  );

  app.post(
    '/api/metrics/replay',
    {
      schema: {
        tags: ['live'],
        summary:
          'Recompute window and daily metrics and per-hour template counts of a range from the stored events (admin; idempotent)',
        body: replayBody,
      },
    },
    async (request) => {
      if (!senderOf(app, request).admin) {
        throw new AppError('forbidden', 'recomputing metrics needs an admin token');
      }
      const { from, to, service } = request.body;
      const result = await replayMetrics(store, config.live.windowMs, { from, to, service });
      return { ...result, from: new Date(result.from).toISOString(), to: new Date(result.to).toISOString() };
    },
  );
}
