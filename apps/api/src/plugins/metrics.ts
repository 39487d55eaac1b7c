import { collectProcessMetrics, metricsRegistry, registerQueueDepth } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import { Histogram, Registry } from 'prom-client';

/** Seconds: 5 ms (a cached read) to 2 min (an upload held by ?wait=true). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];

/**
 * GET /metrics, Prometheus text: the process-wide registry of @logsift/jobs (process defaults, jobs, lines,
 * events) plus this app's own: `logsift_http_request_duration_seconds{method,route,status}` and the queue
 * depths read at scrape time. `route` is the route pattern (`/api/uploads/:id`), never the raw URL, so its
 * values stay few; requests that matched no route are counted under "unmatched".
 */
export async function registerMetrics(app: FastifyInstance): Promise<void> {
  collectProcessMetrics();
  const registry = new Registry();
  const http = new Histogram({
    name: 'logsift_http_request_duration_seconds',
    help: 'HTTP request durations by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  registerQueueDepth(registry, { ...app.ctx.queues.queues, ...app.ctx.queues.live });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    http.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text format 0.0.4); needs a token like every /api route',
      },
    },
    async (_request, reply) => {
      const text = `${await metricsRegistry.metrics()}\n${await registry.metrics()}`;
      return reply.header('content-type', registry.contentType).send(text);
    },
  );
}
