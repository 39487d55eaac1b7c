import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './test-support/harness.js';
import { as, LIVE_ENV, liveCount, liveEvent, postLogs, waitForSpoolEmpty } from './test-support/live.js';

describe('POST /api/logs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: LIVE_ENV });
  });
  afterAll(() => h.close());

  it('lets a service token send only its own service, and an admin token any named service', async () => {
    const res = await postLogs(h, 'payments', [
      liveEvent({ message: 'p1' }),
      liveEvent({ service: 'orders', message: 'o1' }),
      liveEvent({ service: undefined, message: 'p2' }),
    ]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        {
          index: 1,
          code: 'service_mismatch',
          reason: 'the token "payments" may only send events for service "payments", not "orders"',
        },
      ],
    });
    const admin = await postLogs(h, 'admin', [
      liveEvent({ service: 'orders', message: 'o2' }),
      liveEvent({ service: undefined, message: 'nobody' }),
    ]);
    expect(admin.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 1, code: 'missing_field', reason: 'service is required in events sent with an admin token' },
      ],
    });
    await waitForSpoolEmpty(h);
    expect(liveCount(h, "message IN ('p1', 'p2')")).toBe(2);
    expect(liveCount(h, "service = 'payments' AND message IN ('p1', 'p2')")).toBe(2);
    expect(liveCount(h, "service = 'orders' AND message IN ('o1', 'o2')")).toBe(1);
  });

  it('rejects each invalid event with its own code and keeps it as a dead letter', async () => {
    const events = [
      liveEvent({ message: 'fine' }),
      liveEvent({ timestamp: undefined, message: 'no time' }),
      liveEvent({ level: 'loud' }),
      liveEvent({ msg: 'typo' }),
      'just a string',
      liveEvent({ timestamp: 'yesterday-ish' }),
      liveEvent({ level: undefined }),
      liveEvent({ timestamp: '2999-01-01T00:00:00Z' }),
      liveEvent({ message: '' }),
    ];
    const res = await postLogs(h, 'payments', events);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'missing_field'],
      [2, 'invalid_level'],
      [3, 'unknown_field'],
      [4, 'not_an_object'],
      [5, 'invalid_timestamp'],
      [6, 'missing_field'],
      [7, 'timestamp_out_of_range'],
      [8, 'invalid_field'],
    ]);
    expect(body.rejected[0].reason).toBe('timestamp is required');
    expect(body.rejected[2].reason).toBe('unknown field "msg"; put extra fields in attributes');

    const dead = await h.app.inject({ url: '/api/dead-letters?code=invalid_level', headers: as('admin') });
    expect(dead.statusCode).toBe(200);
    expect(dead.json().deadLetters).toHaveLength(1);
    const letter = dead.json().deadLetters[0];
    expect(letter).toMatchObject({
      caller: 'payments',
      transport: 'http',
      service: 'payments',
      code: 'invalid_level',
    });
    expect(JSON.parse(letter.payload)).toEqual(events[2]);
    // Another service's token does not see them.
    const foreign = await h.app.inject({ url: '/api/dead-letters', headers: as('orders') });
    expect(foreign.json().deadLetters).toEqual([]);
    const own = await h.app.inject({ url: '/api/dead-letters?limit=1000', headers: as('payments') });
    expect(own.json().deadLetters.length).toBeGreaterThanOrEqual(8);

    // Replayed as stored it fails again; replayed with a fix it is stored.
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/dead-letters/replay',
      headers: as('payments'),
      payload: { ids: [letter.id] },
    });
    expect(again.json()).toEqual({
      accepted: [],
      duplicates: [],
      rejected: [{ id: letter.id, code: 'invalid_level', reason: letter.reason }],
      missing: [],
    });
    const fixed = await h.app.inject({
      method: 'POST',
      url: '/api/dead-letters/replay',
      headers: as('payments'),
      payload: {
        fixes: [
          {
            id: letter.id,
            event: { ...(events[2] as object), level: 'warn', message: 'replayed after a fix' },
          },
        ],
      },
    });
    expect(fixed.json()).toEqual({ accepted: [letter.id], duplicates: [], rejected: [], missing: [] });
    await waitForSpoolEmpty(h);
    expect(liveCount(h, "message = 'replayed after a fix' AND level = 3")).toBe(1);
    const after = await h.app.inject({
      url: `/api/dead-letters?replayed=true&code=invalid_level`,
      headers: as('admin'),
    });
    expect(after.json().deadLetters[0]).toMatchObject({ id: letter.id, replayResult: 'accepted' });
    // The orders token cannot replay it.
    const stolen = await h.app.inject({
      method: 'POST',
      url: '/api/dead-letters/replay',
      headers: as('orders'),
      payload: { ids: [letter.id] },
    });
    expect(stolen.json().missing).toEqual([letter.id]);
  });

  it('drops an event_id seen before, within a request and across requests, and stores it once', async () => {
    const first = await postLogs(h, 'payments', [
      liveEvent({ event_id: 'dup-1', message: 'dedup me' }),
      liveEvent({ event_id: 'dup-1', message: 'dedup me' }),
      liveEvent({ event_id: 'dup-2', message: 'dedup me too' }),
    ]);
    expect(first.json()).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    const retry = await postLogs(h, 'payments', [
      liveEvent({ event_id: 'dup-1', message: 'dedup me' }),
      liveEvent({ event_id: 'dup-3', message: 'new' }),
    ]);
    expect(retry.json()).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    // The same id from another service is another event.
    const other = await postLogs(h, 'orders', [liveEvent({ service: 'orders', event_id: 'dup-1' })]);
    expect(other.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    await waitForSpoolEmpty(h);
    expect(liveCount(h, "event_id = 'dup-1' AND service = 'payments'")).toBe(1);
    expect(liveCount(h, "event_id = 'dup-1'")).toBe(2);
    expect(liveCount(h, "event_id IN ('dup-2', 'dup-3')")).toBe(2);
  });

  it('stores each event_id once when concurrent requests race with the same ids in any order', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `race-${i}`);
    const shuffled = (k: number) => ids.map((_, i) => ids[(i * (k + 3)) % ids.length] as string);
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, k) =>
        postLogs(
          h,
          'payments',
          shuffled(k).map((id) => liveEvent({ event_id: id, message: `race ${id}` })),
        ),
      ),
    );
    const totals = answers.map((a) => a.json() as { accepted: number; duplicates: number });
    expect(totals.reduce((n, t) => n + t.accepted, 0)).toBe(50);
    expect(totals.reduce((n, t) => n + t.duplicates, 0)).toBe(200);
    await waitForSpoolEmpty(h);
    expect(liveCount(h, "event_id LIKE 'race-%'")).toBe(50);
  });

  it('reads one event, an array or NDJSON, and refuses a body that is neither, naming the line', async () => {
    const one = await postLogs(h, 'payments', liveEvent({ message: 'single' }));
    expect(one.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const ndjson = [liveEvent({ message: 'nd1' }), liveEvent({ message: 'nd2' })]
      .map((e) => JSON.stringify(e))
      .join('\n');
    const nd = await postLogs(h, 'payments', `${ndjson}\n\n`, 'application/x-ndjson');
    expect(nd.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const broken = await postLogs(h, 'payments', `${ndjson}\n{"timestamp": oops}\n`, 'application/x-ndjson');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('bad_request');
    expect(broken.json().error.message).toMatch(/^line 3 is not JSON/);
    const text = await postLogs(h, 'payments', 'hello world', 'text/plain');
    expect(text.statusCode).toBe(400);
    expect(text.json().error.message).toMatch(/^line 1 is not JSON/);
    const anonymous = await h.app.inject({ method: 'POST', url: '/api/logs', payload: '{}' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('back-pressure', () => {
  let h: Harness;
  beforeAll(async () => {
    // No workers: accepted events stay in the spool, so the limit is reached.
    h = await startHarness({ env: { ...LIVE_ENV, INGEST_MAX_PENDING: '3' }, workers: false });
  });
  afterAll(() => h.close());

  it('answers 429 with Retry-After once the accepted events waiting to be stored reach the limit', async () => {
    const first = await postLogs(h, 'payments', [liveEvent(), liveEvent(), liveEvent()]);
    expect(first.statusCode).toBe(202);
    const second = await postLogs(h, 'payments', [liveEvent()]);
    expect(second.statusCode).toBe(429);
    expect(second.headers['retry-after']).toBe('1');
    expect(second.json().error.code).toBe('rate_limited');
  });
});
