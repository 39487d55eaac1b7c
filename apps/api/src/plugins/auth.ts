import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@logsift/jobs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfRejection } from '../auth/csrf.js';
import { type SessionStore, sha256Hex } from '../auth/sessions.js';
import { sendAppError } from './errors.js';

const digest = (token: string) => createHash('sha256').update(token).digest();

/** The HttpOnly cookie holding the session id, and the readable one holding its CSRF token. */
export const SESSION_COOKIE = 'logsift_session';
export const CSRF_COOKIE = 'XSRF-TOKEN';

/**
 * Bearer tokens for `/api` and `/admin`. Tokens are compared as SHA-256 digests with timingSafeEqual,
 * so neither the comparison nor its length leaks how much of a guess was right.
 */
export function createTokenCheck(tokens: Map<string, string>): (presented: string) => string | undefined {
  const known = [...tokens].map(([token, name]) => ({ hash: digest(token), name }));
  return (presented) => {
    const hash = digest(presented);
    let found: string | undefined;
    for (const k of known) if (timingSafeEqual(k.hash, hash)) found = k.name;
    return found;
  };
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Paths that need a caller: the API, the admin pages, the metrics and the "who am I" of the session. */
export function needsAuth(method: string, path: string): boolean {
  if (path.startsWith('/api/') || path === '/api' || path === '/metrics') return true;
  if (path === '/admin' || path.startsWith('/admin/')) return true;
  return path === '/auth/session' && (method === 'GET' || method === 'HEAD');
}

/** The origin the browser used, for the Origin check (X-Forwarded-* count only with TRUST_PROXY). */
export const requestOrigin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/**
 * Who is calling: a bearer token (scripts, the CLI, Prometheus: no CSRF check, browsers never send one
 * cross-site) or else the session cookie of a signed-in browser, whose state-changing requests must pass
 * the CSRF checks. Answers directly rather than throwing: plugins such as Bull Board install error
 * handlers of their own.
 */
export function registerAuth(app: FastifyInstance, sessions: SessionStore): void {
  const check = createTokenCheck(app.ctx.config.tokens);
  const configured = new Set([...app.ctx.config.tokens.keys()].map(sha256Hex));
  const refuse = (request: FastifyRequest, reply: FastifyReply, err: AppError) => {
    // A browser opening an admin page without a session is sent to sign in, then brought back.
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (err.code === 'unauthorized' && wantsPage && !request.headers.authorization) {
      return reply.redirect(`/?next=${encodeURIComponent(request.url)}#/signin`, 303);
    }
    return sendAppError(reply, err);
  };
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!needsAuth(request.method, path)) return;
    const token = bearerToken(request);
    if (token) {
      const caller = check(token);
      if (!caller) return refuse(request, reply, new AppError('unauthorized', 'unknown token'));
      request.caller = caller;
      request.authVia = 'bearer';
    } else {
      const sessionId = request.cookies[SESSION_COOKIE];
      let session: Awaited<ReturnType<SessionStore['get']>>;
      try {
        session = sessionId ? await sessions.get(sessionId) : undefined;
      } catch {
        return refuse(
          request,
          reply,
          new AppError('unavailable', 'sessions are kept in Redis, which is unreachable; retry shortly', {
            retryAfter: 5,
          }),
        );
      }
      if (!session || !configured.has(session.tokenHash)) {
        const why = sessionId
          ? 'the session has expired or was signed out; sign in again'
          : 'missing Authorization: Bearer <token> header or sign-in cookie';
        return refuse(request, reply, new AppError('unauthorized', why));
      }
      const rejection = csrfRejection(
        { method: request.method, origin: requestOrigin(request), headers: request.headers },
        session.csrf,
      );
      if (rejection) return refuse(request, reply, new AppError('csrf_rejected', rejection));
      request.caller = session.caller;
      request.authVia = 'cookie';
    }
    if (path.startsWith('/admin') && !app.ctx.config.admins.has(request.caller)) {
      return refuse(
        request,
        reply,
        new AppError('forbidden', `the token "${request.caller}" is not an admin token`),
      );
    }
  });
}
