import { AppError, REPORT_CSP } from '@logsift/jobs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, loadUpload } from './uploads.js';

const FORMATS = {
  json: { column: 'json', type: 'application/json; charset=utf-8' },
  md: { column: 'markdown', type: 'text/markdown; charset=utf-8' },
  html: { column: 'html', type: 'text/html; charset=utf-8' },
} as const;
type ReportFormat = keyof typeof FORMATS;

const reportQuery = z.strictObject({ format: z.enum(['json', 'md', 'markdown', 'html']).optional() });

/** `?format=` wins; otherwise the Accept header picks Markdown or HTML; JSON by default. */
function pickFormat(queryFormat: string | undefined, accept: string | undefined): ReportFormat {
  if (queryFormat) return queryFormat === 'markdown' ? 'md' : (queryFormat as ReportFormat);
  const a = accept ?? '';
  if (a.includes('text/html')) return 'html';
  if (a.includes('text/markdown')) return 'md';
  return 'json';
}

export async function reportRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/uploads/:id/report',
    {
      schema: {
        tags: ['uploads'],
        summary: "An upload's report: JSON, or Markdown / HTML by ?format= or the Accept header",
        params: idParams,
        querystring: reportQuery,
      },
    },
    async (request, reply) => {
      const row = loadUpload(app, request);
      const { format } = request.query;
      const chosen = pickFormat(format, request.headers.accept);
      const report = app.ctx.store.sqlite
        .prepare(`SELECT ${FORMATS[chosen].column} AS body FROM reports WHERE upload_id = ?`)
        .get(row.id) as { body: string } | undefined;
      if (!report) {
        throw new AppError(
          'report_not_ready',
          row.status === 'failed'
            ? `upload ${row.id} failed: ${row.error ?? 'unknown reason'}`
            : `the report of upload ${row.id} is not ready yet (status ${row.status})`,
        );
      }
      reply.header('content-type', FORMATS[chosen].type);
      // The page may style itself inline and show data: images, nothing else; it holds no script.
      if (chosen === 'html')
        reply.header('content-security-policy', `${REPORT_CSP}; base-uri 'none'; form-action 'none'`);
      return reply.send(report.body);
    },
  );
}
