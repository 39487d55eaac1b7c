import { AppError } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type EventStream, openEventStream } from '../events/sse.js';
import type { UploadEventHub } from '../events/upload-events.js';
import { idParams } from './uploads.js';

const STREAM_DESCRIPTION =
  'text/event-stream. Events: `upload` (data: `{ upload, progress }`, the upload as GET /api/uploads/{id} ' +
  "answers it and each stage's progress 0..1, counting running parse chunks) and `deleted` (data: `{ id }`). " +
  'Changes of one upload within 200 ms are sent once; a comment line every 15 s keeps the connection open.';

export async function eventRoutes(
  fastify: FastifyInstance,
  opts: { hub: UploadEventHub; streams: Set<EventStream> },
): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { hub, streams } = opts;

  app.get(
    '/api/events',
    {
      schema: {
        tags: ['uploads'],
        summary: 'Live changes of every upload (Server-Sent Events)',
        description: STREAM_DESCRIPTION,
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const stream = openEventStream(request, reply, streams);
      stream.onClose(hub.subscribe((event) => stream.send(event.type, event)));
    },
  );

  app.get(
    '/api/uploads/:id/events',
    {
      schema: {
        tags: ['uploads'],
        summary: 'Live changes of one upload (Server-Sent Events), starting with its current state',
        description: STREAM_DESCRIPTION,
        params: idParams,
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const first = hub.snapshot(id);
      if (!first) throw new AppError('upload_not_found', `upload ${id} does not exist`);
      const stream = openEventStream(request, reply, streams);
      stream.onClose(
        hub.subscribe((event) => {
          if ((event.type === 'upload' ? event.upload.id : event.id) === id) stream.send(event.type, event);
        }),
      );
      stream.send(first.type, first);
    },
  );
}
