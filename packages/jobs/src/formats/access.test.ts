import { describe, expect, it } from 'vitest';
import type { ParsedFields } from '../entry.js';
import { generateLines } from '../generate/generate.js';
import { combinedFormat, combinedTimedFormat, commonFormat } from './access.js';
import { fixtureLines } from './test-fixtures.js';

const ctx = {};

describe('combined access log', () => {
  const lines = fixtureLines('access-combined.txt');

  it('reads every field of the Apache documentation example', () => {
    expect(combinedFormat.parse(lines[0] ?? '', ctx)).toEqual({
      ts: Date.UTC(2000, 9, 10, 20, 55, 36),
      tz: '-0700',
      level: 'INFO',
      host: '127.0.0.1',
      method: 'GET',
      path: '/apache_pb.gif',
      status: 200,
      bytes: 2326,
      message: 'GET /apache_pb.gif HTTP/1.0',
      fields: {
        user: 'frank',
        protocol: 'HTTP/1.0',
        referer: 'http://www.example.com/start.html',
        userAgent: 'Mozilla/4.08 [en] (Win98; I ;Nav)',
      },
    });
  });

  it('parses every fixture line and derives the level from the status', () => {
    const parsed = lines.map((l) => combinedFormat.parse(l, ctx));
    expect(parsed.map((p) => [p?.status, p?.level])).toEqual([
      [200, 'INFO'],
      [201, 'INFO'],
      [200, 'INFO'],
      [404, 'WARN'],
      [503, 'ERROR'],
      [400, 'WARN'],
    ]);
  });

  it('splits the query off the path, reads "-" bytes as 0, unescapes quoted referers', () => {
    const post = combinedFormat.parse(lines[1] ?? '', ctx);
    expect(post?.path).toBe('/api/orders');
    expect(post?.fields?.query).toBe('id=42');
    expect(combinedFormat.parse(lines[2] ?? '', ctx)?.bytes).toBe(0);
    expect(combinedFormat.parse(lines[3] ?? '', ctx)?.fields?.referer).toBe(
      'https://example.org/a "quoted" ref',
    );
  });

  it("finds each quoted field's end past escaped quotes and backslashes, wherever they are", () => {
    const line = (request: string, agent: string) =>
      `10.0.0.1 - - [22/Nov/2026:07:01:05 +0000] "${request}" 200 5 "-" "${agent}"`;
    const inRequest = combinedFormat.parse(line('GET /a\\"b\\\\ HTTP/1.1', 'curl/8'), ctx);
    expect(inRequest?.message).toBe('GET /a"b\\ HTTP/1.1');
    expect(inRequest?.fields?.userAgent).toBe('curl/8');
    const inAgent = combinedFormat.parse(line('GET /a HTTP/1.1', 'x \\"y\\" z'), ctx);
    expect(inAgent?.message).toBe('GET /a HTTP/1.1');
    expect(inAgent?.fields?.userAgent).toBe('x "y" z');
    const both = combinedFormat.parse(line('GET /a\\" HTTP/1.1', 'x\\\\'), ctx);
    expect(both?.path).toBe('/a"');
    expect(both?.fields?.userAgent).toBe('x\\');
    // A closing quote escaped by a single backslash leaves the field open: not an access line.
    expect(combinedFormat.parse(line('GET /a HTTP/1.1', 'x\\'), ctx)).toBeNull();
  });

  it('keeps an IPv6 client, a +0100 zone, and a garbage request line as the message', () => {
    const v6 = combinedFormat.parse(lines[4] ?? '', ctx);
    expect(v6?.host).toBe('2001:db8::1');
    expect(v6?.ts).toBe(Date.UTC(2026, 10, 22, 7, 1, 5));
    expect(v6?.tz).toBe('+0100');
    const tls = combinedFormat.parse(lines[5] ?? '', ctx);
    expect(tls?.message).toBe('\\x16\\x03\\x01\\x00\\xa5\\x01\\x00\\x00');
    expect(tls?.method).toBeUndefined();
  });

  it('rejects common lines, timed lines and impossible dates', () => {
    expect(combinedFormat.parse(fixtureLines('access-common.txt')[0] ?? '', ctx)).toBeNull();
    expect(combinedFormat.parse(fixtureLines('access-timed.txt')[0] ?? '', ctx)).toBeNull();
    expect(
      combinedFormat.parse('1.2.3.4 - - [30/Feb/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', ctx),
    ).toBeNull();
    expect(
      combinedFormat.parse('1.2.3.4 - - [01/Foo/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"', ctx),
    ).toBeNull();
  });
});

describe('common access log', () => {
  it('parses the three fixture lines and nothing with a referer', () => {
    const parsed = fixtureLines('access-common.txt').map((l) => commonFormat.parse(l, ctx));
    expect(parsed.map((p) => [p?.method, p?.path, p?.status, p?.bytes, p?.level])).toEqual([
      ['GET', '/apache_pb.gif', 200, 2326, 'INFO'],
      ['GET', '/index.html', 304, 0, 'INFO'],
      ['HEAD', '/robots.txt', 500, 0, 'ERROR'],
    ]);
    expect(commonFormat.parse(fixtureLines('access-combined.txt')[0] ?? '', ctx)).toBeNull();
  });
});

describe('combined with request and upstream times', () => {
  const parsed = fixtureLines('access-timed.txt').map((l) => combinedTimedFormat.parse(l, ctx));

  it('turns request seconds into latencyMs and keeps upstream times in ms', () => {
    expect(parsed.map((p) => p?.latencyMs)).toEqual([123, 4, 30001, 250]);
    expect(parsed[0]?.fields?.upstreamMs).toBe(120);
    expect(parsed[1]?.fields?.upstreamMs).toBeUndefined();
    expect(parsed[2]?.fields).toMatchObject({ uctMs: 1, urtMs: 30000 });
    expect(parsed[2]?.fields?.uhtMs).toBeUndefined();
    // Retried upstreams are written "0.120, 0.110": their times add up.
    expect(parsed[3]?.fields).toMatchObject({ uctMs: 3, uhtMs: 190, urtMs: 230 });
  });

  it('rejects a plain combined line and a tail that is not timings', () => {
    expect(combinedTimedFormat.parse(fixtureLines('access-combined.txt')[0] ?? '', ctx)).toBeNull();
    const line = `${fixtureLines('access-timed.txt')[0]?.replace(' 0.123 0.120', '')} hello`;
    expect(combinedTimedFormat.parse(line, ctx)).toBeNull();
    expect(combinedTimedFormat.parse(line.replace(' hello', ' 0x10'), ctx)).toBeNull();
    expect(combinedTimedFormat.parse(line.replace(' hello', ' 0.1 0.2 0.3'), ctx)).toBeNull();
    expect(combinedTimedFormat.parse(line.replace(' hello', ' rt="0.5'), ctx)).toBeNull();
    expect(combinedTimedFormat.parse(line.replace(' hello', ' 0.5'), ctx)?.latencyMs).toBe(500);
  });
});

describe('parseIndexed', () => {
  const INDEXED = ['ts', 'tz', 'level', 'service', 'method', 'path', 'status', 'latencyMs', 'message'];
  const indexedOf = (fields: ParsedFields | null) =>
    fields && Object.fromEntries(Object.entries(fields).filter(([key]) => INDEXED.includes(key)));
  const lines = [
    ...['access-combined.txt', 'access-common.txt', 'access-timed.txt'].flatMap(fixtureLines),
    ...generateLines({ format: 'access', lines: 2000, seed: 7 }),
    ...generateLines({ format: 'access', lines: 500, seed: 8, withRequestTime: true }),
    '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /a?b=\\"c\\" HTTP/1.1" 200 5 "-" "x\\\\" rt=0.5 urt="0.1, 0.2"',
    '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5 "-" "x" rt=zero',
    '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 -5 "-" "x"',
    '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200',
  ];

  it('accepts the same lines as parse, with the same values for what the parse stage keeps', () => {
    for (const format of [commonFormat, combinedFormat, combinedTimedFormat]) {
      let accepted = 0;
      for (const line of lines) {
        const full = format.parse(line, ctx);
        const indexed = format.parseIndexed?.(line, ctx) ?? null;
        expect(indexed === null, `${format.name}: ${line}`).toBe(full === null);
        expect(indexed, `${format.name}: ${line}`).toEqual(indexedOf(full));
        if (full) accepted++;
      }
      expect(accepted, format.name).toBeGreaterThan(2);
    }
  });
});
