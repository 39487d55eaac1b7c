import {
  allSources,
  type LogFilters,
  type LogRow,
  logFilters,
  logView,
  queryLogs,
  resolveSources,
} from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

/** Unread bytes an event-stream client may leave queued before it is dropped as too slow. */
const MAX_QUEUED_BYTES = 1024 * 1024;
/** Comment line sent this often (ms) so proxies and clients see the stream is alive. */
const HEARTBEAT_MS = 15_000;

const streamFilters = logFilters.omit({ cursor: true, limit: true });

export async function logRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { store } = app.ctx;

  app.get(
    '/api/logs',
    {
      schema: {
        tags: ['live'],
        summary: 'Uploaded lines and live events alike, newest first, filtered, with cursor pagination',
        querystring: logFilters,
      },
    },
    async (request) => {
      const f = request.query;
      const names = resolveSources(store, f.source);
      const { rows, nextCursor } = await queryLogs(store, f, names.sources ?? allSources(store));
      return { logs: rows.map((r) => logView(r, names.nameOf(r.source))), nextCursor };
    },
  );

  app.get(
    '/api/logs/stream',
    {
      schema: {
        tags: ['live'],
        summary: 'A live tail: Server-Sent Events of new entries matching the same filters as GET /api/logs',
        description:
          'Each entry is an event `log` whose data is the entry as GET /api/logs shows it. Live events carry ' +
          'their entry id as the event id (send Last-Event-ID to resume); uploaded lines stream as their ' +
          'chunks are stored, without an id. An event `skipped` says how many entries went by unread when the ' +
          'tail fell behind.',
        querystring: streamFilters,
      },
    },
    async (request, reply) => {
      const f = { ...request.query, limit: 1 } as LogFilters;
      const names = resolveSources(store, f.source);
      const lastEventId = Number(request.headers['last-event-id']);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n: tailing new entries\n\n');
      const seqNames = new Map<number, string>();
      const nameOf = (seq: number) => {
        let name = seqNames.get(seq);
        if (name === undefined) {
          name = resolveSources(store, undefined).nameOf(seq);
          seqNames.set(seq, name);
        }
        return name;
      };
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const stop = app.tail.listen(
        {
          filters: f,
          sources: names.sources ? new Set(names.sources) : undefined,
          send: (row: LogRow) => {
            // Live events carry their id (Last-Event-ID resumes from it); uploaded records, which stream
            // as their chunks are stored, do not move it.
            const id = row.source === 0 ? `id: ${row.id}\n` : '';
            res.write(`${id}event: log\ndata: ${JSON.stringify(logView(row, nameOf(row.source)))}\n\n`);
            return res.writableLength <= MAX_QUEUED_BYTES;
          },
          skipped: (count) => res.write(`event: skipped\ndata: ${JSON.stringify({ count })}\n\n`),
          close: () => res.destroy(),
        },
        Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? lastEventId : undefined,
      );
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        stop();
      });
    },
  );
}
