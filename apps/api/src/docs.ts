import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';
import { BOARD_PATH } from './board.js';
import { DOCS_CSP } from './plugins/security-headers.js';

/**
 * OpenAPI generated from the route schemas (the zod schemas that also validate the requests), served at
 * /docs (UI) and /docs/json. Bull Board's own routes are left out.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'logsift API',
        description:
          'Upload log files or send live events; query entries, reports and statistics. Every /api route and ' +
          '/metrics needs `Authorization: Bearer <token>`, or the cookie of a browser signed in with ' +
          'POST /auth/session; a signed-in browser must also send its `X-XSRF-TOKEN` on POST, PUT and DELETE. ' +
          'Errors are `{ "error": { "code", "message" } }`.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'logsift_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
    transformObject: (doc) => {
      const openapi = 'openapiObject' in doc ? doc.openapiObject : doc.swaggerObject;
      const paths = (openapi as { paths?: Record<string, unknown> }).paths ?? {};
      for (const path of Object.keys(paths))
        if (path.startsWith(BOARD_PATH) || path.startsWith('/docs')) delete paths[path];
      return openapi;
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list' },
    staticCSP: DOCS_CSP,
  });
}
