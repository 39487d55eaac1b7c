import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, startHarness, TOKEN } from './test-support/harness.js';

const READER = 'reader-token-0123456789';
const ORIGIN = 'http://localhost:80';

/** The cookies a response set, by name, with their attributes. */
function cookiesOf(res: { headers: Record<string, unknown> }): Map<string, string> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return new Map(list.map((c: string) => [c.slice(0, c.indexOf('=')), c]));
}

async function signIn(h: Harness, token = TOKEN) {
  const res = await h.app.inject({ method: 'POST', url: '/auth/session', payload: { token } });
  expect(res.statusCode).toBe(200);
  const cookies = cookiesOf(res);
  const session = /^logsift_session=([^;]+)/.exec(cookies.get('logsift_session') ?? '')?.[1];
  const csrf = /^XSRF-TOKEN=([^;]+)/.exec(cookies.get('XSRF-TOKEN') ?? '')?.[1];
  return { res, session: session!, csrf: csrf!, cookie: `logsift_session=${session}; XSRF-TOKEN=${csrf}` };
}

describe('browser sign-in, CSRF and request ids', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: false });
  });
  afterAll(() => h.close());

  it('trades a token for an HttpOnly SameSite=Strict session cookie and a readable CSRF cookie', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/auth/session',
      payload: { token: 'nope-nope-nope-nope' },
    });
    expect(bad.statusCode).toBe(401);
    expect(cookiesOf(bad).size).toBe(0);

    const { res, session, csrf } = await signIn(h);
    expect(res.json()).toEqual({ caller: 'admin', admin: true, csrfToken: csrf });
    const cookies = cookiesOf(res);
    expect(cookies.get('logsift_session')).toMatch(/; HttpOnly/);
    expect(cookies.get('logsift_session')).toMatch(/; SameSite=Strict/);
    expect(cookies.get('logsift_session')).not.toMatch(/; Secure/); // plain http here
    expect(cookies.get('XSRF-TOKEN')).not.toMatch(/HttpOnly/);
    expect(cookies.get('XSRF-TOKEN')).toMatch(/; SameSite=Strict/);
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The session id is not stored as such in Redis, only its digest.
    expect(await h.queues.connection.keys(`${h.config.queuePrefix}:session:${session}`)).toEqual([]);
    expect(await h.queues.connection.keys(`${h.config.queuePrefix}:session:*`)).toHaveLength(1);
  });

  it('accepts the cookie where a bearer token is accepted, and says who is signed in', async () => {
    const { cookie, csrf } = await signIn(h);
    const list = await h.app.inject({ url: '/api/uploads', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    const who = await h.app.inject({ url: '/auth/session', headers: { cookie } });
    expect(who.json()).toEqual({ caller: 'admin', admin: true, csrfToken: csrf });
    expect((await h.app.inject({ url: '/auth/session' })).statusCode).toBe(401);
    const forged = await h.app.inject({
      url: '/api/uploads',
      headers: { cookie: 'logsift_session=made-up' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.message).toMatch(/expired or was signed out/);
  });

  it('refuses cookie-authenticated state changes without the CSRF header or from another site', async () => {
    const { cookie, csrf } = await signIn(h);
    const del = (headers: Record<string, string>) =>
      h.app.inject({ method: 'DELETE', url: '/api/uploads/u-none', headers: { cookie, ...headers } });

    const noHeader = await del({});
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error.code).toBe('csrf_rejected');
    expect((await del({ 'x-xsrf-token': 'wrong-token-of-the-same-kind-xxxxxxxxxxxxxxx' })).statusCode).toBe(
      403,
    );
    expect((await del({ 'x-xsrf-token': csrf, origin: 'https://evil.example' })).json().error.code).toBe(
      'csrf_rejected',
    );
    expect((await del({ 'x-xsrf-token': csrf, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    // Same origin with the token: through to the route, which finds no such upload.
    const ok = await del({ 'x-xsrf-token': csrf, origin: ORIGIN, 'sec-fetch-site': 'same-origin' });
    expect(ok.statusCode).toBe(404);
    expect(ok.json().error.code).toBe('upload_not_found');
    // Bearer requests are not browser requests: no CSRF token needed.
    const bearer = await h.app.inject({ method: 'DELETE', url: '/api/uploads/u-none', headers: AUTH });
    expect(bearer.statusCode).toBe(404);
  });

  it("protects Bull Board's actions the same way, and keeps them to admin tokens", async () => {
    const { cookie, csrf } = await signIn(h);
    const pause = (headers: Record<string, string>) =>
      h.app.inject({
        method: 'PUT',
        url: '/admin/queues/api/queues/clean/pause',
        headers: { cookie, ...headers },
      });
    expect((await pause({})).statusCode).toBe(403);
    expect(await h.queues.queues.clean.isPaused()).toBe(false);
    expect((await pause({ 'x-xsrf-token': csrf })).statusCode).toBe(200);
    expect(await h.queues.queues.clean.isPaused()).toBe(true);
    await h.queues.queues.clean.resume();

    const reader = await signIn(h, READER);
    expect(reader.res.json()).toMatchObject({ caller: 'reader', admin: false });
    const forbidden = await h.app.inject({
      url: '/admin/queues/api/queues',
      headers: { cookie: reader.cookie },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
  });

  it('sends a browser without a session from Bull Board to the sign-in page and back', async () => {
    const res = await h.app.inject({ url: '/admin/queues', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/?next=%2Fadmin%2Fqueues#/signin');
    const { cookie } = await signIn(h);
    const page = await h.app.inject({ url: '/admin/queues', headers: { cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('logsift queues');
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/auth/session',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: { token: TOKEN },
    });
    expect(res.statusCode).toBe(403);
    expect(cookiesOf(res).size).toBe(0);
  });

  it('signs out: the session ends and its cookies are cleared', async () => {
    const { cookie, csrf } = await signIn(h);
    expect(
      (await h.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })).statusCode,
    ).toBe(403);
    const out = await h.app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { cookie, 'x-xsrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(cookiesOf(out).get('logsift_session')).toMatch(/^logsift_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await h.app.inject({ url: '/api/uploads', headers: { cookie } })).statusCode).toBe(401);
  });

  it('echoes the X-Request-Id it was given, or a fresh one', async () => {
    const given = await h.app.inject({ url: '/health', headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers['x-request-id']).toBe('trace-abc.123');
    const fresh = await h.app.inject({ url: '/health' });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await h.app.inject({ url: '/health', headers: { 'x-request-id': 'a b\tc' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('sign-in behind a TLS proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: false, env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => h.close());

  it('marks the cookies Secure when the browser came over https', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/auth/session',
      headers: {
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'logs.example',
        origin: 'https://logs.example',
      },
      payload: { token: TOKEN },
    });
    expect(res.statusCode).toBe(200);
    for (const c of cookiesOf(res).values()) expect(c).toMatch(/; Secure/);
  });
});

describe('Bull Board in read-only mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ workers: false, env: { BOARD_READ_ONLY: 'true' } });
  });
  afterAll(() => h.close());

  it('refuses its actions even with a valid session and CSRF token', async () => {
    const { cookie, csrf } = await signIn(h);
    const res = await h.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/clean/pause',
      headers: { cookie, 'x-xsrf-token': csrf },
    });
    expect(res.statusCode).toBe(405);
    expect(await h.queues.queues.clean.isPaused()).toBe(false);
    const list = await h.app.inject({ url: '/admin/queues/api/queues', headers: AUTH });
    expect(list.statusCode).toBe(200);
    const modes = list
      .json()
      .queues.map((q: { name: string; readOnlyMode: boolean }) => [q.name, q.readOnlyMode]);
    // Every queue on the board, stage and live, is read-only.
    expect(modes.map(([name]: [string]) => name)).toEqual(
      expect.arrayContaining(['parse', 'clean', 'analyze', 'report']),
    );
    expect(modes.every(([, readOnly]: [string, boolean]) => readOnly)).toBe(true);
  });
});
