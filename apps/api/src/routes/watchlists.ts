import {
  chunkFirstLines,
  type EntryRow,
  entryView,
  listWatchlists,
  readRecordTexts,
  saveWatchlist,
  templatesOfSignatures,
  watchlistOption,
} from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, loadUpload } from './uploads.js';

const newWatchlist = watchlistOption.extend({ name: z.string().trim().min(1).max(200) });
const matchesQuery = z.object({
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
          `SELECT e.*, m.term AS term FROM watch_matches m JOIN entries e ON e.id = m.entry_id
           WHERE m.source = ? AND m.entry_id > ? ORDER BY m.entry_id LIMIT ?`,
        )
        .all(upload.seq, cursor ?? -1, limit + 1) as (EntryRow & { term: string })[];
      const page = rows.slice(0, limit);
      const raws = await readRecordTexts(upload.storedPath, page);
      const firstLines = chunkFirstLines(store.sqlite, upload.id);
      const templateIds = templatesOfSignatures(store.sqlite, upload.seq, page);
      const total = store.sqlite
        .prepare('SELECT count(*) AS n FROM watch_matches WHERE source = ?')
        .get(upload.seq) as {
        n: number;
      };
      return {
        total: total.n,
        matches: page.map((r, i) => ({
          term: r.term,
          entry: entryView(r, raws[i] ?? null, firstLines, templateIds),
        })),
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );
}
