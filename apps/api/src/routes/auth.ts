import { AppError } from '@logsift/jobs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { crossSiteRejection, csrfRejection } from '../auth/csrf.js';
import { SESSION_TTL_SECONDS, type SessionStore, sha256Hex } from '../auth/sessions.js';
import { CSRF_COOKIE, createTokenCheck, requestOrigin, SESSION_COOKIE } from '../plugins/auth.js';

const sessionView = z.object({
  caller: z.string().describe('the name of the token signed in with'),
  admin: z.boolean().describe('whether it may open the admin pages (Bull Board)'),
  csrfToken: z.string().describe('send it back as X-XSRF-TOKEN on POST and DELETE requests'),
});

/**
 * Browser sign-in: POST /auth/session trades a token for two cookies, an HttpOnly SameSite=Strict session
 * cookie and a readable XSRF-TOKEN cookie whose value must come back as the X-XSRF-TOKEN header
 * (Secure both, when the request came over https). POST /auth/logout ends the session.
 */
export async function authRoutes(fastify: FastifyInstance, opts: { sessions: SessionStore }): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { sessions } = opts;
  const check = createTokenCheck(app.ctx.config.tokens);
  const cookieOptions = (request: FastifyRequest) => ({
    path: '/',
    sameSite: 'strict' as const,
    secure: request.protocol === 'https',
    maxAge: SESSION_TTL_SECONDS,
  });
  const refuseCrossSite = (request: FastifyRequest) => {
    const rejection = crossSiteRejection({
      method: request.method,
      origin: requestOrigin(request),
      headers: request.headers,
    });
    if (rejection) throw new AppError('csrf_rejected', rejection);
  };
  const clear = (request: FastifyRequest, reply: FastifyReply) => {
    const { maxAge: _, ...options } = cookieOptions(request);
    reply.clearCookie(SESSION_COOKIE, { ...options, httpOnly: true });
    reply.clearCookie(CSRF_COOKIE, options);
  };

  app.post(
    '/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a token: sets the session and XSRF-TOKEN cookies',
        security: [],
        body: z.object({ token: z.string().min(1).max(512) }),
        response: { 200: sessionView },
      },
    },
    async (request, reply) => {
      // Sign-in is not protected by a session yet, so only a same-origin page may post it (login CSRF).
      refuseCrossSite(request);
      const { token } = request.body;
      const caller = check(token);
      if (!caller) throw new AppError('unauthorized', 'unknown token');
      const { id, session } = await sessions.create(caller, sha256Hex(token));
      reply.setCookie(SESSION_COOKIE, id, { ...cookieOptions(request), httpOnly: true });
      reply.setCookie(CSRF_COOKIE, session.csrf, { ...cookieOptions(request), httpOnly: false });
      return { caller, admin: app.ctx.config.admins.has(caller), csrfToken: session.csrf };
    },
  );

  app.get(
    '/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in caller, and the CSRF token to send back',
        response: { 200: sessionView },
      },
    },
    async (request) => {
      const caller = request.caller ?? '';
      const sessionId = request.cookies[SESSION_COOKIE];
      const session = sessionId ? await sessions.get(sessionId) : undefined;
      return { caller, admin: app.ctx.config.admins.has(caller), csrfToken: session?.csrf ?? '' };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends the session and clears its cookies',
        security: [],
        response: { 204: z.null().describe('signed out') },
      },
    },
    async (request, reply) => {
      const sessionId = request.cookies[SESSION_COOKIE];
      const session = sessionId ? await sessions.get(sessionId) : undefined;
      if (session && sessionId) {
        // Only the page itself may end its session: the same checks as any other state change.
        const rejection = csrfRejection(
          { method: request.method, origin: requestOrigin(request), headers: request.headers },
          session.csrf,
        );
        if (rejection) throw new AppError('csrf_rejected', rejection);
        await sessions.delete(sessionId);
      }
      clear(request, reply);
      return reply.status(204).send(null);
    },
  );
}
