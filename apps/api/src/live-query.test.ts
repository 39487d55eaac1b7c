import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, multipart, startHarness } from './test-support/harness.js';
import { as, LIVE_ENV, liveEvent, postLogs, waitForSpoolEmpty } from './test-support/live.js';

interface Log {
  id: number;
  source: string;
  timestamp: string | null;
  level: string | null;
  service: string | null;
  message: string;
  templateId: string | null;
  eventId: string | null;
}

async function allPages(h: Harness, query: string, limit: number): Promise<Log[]> {
  const out: Log[] = [];
  let cursor: string | null = null;
  do {
    const res: Awaited<ReturnType<Harness['app']['inject']>> = await h.app.inject({
      url: `/api/logs?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      headers: as('admin'),
    });
    expect(res.statusCode).toBe(200);
    out.push(...res.json().logs);
    cursor = res.json().nextCursor;
  } while (cursor);
  return out;
}

describe('GET /api/logs', () => {
  let h: Harness;
  let uploadId: string;
  const base = Date.UTC(2024, 4, 1, 10); // a fixed instant, within the retention period set below
  const at = (s: number) => new Date(base + s * 1000).toISOString();

  beforeAll(async () => {
    h = await startHarness({ env: { ...LIVE_ENV, RETENTION_DAYS: '3650' } });
    // An upload: three timed lines and two without a time.
    const file = [
      `${at(5)} INFO api upload line one`,
      `${at(15)} ERROR api upload line two`,
      'no time here',
      `${at(25)} WARN api upload line three`,
      'no time either',
    ].join('\n');
    const body = multipart([{ filename: 'plain.log', content: `${file}\n` }], { format: 'plain' });
    const up = await h.app.inject({
      method: 'POST',
      url: '/api/uploads?wait=true',
      headers: { ...as('admin'), ...body.headers },
      payload: body.payload,
    });
    uploadId = up.json().uploads[0].id;
    // Live events, sent out of time order.
    const events = [
      liveEvent({ timestamp: at(20), level: 'error', message: 'card 4242 declined', event_id: 'q1' }),
      liveEvent({ timestamp: at(10), message: 'card 1111 accepted', event_id: 'q2' }),
      liveEvent({ timestamp: at(30), level: 'warn', message: 'card 9999 slow', event_id: 'q3' }),
      liveEvent({ timestamp: at(10), message: 'card 2222 accepted', event_id: 'q4' }),
    ];
    await postLogs(h, 'payments', events);
    await postLogs(h, 'orders', [
      liveEvent({ service: 'orders', timestamp: at(12), message: 'order 7 placed' }),
    ]);
    await waitForSpoolEmpty(h);
  });
  afterAll(() => h.close());

  it('lists uploaded lines and live events together, newest first, lines without a time last', async () => {
    const logs = await allPages(h, 'dropped=false', 1000);
    expect(logs.map((l) => [l.source === 'live' ? 'live' : 'upload', l.message])).toEqual([
      ['live', 'card 9999 slow'],
      ['upload', 'api upload line three'],
      ['live', 'card 4242 declined'],
      ['upload', 'api upload line two'],
      ['live', 'order 7 placed'],
      ['live', 'card 2222 accepted'],
      ['live', 'card 1111 accepted'],
      ['upload', 'api upload line one'],
      ['upload', 'no time either'],
      ['upload', 'no time here'],
    ]);
    expect(logs.filter((l) => l.source !== 'live').every((l) => l.source === uploadId)).toBe(true);
    // Every page size walks the same sequence, each row once.
    for (const limit of [1, 2, 3, 7]) expect(await allPages(h, 'dropped=false', limit)).toEqual(logs);
  });

  it('filters by source, level, service, time, text and template', async () => {
    const messages = async (query: string) => (await allPages(h, query, 1000)).map((l) => l.message);
    expect(await messages('source=live&service=payments')).toEqual([
      'card 9999 slow',
      'card 4242 declined',
      'card 2222 accepted',
      'card 1111 accepted',
    ]);
    expect(await messages(`source=${uploadId}&level=ERROR,WARN`)).toEqual([
      'api upload line three',
      'api upload line two',
    ]);
    expect(await messages(`from=${encodeURIComponent(at(10))}&to=${encodeURIComponent(at(20))}`)).toEqual([
      'api upload line two',
      'order 7 placed',
      'card 2222 accepted',
      'card 1111 accepted',
    ]);
    expect(await messages('q=ACCEPTED')).toEqual(['card 2222 accepted', 'card 1111 accepted']);
    const accepted = (await allPages(h, 'q=card%201111', 10))[0] as Log;
    expect(accepted.templateId).toMatch(/^[0-9a-f]{16}$/);
    expect(await messages(`source=live&template=${accepted.templateId}`)).toEqual([
      'card 2222 accepted',
      'card 1111 accepted',
    ]);
    const unknown = await h.app.inject({ url: '/api/logs?source=nope', headers: as('admin') });
    expect(unknown.statusCode).toBe(404);
    const bad = await h.app.inject({ url: '/api/logs?level=LOUD', headers: as('admin') });
    expect(bad.json().error.code).toBe('invalid_query');
  });
});

describe('GET /api/logs/stream', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startHarness({ env: LIVE_ENV });
    url = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => h.close());

  it('streams newly stored events that match its filters as Server-Sent Events', async () => {
    const received: { event: string; id: string; data: Log }[] = [];
    let buffer = '';
    const req = httpRequest(`${url}/api/logs/stream?level=ERROR&service=payments`, { headers: as('admin') });
    const opened = new Promise<string | undefined>((resolve, reject) => {
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string) => block.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1];
            if (field('event') === 'log') {
              received.push({
                event: 'log',
                id: field('id') as string,
                data: JSON.parse(field('data') as string),
              });
            }
            end = buffer.indexOf('\n\n');
          }
        });
        resolve(res.headers['content-type']);
      });
      req.on('error', reject);
    });
    req.end();
    expect(await opened).toBe('text/event-stream; charset=utf-8');
    await postLogs(h, 'payments', [
      liveEvent({ message: 'quiet' }),
      liveEvent({ level: 'error', message: 'boom 1' }),
    ]);
    await postLogs(h, 'orders', [liveEvent({ service: 'orders', level: 'error', message: 'other service' })]);
    await postLogs(h, 'payments', [liveEvent({ level: 'fatal', message: 'not this level' })]);
    await postLogs(h, 'payments', [liveEvent({ level: 'error', message: 'boom 2' })]);
    const deadline = Date.now() + 10_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    expect(received.map((r) => [r.data.message, r.data.level, r.data.source])).toEqual([
      ['boom 1', 'ERROR', 'live'],
      ['boom 2', 'ERROR', 'live'],
    ]);
    expect(received.map((r) => Number(r.id))).toEqual(received.map((r) => r.data.id));
  });
});
