import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { BOARD_CSP, cspHook } from './plugins/security-headers.js';

export const BOARD_PATH = '/admin/queues';

/**
 * Bull Board with every queue, stage and live (a stage job's page shows its upload's flow: report <- analyze
 * <- clean <- parse x N). Behind the same sign-in as the dashboard, admin tokens only (the auth hook covers /admin), and
 * its actions pass the CSRF checks: its HTTP client echoes the XSRF-TOKEN cookie as X-XSRF-TOKEN.
 */
export async function registerBoard(app: FastifyInstance, options: { readOnly: boolean }): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: [...Object.values(app.ctx.queues.queues), ...Object.values(app.ctx.queues.live)].map(
      (q) => new BullMQAdapter(q, { readOnlyMode: options.readOnly }),
    ),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'logsift queues',
        hideDocsLink: true,
        miscLinks: [{ text: 'Dashboard', url: '/' }],
      },
    },
  });
  // Its own scope, so that its pages get the policy they need (inline styles, web fonts) and no other does.
  await app.register(
    async (scope) => {
      scope.addHook('onSend', cspHook(BOARD_CSP));
      // Its page links web fonts from another site; the CSP would block them, but better not to ask at all.
      scope.addHook('onSend', async (_request, reply, payload) => {
        const type = String(reply.getHeader('content-type') ?? '');
        if (!type.startsWith('text/html') || typeof payload !== 'string') return payload;
        return payload.replace(/<link[^>]*\/\/fonts\.[^>]*>/g, '');
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
