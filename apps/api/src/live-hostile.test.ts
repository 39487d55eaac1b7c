import { type Frame, LineFramer, REJECTION_CODES, SyslogFramer } from '@logsift/jobs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FUZZ_TIMEOUT_MS, fuzzRuns } from './test-support/fuzz.js';
import { AUTH, type Harness, startHarness } from './test-support/harness.js';
import {
  LIVE_ENV,
  LIVE_TOKENS,
  liveCount,
  liveEvent,
  postLogs,
  waitForSpoolEmpty,
} from './test-support/live.js';
import { rawClient } from './test-support/raw-http.js';
import { TcpClient } from './test-support/tcp-client.js';

/** Limits of this file's API: small enough to reach with a test, large enough for 100,000-deep JSON. */
const MAX_BODY = 1024 * 1024;
const MAX_EVENTS = 50;
const MAX_LINE = 64 * 1024;

const line = (o: unknown) => `${JSON.stringify(o)}\n`;
const deadLetters = (h: Harness) =>
  (h.store.sqlite.prepare('SELECT count(*) AS n FROM dead_letters').get() as { n: number }).n;

let h: Harness;
let tcpPort: number;
beforeAll(async () => {
  h = await startHarness({
    env: {
      ...LIVE_ENV,
      INGEST_MAX_BODY_BYTES: String(MAX_BODY),
      INGEST_MAX_EVENTS: String(MAX_EVENTS),
      TCP_MAX_LINE_BYTES: String(MAX_LINE),
    },
    tcp: true,
  });
  tcpPort = h.tcp?.port as number;
});
afterAll(() => h.close());

// --- TCP: arbitrary bytes after AUTH -------------------------------------------------------------------

const ts = () => new Date(Date.now() - 60_000).toISOString();
const bytes = (s: string) => Buffer.from(s, 'utf8');

/** Byte sequences that are not UTF-8: lone continuation bytes, cut sequences, overlongs, surrogates, BOMs. */
const BAD_UTF8 = [
  [0x80],
  [0xbf],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
  [0xef, 0xbb, 0xbf],
].map((b) => Buffer.from(b));

const eventLine = fc
  .record({
    message: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    level: fc.constantFrom('info', 'WARN', 3, 'loud', 99),
    event_id: fc.option(fc.constantFrom('e1', 'e2', 'e3'), { nil: undefined }),
    service: fc.constantFrom(undefined, 'payments', 'orders'),
  })
  .map((o) => JSON.stringify(liveEvent(o)));

/** One piece of a hostile stream. */
const segment: fc.Arbitrary<Buffer> = fc.oneof(
  // random bytes
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 200, size: 'medium' }).map((b) => Buffer.from(b)) },
  // lines heavy in CR, LF and NUL
  {
    weight: 3,
    arbitrary: fc
      .array(fc.constantFrom('\r', '\n', '\0', '\r\n', '\n\n', ' ', '{', '"', 'x'), {
        maxLength: 150,
        size: 'medium',
      })
      .map((a) => Buffer.from(a.join(''), 'latin1')),
  },
  // invalid UTF-8 among text
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...BAD_UTF8), fc.string({ maxLength: 8 }).map(bytes)), {
        maxLength: 20,
        size: 'medium',
      })
      .map((a) => Buffer.concat(a)),
  },
  // JSON events, whole or cut anywhere, with or without their newline
  {
    weight: 4,
    arbitrary: fc
      .tuple(eventLine, fc.nat(), fc.boolean())
      .map(([l, cut, nl]) => bytes(`${l.slice(0, cut % (l.length + 1))}${nl ? '\n' : ''}`)),
  },
  { weight: 2, arbitrary: eventLine.map((l) => bytes(`${l}\n`)) },
  // syslog frames whose octet count lies (short, long, zero, huge, over nine digits)
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 60 }),
        fc.oneof(
          fc.integer({ min: -10, max: 10 }).map((d) => ({ d })),
          fc.constantFrom('0', '00012', '999999999', '12345678901234', '-5').map((s) => ({ s })),
        ),
      )
      .map(([text, lie]) => {
        const msg = `<13>1 ${ts()} web-9 payments 7 - - ${text}`;
        const count = 'd' in lie ? String(Math.max(0, Buffer.byteLength(msg) + lie.d)) : lie.s;
        return bytes(`${count} ${msg}`);
      }),
  },
  // commands at the wrong time, or cut short
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        `AUTH ${LIVE_TOKENS.orders}\n`,
        'FORMAT syslog\n',
        'FORMAT klingon\n',
        'FORMAT',
        'FO',
        'AUTH',
      )
      .map(bytes),
  },
  // a line over TCP_MAX_LINE_BYTES
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 3000 }), fc.boolean())
      .map(([extra, nl]) => bytes(`${'a'.repeat(MAX_LINE + extra)}${nl ? '\n' : ''}`)),
  },
);

type Mode = 'none' | 'json' | 'syslog' | 'logfmt';

/** The frames a stream holds, cut whole by the (pure) framer the session uses. */
function framesOf(mode: Mode, payload: Buffer): Frame[] {
  const framer = mode === 'syslog' ? new SyslogFramer(MAX_LINE) : new LineFramer(MAX_LINE);
  return [...framer.push(payload), ...framer.end()];
}

/** An upper bound on frames, from the bytes alone: a frame ends at a newline, an octet count or the end. */
function frameBound(mode: Mode, payload: Buffer): number {
  let newlines = 0;
  let counts = 0;
  for (let i = 0; i < payload.length; i++) {
    if (payload[i] === 10) newlines++;
    const prev = payload[i - 1] as number;
    if (payload[i] === 32 && prev >= 48 && prev <= 57) counts++;
  }
  return newlines + 1 + (mode === 'json' || mode === 'logfmt' ? 0 : counts);
}

interface Ack {
  ack: number;
  accepted: number;
  duplicates: number;
  rejected: { frame: number; code: string; reason: string }[];
}

describe('TCP listener under arbitrary bytes after AUTH', () => {
  it(
    'never fails a session or the listener; every answer parses and acknowledgements add up',
    async () => {
      const logErrors = vi.spyOn(h.app.log, 'error');
      let cases = 0;
      let framesSent = 0;
      let acknowledged = 0;
      let sentinels = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<Mode>('none', 'json', 'syslog', 'logfmt'),
          fc.array(segment, { maxLength: 10 }),
          fc.array(fc.nat(), { maxLength: 12 }),
          async (mode, segments, cuts) => {
            cases++;
            const payload = Buffer.concat(segments);
            const head = bytes(`AUTH ${LIVE_TOKENS.payments}\n${mode === 'none' ? '' : `FORMAT ${mode}\n`}`);
            const stream = Buffer.concat([head, payload]);
            const points = [...new Set(cuts.map((c) => c % (stream.length + 1))), stream.length].sort(
              (a, b) => a - b,
            );
            const c = await TcpClient.open(tcpPort);
            let from = 0;
            for (const p of points) {
              if (p <= from) continue;
              c.send(stream.subarray(from, p));
              from = p;
              await new Promise((r) => setImmediate(r));
            }
            c.socket.end();
            await c.closedByServer();

            // Every line the server wrote is a JSON object.
            expect(c.unparsed).toEqual([]);
            const answers = [...c.lines];
            expect(answers.shift()).toEqual({ ok: true, caller: 'payments', format: 'json' });
            if (mode !== 'none') expect(answers.shift()).toEqual({ ok: true, format: mode });
            // Without FORMAT of its own, the stream may open with one, which the server then reads.
            const formatInStream = mode === 'none' && payload.subarray(0, 7).toString('latin1') === 'FORMAT ';
            if (formatInStream && answers[0] && 'ok' in answers[0]) answers.shift();
            const acks = answers.filter((a): a is Record<string, unknown> & Ack => 'ack' in a);
            const others = answers.filter((a) => !('ack' in a));
            if (formatInStream) {
              for (const o of others) {
                expect(['invalid_format', 'line_too_long']).toContain((o.error as { code: string }).code);
              }
            } else expect(others).toEqual([]);

            // Each acknowledgement accounts for exactly the frames since the previous one.
            let last = 0;
            for (const a of acks) {
              expect(Object.keys(a).sort()).toEqual(['accepted', 'ack', 'duplicates', 'rejected']);
              expect(a.ack).toBeGreaterThan(last);
              expect(a.accepted + a.duplicates + a.rejected.length).toBe(a.ack - last);
              let prev = last;
              for (const r of a.rejected) {
                expect(r.frame).toBeGreaterThan(prev);
                expect(r.frame).toBeLessThanOrEqual(a.ack);
                expect(REJECTION_CODES).toContain(r.code);
                expect(typeof r.reason).toBe('string');
                prev = r.frame;
              }
              last = a.ack;
            }
            // Never more frames acknowledged than the stream holds; exactly as many when the commands were ours.
            expect(last).toBeLessThanOrEqual(frameBound(mode === 'none' ? 'syslog' : mode, payload));
            if (!formatInStream) {
              const frames = framesOf(mode === 'none' ? 'json' : mode, payload).length;
              expect(last).toBe(frames);
              framesSent += frames;
            }
            acknowledged += last;

            // A well-formed connection right after is acknowledged.
            const fresh = await TcpClient.open(tcpPort);
            fresh.send(
              `AUTH ${LIVE_TOKENS.payments}\n${line(liveEvent({ message: `sentinel ${sentinels}` }))}`,
            );
            expect(await fresh.answer(1)).toEqual({ ok: true, caller: 'payments', format: 'json' });
            expect(await fresh.answer(2)).toEqual({ ack: 1, accepted: 1, duplicates: 0, rejected: [] });
            fresh.close();
            sentinels++;
          },
        ),
        { numRuns: fuzzRuns(200) },
      );
      // Every acknowledged sentinel was stored, the sessions are all gone, and nothing failed inside.
      await waitForSpoolEmpty(h);
      expect(liveCount(h, "message LIKE 'sentinel %'")).toBe(sentinels);
      for (let i = 0; h.tcp?.connections() !== 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 20));
      expect(h.tcp?.connections()).toBe(0);
      expect(logErrors).not.toHaveBeenCalled();
      logErrors.mockRestore();
      console.log(
        `tcp fuzz: ${cases} cases, ${framesSent} frames modelled, ${acknowledged} acknowledged, ${sentinels} sentinels stored`,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it('acknowledges a read burst of more frames than INGEST_MAX_EVENTS, in batches under the limit', async () => {
    const c = await TcpClient.open(tcpPort);
    const n = MAX_EVENTS * 3 + 7;
    c.send(
      `AUTH ${LIVE_TOKENS.payments}\n${Array.from({ length: n }, (_, i) => line(liveEvent({ message: `burst ${i}` }))).join('')}`,
    );
    expect(await c.answer(1)).toEqual({ ok: true, caller: 'payments', format: 'json' });
    let acked = 0;
    for (let k = 2; acked < n; k++) {
      const a = (await c.answer(k)) as unknown as Ack;
      expect(a).toEqual({ ack: expect.any(Number), accepted: a.ack - acked, duplicates: 0, rejected: [] });
      expect(a.ack - acked).toBeLessThanOrEqual(MAX_EVENTS);
      acked = a.ack;
    }
    expect(acked).toBe(n);
    c.close();
    await waitForSpoolEmpty(h);
    expect(liveCount(h, "message LIKE 'burst %'")).toBe(n);
  });

  it('rejects events nested 30,000 deep (60 KB lines) and goes on with the connection', async () => {
    const c = await TcpClient.open(tcpPort);
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const nested = `${JSON.stringify(liveEvent({ message: 'deep tcp' })).slice(0, -1)},"attributes":{"x":${deep}}}`;
    expect(Buffer.byteLength(nested)).toBeLessThan(MAX_LINE);
    c.send(`AUTH ${LIVE_TOKENS.payments}\n${nested}\n`);
    await c.answer(1);
    expect(await c.answer(2)).toEqual({
      ack: 1,
      accepted: 0,
      duplicates: 0,
      rejected: [{ frame: 1, code: 'too_large', reason: expect.stringContaining('nested too deeply') }],
    });
    c.send(`${deep}\n`);
    expect(await c.answer(3)).toEqual({
      ack: 2,
      accepted: 0,
      duplicates: 0,
      rejected: [{ frame: 2, code: 'not_an_object', reason: 'an event is a JSON object, not an array' }],
    });
    c.send(line(liveEvent({ message: 'after the deep ones' })));
    expect(await c.answer(4)).toEqual({ ack: 3, accepted: 1, duplicates: 0, rejected: [] });
    c.close();
  });

  it('takes the last bytes of a stream as a frame even when they could have begun a FORMAT line', async () => {
    for (const tail of ['F', 'FORMAT']) {
      const c = await TcpClient.open(tcpPort);
      c.send(`AUTH ${LIVE_TOKENS.payments}\n${tail}`);
      c.socket.end();
      await c.closedByServer();
      expect(c.lines).toEqual([
        { ok: true, caller: 'payments', format: 'json' },
        {
          ack: 1,
          accepted: 0,
          duplicates: 0,
          rejected: [{ frame: 1, code: 'invalid_json', reason: expect.stringMatching(/^not a JSON event/) }],
        },
      ]);
    }
  });
});

// --- POST /api/logs ------------------------------------------------------------------------------------

describe('POST /api/logs with hostile bodies', () => {
  it('answers 100,000-deep JSON per event (rejected, kept as a dead letter), never a 500', async () => {
    const arrays = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const objects = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const event = JSON.stringify(liveEvent({ message: 'deep attributes' }));
    const deepAttributes = `${event.slice(0, -1)},"attributes":{"x":${arrays}}}`;
    const deepObjectAttributes = `${event.slice(0, -1)},"attributes":{"x":${objects}}}`;
    const letters = deadLetters(h);
    const cases: [string, string, string][] = [
      ['nested arrays', arrays, 'not_an_object'],
      ['nested objects', objects, 'missing_field'],
      ['arrays in attributes', deepAttributes, 'too_large'],
      ['objects in attributes', deepObjectAttributes, 'too_large'],
      ['an NDJSON line', `${line(liveEvent({ message: 'beside a deep line' }))}${arrays}\n`, 'not_an_object'],
    ];
    for (const [name, body, code] of cases) {
      const res = await postLogs(h, 'payments', body);
      expect(res.statusCode, name).toBe(202);
      const answer = res.json();
      expect(answer.rejected, name).toEqual([{ index: answer.accepted, code, reason: expect.any(String) }]);
    }
    expect(deadLetters(h)).toBe(letters + cases.length);
    // A deep value that is not JSON at all is a 400 naming the line.
    const cut = await postLogs(h, 'payments', '['.repeat(100_000));
    expect(cut.statusCode).toBe(400);
    expect(cut.json()).toEqual({
      error: { code: 'bad_request', message: expect.stringMatching(/^line 1 is not JSON/) },
    });
    expect((await h.app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await postLogs(h, 'payments', liveEvent({ message: 'after deep' }))).statusCode).toBe(202);
    await waitForSpoolEmpty(h);
    expect(liveCount(h, "message IN ('beside a deep line', 'after deep')")).toBe(2);
  });

  it('refuses a body over INGEST_MAX_BODY_BYTES with 413, and takes one of exactly that size', async () => {
    const event = JSON.stringify(liveEvent({ message: 'padded to the limit' }));
    const exact = event + ' '.repeat(MAX_BODY - Buffer.byteLength(event));
    const over = await postLogs(h, 'payments', `${exact} `);
    expect(over.statusCode).toBe(413);
    expect(over.json().error.code).toBe('payload_too_large');
    const fits = await postLogs(h, 'payments', exact);
    expect(fits.statusCode).toBe(202);
    expect(fits.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('refuses a claimed Content-Length of 10 GiB at once, before reading any body', async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as { port: number }).port;
    const c = rawClient(port);
    c.socket.write(
      'POST /api/logs HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Authorization: Bearer ${LIVE_TOKENS.payments}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${10 * 1024 ** 3}\r\n\r\n`,
    );
    // Not one byte of body is sent: an answer at all means the server did not wait for it.
    const closedAfter = await c.closed;
    expect(closedAfter).toBeLessThan(2_000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(c.received()).toContain('"code":"payload_too_large"');
    expect(c.received().toLowerCase()).toContain('connection: close');
  });

  it('refuses more events than INGEST_MAX_EVENTS with 413 and keeps none of them', async () => {
    await waitForSpoolEmpty(h);
    const stored = liveCount(h);
    const letters = deadLetters(h);
    const many = Array.from({ length: MAX_EVENTS + 1 }, (_, i) =>
      liveEvent({ message: `one too many ${i}`, level: i === 0 ? 'loud' : 'info' }),
    );
    const array = await postLogs(h, 'payments', many);
    expect(array.statusCode).toBe(413);
    expect(array.json()).toEqual({
      error: {
        code: 'payload_too_large',
        message: `${MAX_EVENTS + 1} events in one request; at most ${MAX_EVENTS}`,
      },
    });
    const ndjson = await postLogs(h, 'payments', many.map(line).join(''), 'application/x-ndjson');
    expect(ndjson.statusCode).toBe(413);
    const atLimit = await postLogs(h, 'payments', many.slice(1));
    expect(atLimit.json()).toEqual({ accepted: MAX_EVENTS, duplicates: 0, rejected: [] });
    await waitForSpoolEmpty(h);
    expect(liveCount(h)).toBe(stored + MAX_EVENTS);
    expect(deadLetters(h)).toBe(letters); // the refused requests' invalid event left no dead letter
  });

  it('stores NUL, markup and U+2028 verbatim and answers them as escaped JSON; lone surrogates become U+FFFD', async () => {
    const text = (lone1: string, lone2: string) =>
      `hostile-text nul\u0000byte <script>alert(1)</script> lone ${lone1} and ${lone2}, pair 🚀 \u2028 end`;
    const host = 'web-<b>\u0000';
    const attributes = { html: '<img src=x onerror=alert(1)>', nul: 'a\u0000b', lone: 'x\udfffy' };
    const event = liveEvent({
      message: text('\ud800', '\udc00'),
      host,
      event_id: 'id-\ud83d-<i>',
      attributes,
    });
    const res = await postLogs(h, 'payments', [event]);
    expect(res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    await waitForSpoolEmpty(h);
    const stored = { message: text('\ufffd', '\ufffd'), host, eventId: 'id-\ufffd-<i>' };
    const row = h.store.sqlite
      .prepare(
        "SELECT message, host, event_id AS eventId, fields FROM entries WHERE message LIKE 'hostile-text %'",
      )
      .get() as { message: string; host: string; eventId: string; fields: string };
    expect(row).toEqual({ ...stored, fields: JSON.stringify(attributes) });

    const got = await h.app.inject({ url: '/api/logs?source=live&q=hostile-text', headers: AUTH });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.body).not.toContain('\u0000'); // NUL travels as the escape \u0000
    expect(got.body).toContain('nul\\u0000byte <script>alert(1)</script>');
    expect(got.body).toContain('"lone":"x\\udfffy"'); // attributes keep even a lone surrogate, escaped
    const logs = got.json().logs;
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject(stored);
    expect(logs[0].fields).toEqual(attributes);
  });

  it('keeps prototype keys in attributes out of Object.prototype: __proto__ dropped, the rest plain data', async () => {
    const at = ts();
    const attributes =
      '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' +
      '"prototype":"p","toString":"t","hasOwnProperty":1,"nested":{"__proto__":{"polluted":"yes"},"ok":1}}';
    const events = [
      `{"timestamp":"${at}","level":"info","message":"proto attributes","attributes":${attributes}}`,
      `{"timestamp":"${at}","level":"info","message":"proto flat","attributes":{"__proto__":"x","constructor":"c"}}`,
      `{"__proto__":{"polluted":"yes"},"timestamp":"${at}","level":"info","message":"proto top"}`,
      `{"constructor":{"prototype":{"polluted":"yes"}},"timestamp":"${at}","level":"info","message":"ctor top"}`,
    ];
    const asArray = await postLogs(h, 'payments', `[${events.join(',')}]`);
    const asNdjson = await postLogs(h, 'orders', events.join('\n'), 'application/x-ndjson');
    for (const res of [asArray, asNdjson]) {
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({
        accepted: 2,
        duplicates: 0,
        rejected: [
          {
            index: 2,
            code: 'unknown_field',
            reason: 'unknown field "__proto__"; put extra fields in attributes',
          },
          {
            index: 3,
            code: 'unknown_field',
            reason: 'unknown field "constructor"; put extra fields in attributes',
          },
        ],
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    await waitForSpoolEmpty(h);
    const stored = (message: string) =>
      (
        h.store.sqlite.prepare('SELECT fields FROM entries WHERE message = ?').all(message) as {
          fields: string;
        }[]
      ).map((r) => JSON.parse(r.fields));
    const plain = {
      'constructor.prototype.polluted': 'yes',
      prototype: 'p',
      toString: 't',
      hasOwnProperty: 1,
      'nested.ok': 1,
    };
    expect(stored('proto attributes')).toEqual([plain, plain]);
    expect(stored('proto flat')).toEqual([{ constructor: 'c' }, { constructor: 'c' }]);
    const got = await h.app.inject({ url: '/api/logs?source=live&q=proto', headers: AUTH });
    // Only this test's events: the fuzz test before it may have stored a message holding "__proto__".
    const ours = (got.json().logs as { message: string }[]).filter((l) =>
      ['proto attributes', 'proto flat'].includes(l.message),
    );
    expect(ours).toHaveLength(4);
    expect(JSON.stringify(ours)).not.toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads the body whatever its Content-Type: JSON is taken, anything else is 400, never 415', async () => {
    const types = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'multipart/form-data; boundary=x',
      'image/png',
      undefined,
    ];
    for (const type of types) {
      const send = (payload: string) =>
        h.app.inject({
          method: 'POST',
          url: '/api/logs',
          headers: {
            authorization: `Bearer ${LIVE_TOKENS.payments}`,
            ...(type === undefined ? {} : { 'content-type': type }),
          },
          payload,
        });
      const json = await send(JSON.stringify(liveEvent({ message: `typed ${type ?? 'none'}` })));
      expect(json.statusCode, String(type)).toBe(202);
      expect(json.json(), String(type)).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      const other = await send('<event>not json</event>');
      expect(other.statusCode, String(type)).toBe(400);
      expect(other.json().error.code, String(type)).toBe('bad_request');
    }
    await waitForSpoolEmpty(h);
    expect(liveCount(h, "message LIKE 'typed %'")).toBe(types.length);
  });
});
