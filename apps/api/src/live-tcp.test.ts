import { LiveTemplater, Spool, spoolPath, storeBatch } from '@logsift/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './test-support/harness.js';
import { LIVE_ENV, LIVE_TOKENS, liveCount, liveEvent, waitForSpoolEmpty } from './test-support/live.js';
import { TcpClient } from './test-support/tcp-client.js';

const line = (o: unknown) => `${JSON.stringify(o)}\n`;

describe('TCP ingest', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await startHarness({
      env: { ...LIVE_ENV, TCP_MAX_LINE_BYTES: '512', TCP_IDLE_SECONDS: '1', TCP_MAX_CONNECTIONS: '3' },
      tcp: true,
    });
    port = h.tcp?.port as number;
  });
  afterAll(() => h.close());

  it('takes NDJSON after AUTH and acknowledges each batch with what was accepted and rejected', async () => {
    const c = await TcpClient.open(port);
    c.send(`AUTH ${LIVE_TOKENS.payments}\n`);
    expect(await c.answer(1)).toEqual({ ok: true, caller: 'payments', format: 'json' });
    c.send(
      line(liveEvent({ message: 'tcp one', event_id: 't1' })) +
        '{"not json\n' +
        line(liveEvent({ service: 'orders', message: 'not mine' })) +
        line(liveEvent({ message: 'tcp one again', event_id: 't1' })) +
        line(liveEvent({ message: 'tcp two' })),
    );
    expect(await c.answer(2)).toEqual({
      ack: 5,
      accepted: 2,
      duplicates: 1,
      rejected: [
        { frame: 2, code: 'invalid_json', reason: expect.stringMatching(/^not a JSON event: /) },
        {
          frame: 3,
          code: 'service_mismatch',
          reason: 'the token "payments" may only send events for service "payments", not "orders"',
        },
      ],
    });
    // Frames keep counting across batches.
    c.send(line(liveEvent({ message: 'tcp three' })));
    expect(await c.answer(3)).toEqual({ ack: 6, accepted: 1, duplicates: 0, rejected: [] });
    c.close();
    await waitForSpoolEmpty(h);
    expect(liveCount(h, "message IN ('tcp one', 'tcp two', 'tcp three')")).toBe(3);
    expect(liveCount(h, "message = 'tcp one again'")).toBe(0);
    const dead = h.store.sqlite
      .prepare("SELECT payload FROM dead_letters WHERE code = 'invalid_json'")
      .get() as {
      payload: string;
    };
    expect(dead.payload).toBe('{"not json');
  });

  it('refuses a connection whose first line is not AUTH with a known token', async () => {
    const c = await TcpClient.open(port);
    c.send('AUTH wrong-token-0123456789abcdef\n');
    expect(await c.answer(1)).toEqual({ error: { code: 'unauthorized', message: 'unknown token' } });
    await c.closedByServer();
    const d = await TcpClient.open(port);
    d.send(line(liveEvent()));
    expect(((await d.answer(1)).error as { code: string }).code).toBe('unauthorized');
    await d.closedByServer();
  });

  it('reads syslog with octet counting and newline framing, mixed and split anywhere', async () => {
    const c = await TcpClient.open(port);
    const ts = new Date(Date.now() - 60_000).toISOString();
    const m1 = `<11>1 ${ts} web-1 payments 42 - - card declined for order 17`;
    const m2 = `<14>1 ${ts} web-2 payments 43 - - payment\nwith a newline inside`;
    const m3 = `<13>1 ${ts} web-1 payments 44 - - newline framed message`;
    const payload = Buffer.from(
      `AUTH ${LIVE_TOKENS.payments}\nFORMAT syslog\n` +
        `${Buffer.byteLength(m1)} ${m1}` +
        `${Buffer.byteLength(m2)} ${m2}` +
        `${m3}\n`,
    );
    // Byte by byte across the commands and the frames.
    for (let i = 0; i < payload.length; i += 7) c.send(payload.subarray(i, i + 7));
    expect(await c.answer(1)).toEqual({ ok: true, caller: 'payments', format: 'json' });
    expect(await c.answer(2)).toEqual({ ok: true, format: 'syslog' });
    let accepted = 0;
    for (let n = 3; accepted < 3; n++) {
      const ack = await c.answer(n);
      expect(ack.rejected).toEqual([]);
      accepted += ack.accepted as number;
    }
    expect(accepted).toBe(3);
    c.close();
    await waitForSpoolEmpty(h);
    const rows = h.store.sqlite
      .prepare(
        "SELECT message, level, host, service FROM entries WHERE source = 0 AND host LIKE 'web-%' ORDER BY id",
      )
      .all();
    expect(rows).toEqual([
      { message: 'card declined for order 17', level: 4, host: 'web-1', service: 'payments' },
      { message: 'payment\nwith a newline inside', level: 2, host: 'web-2', service: 'payments' },
      { message: 'newline framed message', level: 2, host: 'web-1', service: 'payments' },
    ]);
  });

  it('skips an overlong line without buffering it and goes on with the next', async () => {
    const c = await TcpClient.open(port);
    c.send(`AUTH ${LIVE_TOKENS.payments}\n`);
    await c.answer(1);
    c.send(
      `${line(liveEvent({ message: 'x'.repeat(2000) }))}${line(liveEvent({ message: 'after the long one' }))}`,
    );
    expect(await c.answer(2)).toEqual({
      ack: 2,
      accepted: 1,
      duplicates: 0,
      rejected: [
        {
          frame: 1,
          code: 'line_too_long',
          reason: expect.stringMatching(/^a 2\d{3}-byte line is over the TCP line limit/),
        },
      ],
    });
    c.close();
  });

  it('closes connections left idle, and refuses connections beyond the limit', async () => {
    const idle = await TcpClient.open(port);
    idle.send(`AUTH ${LIVE_TOKENS.payments}\n`);
    await idle.answer(1);
    const started = Date.now();
    expect(await idle.answer(2, 5_000)).toEqual({
      error: { code: 'idle_timeout', message: 'no data for 1 s' },
    });
    await idle.closedByServer();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const held = await Promise.all([TcpClient.open(port), TcpClient.open(port), TcpClient.open(port)]);
    for (const c of held) c.send(`AUTH ${LIVE_TOKENS.orders}\n`);
    for (const c of held) await c.answer(1);
    const extra = await TcpClient.open(port);
    expect(await extra.answer(1)).toEqual({
      error: { code: 'too_many_connections', message: 'at most 3 connections' },
    });
    await extra.closedByServer();
    for (const c of held) c.close();
  });
});

/** Stores every spooled batch, as a worker would. */
function storePending(h: Harness): void {
  const spool = new Spool(spoolPath(h.config));
  const templater = new LiveTemplater(h.store);
  for (const id of spool.pendingBatchIds(Number.MAX_SAFE_INTEGER, 1000)) {
    storeBatch({ store: h.store, spool, config: h.config, templater }, id);
  }
  spool.close();
}

describe('TCP ingest in a named format, and under back-pressure', () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    // No workers: accepted events stay in the spool until the test stores them.
    h = await startHarness({ env: { ...LIVE_ENV, INGEST_MAX_PENDING: '1' }, workers: false, tcp: true });
    port = h.tcp?.port as number;
  });
  afterAll(() => h.close());

  it('reads lines in the format named by FORMAT, and refuses an unknown one', async () => {
    const c = await TcpClient.open(port);
    const ts = new Date(Date.now() - 60_000).toISOString();
    c.send(`AUTH ${LIVE_TOKENS.orders}\nFORMAT logfmt\nts=${ts} level=warn msg="stock low" sku=42\n`);
    expect(await c.answer(2)).toEqual({ ok: true, format: 'logfmt' });
    expect(await c.answer(3)).toEqual({ ack: 1, accepted: 1, duplicates: 0, rejected: [] });
    c.close();
    storePending(h);
    const stored = h.store.sqlite
      .prepare("SELECT message, level, fields FROM entries WHERE source = 0 AND service = 'orders'")
      .get() as { message: string; level: number; fields: string };
    expect({ ...stored, fields: JSON.parse(stored.fields) }).toEqual({
      message: 'stock low',
      level: 3,
      fields: { sku: '42' },
    });
    const bad = await TcpClient.open(port);
    bad.send(`AUTH ${LIVE_TOKENS.orders}\nFORMAT klingon\n`);
    expect(await bad.answer(2)).toEqual({
      error: {
        code: 'invalid_format',
        message: 'unknown format "klingon": use json, syslog or a format name',
      },
    });
    await bad.closedByServer();
  });

  it('holds the connection while the spool is over its limit, then acknowledges', async () => {
    storePending(h);
    await new Promise((r) => setTimeout(r, 300)); // the API re-reads the spool's backlog every 250 ms
    const c = await TcpClient.open(port);
    c.send(`AUTH ${LIVE_TOKENS.payments}\n${line(liveEvent({ message: 'fills the spool' }))}`);
    expect(await c.answer(2)).toEqual({ ack: 1, accepted: 1, duplicates: 0, rejected: [] });
    // One event waits to be stored now: the limit.
    c.send(line(liveEvent({ message: 'waits' })));
    expect(await c.answer(3)).toMatchObject({ wait: { code: 'rate_limited', retryAfter: 1 } });
    // Store what is pending (as a worker would); the held batch then goes through.
    storePending(h);
    let n = 4;
    let answer = await c.answer(n);
    while ('wait' in answer) answer = await c.answer(++n);
    expect(answer).toEqual({ ack: 2, accepted: 1, duplicates: 0, rejected: [] });
    c.close();
  });
});
