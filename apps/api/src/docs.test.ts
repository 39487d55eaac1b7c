import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './test-support/harness.js';

describe('API docs', () => {
  let h: Harness;
  const routes: { method: string; url: string }[] = [];
  beforeAll(async () => {
    h = await startHarness({ workers: false, onRoute: (r) => routes.push(r) });
  });
  afterAll(() => h.close());

  it('documents every route, from the schemas that validate them', async () => {
    const res = await h.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    // Every route but Bull Board's own, the docs pages themselves and the dashboard's static files.
    const ours = routes
      .filter((r) => r.method !== 'HEAD' && !/^\/(admin\/queues|docs|assets)(\/|$)/.test(r.url))
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(ours.filter((r) => r.includes(' /api')).length).toBeGreaterThan(5);
    for (const r of ours) expect(documented, r).toContain(r);
    for (const r of [
      'GET /',
      'GET /health',
      'GET /ready',
      'GET /metrics',
      'POST /auth/session',
      'GET /auth/session',
      'POST /auth/logout',
      'GET /api/queues',
      'GET /api/events',
      'GET /api/uploads/{id}/events',
    ])
      expect(ours, `${r} in ${ours.join(', ')}`).toContain(r);
    // The entries filters are documented as query parameters.
    const params = doc.paths['/api/uploads/{id}/entries'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(
      expect.arrayContaining(['level', 'service', 'status', 'from', 'to', 'q', 'cursor', 'limit']),
    );
  });

  it('serves the docs page', async () => {
    const res = await h.app.inject({ url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});
