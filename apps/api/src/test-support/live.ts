import type { Harness } from './harness.js';
import { TOKEN } from './harness.js';

/** Tokens of the live tests: an admin, and one token per service. */
export const LIVE_TOKENS = {
  admin: TOKEN,
  payments: 'payments-token-0123456789',
  orders: 'orders-token-0123456789abc',
} as const;

export const LIVE_ENV = {
  LOGSIFT_TOKENS: Object.entries(LIVE_TOKENS)
    .map(([name, token]) => `${name}=${token}`)
    .join(','),
};

export const as = (name: keyof typeof LIVE_TOKENS) => ({ authorization: `Bearer ${LIVE_TOKENS[name]}` });

/** An event a minute ago (or at `at`), with overrides. */
export function liveEvent(overrides: Record<string, unknown> = {}, at = Date.now() - 60_000) {
  return {
    timestamp: new Date(at).toISOString(),
    level: 'info',
    service: 'payments',
    message: 'payment 1 authorized',
    ...overrides,
  };
}

export async function postLogs(
  h: Harness,
  who: keyof typeof LIVE_TOKENS,
  body: unknown,
  contentType?: string,
) {
  return h.app.inject({
    method: 'POST',
    url: '/api/logs',
    headers: { ...as(who), 'content-type': contentType ?? 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function liveCount(h: Harness, where = '1 = 1', ...params: (string | number)[]): number {
  const row = h.store.sqlite
    .prepare(`SELECT count(*) AS n FROM entries WHERE source = 0 AND ${where}`)
    .get(...params) as { n: number };
  return row.n;
}

/** Waits until nothing is left in the spool (every accepted event stored). */
export async function waitForSpoolEmpty(h: Harness, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = h.app.live.pendingEvents();
    if (pending === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${pending} accepted events still not stored after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
