import { isDatabaseBusy } from '@logsift/db';
import { AppError, type ErrorCode } from '@logsift/jobs';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

function send(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.status(status).send({ error: { code, message } });
}

export function sendAppError(reply: FastifyReply, err: AppError): FastifyReply {
  if (err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
  return send(reply, err.status, err.code, err.message);
}

/** Fastify and plugin errors that carry a status of their own, mapped to our codes. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The one place errors become `{ error: { code, message } }`. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) request.log.error({ err }, err.message);
      return sendAppError(reply, err);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const code = fe.validationContext === 'querystring' ? 'invalid_query' : 'bad_request';
      return send(reply, 400, code, validationMessage(fe));
    }
    const status = fe.statusCode;
    if (status && status >= 400 && status < 500) {
      return send(reply, status, STATUS_CODES[status] ?? 'bad_request', fe.message);
    }
    if (isRedisDown(err)) {
      reply.header('retry-after', '5');
      return send(reply, 503, 'unavailable', 'the queue (Redis) is unreachable; retry shortly');
    }
    if (isDatabaseBusy(err)) {
      reply.header('retry-after', '1');
      return send(reply, 503, 'unavailable', 'the database is busy; retry shortly');
    }
    if (isStorageFull(err)) {
      reply.header('retry-after', '60');
      return send(reply, 507, 'storage_full', 'the server has no disk space left; retry later');
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, 500, 'internal', 'internal error');
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
  );
}

/**
 * ioredis errors of a producer connection while Redis is down (`enableOfflineQueue: false` fails a command
 * at once; `maxRetriesPerRequest` gives up on one cut mid-flight), also when wrapped as another's cause.
 */
export function isRedisDown(err: unknown): boolean {
  for (let e = err as Error | undefined, depth = 0; e && depth < 5; e = e.cause as Error, depth++) {
    const msg = e.message ?? '';
    if (
      e.name === 'MaxRetriesPerRequestError' ||
      msg.includes("Stream isn't writeable") ||
      msg.includes('Connection is closed') ||
      msg.includes('ECONNREFUSED') ||
      msg.includes('enableOfflineQueue')
    )
      return true;
  }
  return false;
}

/** SQLite or the file system out of space (SQLITE_FULL, ENOSPC). */
function isStorageFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** "level: unknown level LOUD; use ..." from a schema validation error (zod issues carry the path). */
function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0] as
    | { instancePath?: string; message?: string; params?: { issue?: { path?: unknown[] } } }
    | undefined;
  const path =
    first?.params?.issue?.path?.join('.') ?? first?.instancePath?.replace(/^\//, '').replaceAll('/', '.');
  const message = first?.message ?? err.message;
  return path ? `${err.validationContext ?? 'request'}.${path}: ${message}` : message;
}
