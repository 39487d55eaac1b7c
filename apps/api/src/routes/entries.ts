import {
  chunkFirstLines,
  type EntryRow,
  entryFilters,
  entryView,
  readRecordTexts,
  templatesOfSignatures,
  uploadEntriesQuery,
} from '@logsift/jobs';
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
      const { sql, params } = uploadEntriesQuery(sqlite, row, filters);
      const rows = sqlite.prepare(sql).all(...params) as EntryRow[];
      const page = rows.slice(0, filters.limit);
      const firstLines = chunkFirstLines(sqlite, row.id);
      const raws = await readRecordTexts(row.storedPath, page);
      const templateIds = templatesOfSignatures(sqlite, row.seq, page);
      return {
        entries: page.map((e, i) => entryView(e, raws[i] ?? null, firstLines, templateIds)),
        nextCursor: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
}
