import { listFormats, listSavedFormats, saveFormat } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const newFormat = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'a name of letters, digits, . _ - (at most 64)')
    .describe('name to use as an upload `format`'),
  pattern: z
    .string()
    .min(3)
    .max(2000)
    .describe('Loghub-style pattern, e.g. `<Date> <Time> <Level> <Component>: <Content>`'),
  description: z.string().max(500).optional(),
});

export async function formatRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store } = app.ctx;

  app.get(
    '/api/formats',
    { schema: { tags: ['formats'], summary: 'Built-in and saved formats' } },
    async () => ({
      builtin: listFormats().map((f) => ({ name: f.name, description: f.description, fields: f.fills })),
      saved: listSavedFormats(store).map((f) => ({
        name: f.name,
        pattern: f.pattern,
        description: f.description,
        createdAt: new Date(f.createdAt).toISOString(),
      })),
    }),
  );

  app.post(
    '/api/formats',
    { schema: { tags: ['formats'], summary: 'Save a custom format under a name', body: newFormat } },
    async (request, reply) => {
      const { name, pattern, description } = request.body;
      const row = saveFormat(store, name, pattern, description ?? null);
      return reply.status(201).send({ name: row.name, pattern: row.pattern, description: row.description });
    },
  );
}
