import type { FastifyReply, FastifyRequest } from 'fastify';

/** A comment line every this many ms keeps proxies from closing an idle stream (15 s). */
export const SSE_HEARTBEAT_MS = 15_000;

export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  /** Called once, when the client goes away or the stream is closed. */
  onClose(fn: () => void): void;
}

/**
 * Turns the reply into a Server-Sent Events stream. Fastify steps aside (hijack): headers are written here,
 * and `open` streams are ended when the app closes so shutdown never waits on a browser tab.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  open: Set<EventStream>,
): EventStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx and similar would otherwise buffer the stream.
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  // Reconnect after 3 s when the connection drops (EventSource's own retry).
  res.write('retry: 3000\n\n');
  const closers: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => res.write(': ping\n\n'), SSE_HEARTBEAT_MS);
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    open.delete(stream);
    for (const fn of closers) fn();
  };
  const stream: EventStream = {
    send(event, data) {
      if (closed) return;
      // JSON never holds a raw newline, so one data: line carries the whole event.
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      finish();
      res.end();
    },
    onClose(fn) {
      closers.push(fn);
    },
  };
  open.add(stream);
  request.raw.on('close', finish);
  return stream;
}
