import {
  entryView,
  firstLinesOf,
  listWatchlists,
  saveWatchlist,
  templatesOfSignatures,
  UploadRecords,
  watchlistOption,
} from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, loadUpload } from './uploads.js';

const newWatchlist = watchlistOption.extend({ name: z.string().trim().min(1).max(200) });
const matchesQuery = z.strictObject({
  cursor: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export async function watchlistRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store } = app.ctx;

  app.post(
    '/api/watchlists',
    {
      schema: {
        tags: ['watchlists'],
        summary: 'Save a watchlist: messages or templates of interest, usable as an upload `watchlist` by id',
        body: newWatchlist,
      },
    },
    async (request, reply) => {
      const { name, ...list } = request.body;
      const saved = saveWatchlist(store, name, list);
      return reply.status(201).send({ ...saved, createdAt: new Date(saved.createdAt).toISOString() });
    },
  );

  app.get('/api/watchlists', { schema: { tags: ['watchlists'], summary: 'Saved watchlists' } }, async () => ({
    watchlists: listWatchlists(store).map((w) => ({ ...w, createdAt: new Date(w.createdAt).toISOString() })),
  }));

  app.get(
    '/api/uploads/:id/matches',
    {
      schema: {
        tags: ['uploads'],
        summary: 'Entries of an upload that matched its watchlist, in file order',
        params: idParams,
        querystring: matchesQuery,
      },
    },
    async (request) => {
      const upload = loadUpload(app, request);
      const { cursor, limit } = request.query;
      const rows = store.sqlite
        .prepare(
          'SELECT entry_id AS id, term FROM watch_matches WHERE source = ? AND entry_id > ? ORDER BY entry_id LIMIT ?',
        )
        .all(upload.seq, cursor ?? -1, limit + 1) as { id: number; term: string }[];
      const page = rows.slice(0, limit);
      const records = new UploadRecords(store.sqlite, upload);
      const found = new Map((await records.byIds(page.map((m) => m.id))).map((r) => [r.row.id, r]));
      const firstLines = firstLinesOf(records.metas);
      const templateIds = templatesOfSignatures(
        store.sqlite,
        upload.seq,
        [...found.values()].map((r) => r.row),
      );
      const total = store.sqlite
        .prepare('SELECT count(*) AS n FROM watch_matches WHERE source = ?')
        .get(upload.seq) as {
        n: number;
      };
      return {
        total: total.n,
        matches: page.flatMap((m) => {
          const record = found.get(m.id);
          return record
            ? [{ term: m.term, entry: entryView(record.row, record.raw, firstLines, templateIds) }]
            : [];
        }),
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
}
