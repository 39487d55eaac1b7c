import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `vite build` puts the dashboard (apps/api/dist/web), from src/ (tests) and dist/ (running) alike. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * The dashboard's policy: its own scripts, styles and images only; no inline script, no other origin
 * (nothing is loaded from a CDN, fonts are the system's), no framing.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * GET / serves the dashboard page; its hashed assets under /assets/ are cached for a year. When the
 * dashboard was not built, / says how to build it instead of failing.
 */
export async function registerDashboard(app: FastifyInstance, dir = DASHBOARD_DIR): Promise<void> {
  const indexFile = join(dir, 'index.html');
  const page = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : undefined;
  if (page) {
    await app.register(fastifyStatic, {
      root: join(dir, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      maxAge: 365 * 24 * 3600 * 1000,
      immutable: true,
    });
  }
  app.get(
    '/',
    { schema: { tags: ['dashboard'], summary: 'The dashboard (HTML)', security: [] } },
    async (_req, reply) => {
      reply
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'same-origin');
      if (!page) {
        return reply
          .status(503)
          .type('text/plain; charset=utf-8')
          .send('The dashboard is not built: run `npm run build` (or `npm start`, which builds it).\n');
      }
      return reply
        .header('content-security-policy', DASHBOARD_CSP)
        .type('text/html; charset=utf-8')
        .send(page);
    },
  );
}
