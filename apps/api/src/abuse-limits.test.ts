import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { waitForRedis } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { createTokenCheck } from './plugins/auth.js';
import { ANONYMOUS_MAX } from './plugins/rate-limit.js';
import { APP_CSP, BOARD_CSP, DOCS_CSP } from './plugins/security-headers.js';
import { AUTH, type Harness, multipart, startHarness, TOKEN } from './test-support/harness.js';

const READER = { authorization: 'Bearer reader-token-0123456789' };

describe('rate limits per token, counted in Redis', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: false, env: { RATE_LIMIT_MAX: '5', RATE_LIMITS: 'reader=3' } });
    // Until Redis answers, requests pass unlimited (the limiter fails open rather than refusing all).
    await waitForRedis(h.queues.connection);
  });
  afterAll(() => h.close());

  it('gives each token name its own budget and answers 429 with Retry-After in the error shape', async () => {
    const list = (headers: Record<string, string>) => h.app.inject({ url: '/api/uploads', headers });
    for (let i = 0; i < 3; i++) expect((await list(READER)).statusCode).toBe(200);
    const over = await list(READER);
    expect(over.statusCode).toBe(429);
    expect(over.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringContaining('at most 3') },
    });
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The admin token's budget (RATE_LIMIT_MAX) is its own.
    for (let i = 0; i < 5; i++) expect((await list(AUTH)).statusCode).toBe(200);
    expect((await list(AUTH)).statusCode).toBe(429);
    // Not limited: health, readiness, docs.
    for (let i = 0; i < 20; i++) expect((await h.app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('shares the counts between API processes, and limits unknown tokens per address', async () => {
    const other = await buildApp({ config: h.config, store: h.store, queues: h.queues });
    try {
      const res = await other.inject({ url: '/api/uploads', headers: READER });
      expect(res.statusCode).toBe(429); // spent on the first app
    } finally {
      await other.close();
    }
    const guess = (i: number) =>
      h.app.inject({ url: '/api/uploads', headers: { authorization: `Bearer guess-${i}-0123456789abcdef` } });
    for (let i = 0; i < ANONYMOUS_MAX; i++) expect((await guess(i)).statusCode).toBe(401);
    const limited = await guess(ANONYMOUS_MAX);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
  });
});

describe('uploads in flight per caller', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startHarness({ workers: false, env: { UPLOADS_IN_FLIGHT_MAX: '1' } });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as { port: number }).port;
  });
  afterAll(() => h.close());

  it('refuses a second concurrent upload of the same caller with 429, and takes it once the first ends', async () => {
    const boundary = `b${randomBytes(4).toString('hex')}`;
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(
      `POST /api/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.log"\r\n\r\nfirst\n`,
    );
    await new Promise((r) => setTimeout(r, 300)); // the first upload is streaming in
    const body = multipart([{ filename: 'b.log', content: 'second\n' }]);
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: '/api/uploads',
        headers: { ...AUTH, ...body.headers },
        payload: body.payload,
      });
    const refused = await send();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toEqual({
      code: 'rate_limited',
      message: expect.stringContaining('at most 1 upload'),
    });
    expect(refused.headers['retry-after']).toBe('1');
    const closed = new Promise((r) => socket.once('close', r));
    socket.destroy();
    await closed;
    await new Promise((r) => setTimeout(r, 100));
    expect((await send()).statusCode).toBe(202);
  });
});

describe('security headers and tokens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: false });
  });
  afterAll(() => h.close());

  it('sends helmet headers everywhere, a strict CSP on the app, and their own CSP on the docs and the board', async () => {
    for (const [url, headers] of [
      ['/health', {}],
      ['/api/uploads', AUTH],
      ['/api/nothing', AUTH],
    ] as const) {
      const res = await h.app.inject({ url, headers });
      expect(res.headers['content-security-policy'], url).toBe(APP_CSP);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], url).toMatch(/^max-age=\d+/);
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).not.toContain('unsafe');
    const docs = await h.app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toBe(DOCS_CSP);
    const board = await h.app.inject({ url: '/admin/queues', headers: AUTH });
    expect(board.statusCode).toBe(200);
    expect(board.headers['content-security-policy']).toBe(BOARD_CSP);
  });

  it('answers every near-miss token alike: shorter, longer, one character off, other case, empty', async () => {
    const misses = [
      TOKEN.slice(0, -1),
      `${TOKEN}x`,
      `${TOKEN.slice(0, -1)}${TOKEN.at(-1) === 'f' ? 'e' : 'f'}`,
      `x${TOKEN.slice(1)}`,
      TOKEN.toUpperCase(),
      TOKEN.repeat(40),
      'a',
    ];
    const check = createTokenCheck(new Map([[TOKEN, 'admin']]));
    expect(check(TOKEN)).toBe('admin');
    for (const m of misses) expect(check(m), m).toBeUndefined();
    const bodies = new Set<string>();
    for (const m of misses) {
      const res = await h.app.inject({ url: '/api/uploads', headers: { authorization: `Bearer ${m}` } });
      expect(res.statusCode).toBe(401);
      bodies.add(res.body);
    }
    expect([...bodies]).toEqual(['{"error":{"code":"unauthorized","message":"unknown token"}}']);
  });
});
