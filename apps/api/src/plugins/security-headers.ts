import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The app's own pages (the dashboard) load scripts and styles from this origin only; API answers are JSON.
 * No `upgrade-insecure-requests`: the API is often reached over plain HTTP on a private address.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Swagger UI (/docs): its own scripts, plus the inline styles its components set. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Bull Board (/admin/queues): its own scripts and styles (its markup carries inline styles), nothing from
 * elsewhere: the web fonts its page links are removed (board.ts), the system's fonts are used instead.
 */
export const BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Helmet's headers on every answer, with APP_CSP; the docs, the board and the HTML report set their own CSP. */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { contentSecurityPolicy: false });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('content-security-policy', APP_CSP);
  });
}

/** An onSend hook for a scope whose pages need their own policy. */
export function cspHook(policy: string) {
  return async (_request: unknown, reply: FastifyReply, payload: unknown) => {
    reply.header('content-security-policy', policy);
    return payload;
  };
}
