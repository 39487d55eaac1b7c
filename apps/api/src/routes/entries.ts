import { entryFilters, entryView, templatesOfSignatures, uploadEntriesPage } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams, loadUpload } from './uploads.js';

export async function entryRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/uploads/:id/entries',
    {
      schema: {
        tags: ['uploads'],
        summary: "An upload's entries in file order, filtered, with cursor pagination",
        params: idParams,
        querystring: entryFilters,
      },
    },
    async (request) => {
      const row = loadUpload(app, request);
      const filters = request.query;
      const { sqlite } = app.ctx.store;
      const page = await uploadEntriesPage(sqlite, row, filters);
      const rows = page.records.map((r) => r.row);
      const templateIds = templatesOfSignatures(sqlite, row.seq, rows);
      return {
        entries: page.records.map((r) => entryView(r.row, r.raw, page.firstLines, templateIds)),
        nextCursor: page.nextCursor,
      };
    },
  );
}
