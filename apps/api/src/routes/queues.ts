import { QUEUE_STATES } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BOARD_PATH } from '../board.js';

const workerView = z.object({
  name: z.string().describe('client name the worker gave Redis'),
  addr: z.string().describe('its address as Redis sees it'),
  ageSeconds: z.number().describe('how long it has been connected'),
  idleSeconds: z.number(),
});

const queueView = z.object({
  name: z.string(),
  paused: z.boolean(),
  counts: z.record(z.string(), z.number()).describe(`jobs per state: ${QUEUE_STATES.join(', ')}`),
  workers: z.array(workerView),
});

export async function queueRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/queues',
    {
      schema: {
        tags: ['operations'],
        summary:
          'Each queue (stages, then live events): jobs per state, whether it is paused, the workers connected',
        response: { 200: z.object({ queues: z.array(queueView), board: z.string() }) },
      },
    },
    async () => {
      const queues = await Promise.all(
        Object.entries({ ...app.ctx.queues.queues, ...app.ctx.queues.live }).map(async ([name, queue]) => {
          const [counts, paused, workers] = await Promise.all([
            queue.getJobCounts(...QUEUE_STATES),
            queue.isPaused(),
            queue.getWorkers(),
          ]);
          return {
            name,
            paused,
            counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, counts[s] ?? 0])),
            workers: workers.map((w) => ({
              name: w.name ?? '',
              addr: w.addr ?? '',
              ageSeconds: Number(w.age ?? 0),
              idleSeconds: Number(w.idle ?? 0),
            })),
          };
        }),
      );
      return { queues, board: BOARD_PATH };
    },
  );
}
