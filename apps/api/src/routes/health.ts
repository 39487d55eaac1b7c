import { checkReadiness } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const check = z.object({ ok: z.boolean(), error: z.string().optional() });

export async function healthRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Alive: the process answers (no dependency is checked)',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Ready: Redis and the database answer and every migration is applied (503 when not)',
        security: [],
        response: {
          200: z.object({ status: z.string(), checks: z.record(z.string(), check) }),
          503: z.object({ status: z.string(), checks: z.record(z.string(), check) }),
        },
      },
    },
    async (_request, reply) => {
      const { ready, checks } = await checkReadiness(app.ctx.queues.connection, app.ctx.store);
      if (!ready) reply.status(503).header('retry-after', '5');
      return { status: ready ? 'ready' : 'not ready', checks };
    },
  );
}
