import { describe, expect, it } from 'vitest';
import { generateLines, generateLogBuffers } from './generate.js';
import { compileTemplate, MESSAGE_TEMPLATES } from './messages.js';
import type { GenerateOptions } from './options.js';

const ACCESS_LINE =
  /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}) - - \[(\d{2})\/(Jan)\/2024:(\d{2}):(\d{2}):(\d{2}) \+0000\] "(GET|POST|PUT|PATCH|DELETE|OPTIONS) (\/\S*) HTTP\/1\.1" (\d{3}) (\d+) "([^"]*)" "([^"]+)"$/;
const PLAIN_LINE =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (DEBUG|INFO|WARN|ERROR) \[([a-z]+)\] (.+)$/;

function text(options: GenerateOptions, batchBytes?: number): string {
  return Buffer.concat([...generateLogBuffers(options, batchBytes)]).toString('utf8');
}

function statusOf(line: string): number {
  return Number(ACCESS_LINE.exec(line)?.[9]);
}

describe('generateLogBuffers', () => {
  it.each(['access', 'json', 'plain'] as const)(
    '%s: the same seed gives identical bytes, another seed does not',
    (format) => {
      const a = text({ format, lines: 3000, seed: 7 });
      expect(text({ format, lines: 3000, seed: 7 })).toBe(a);
      expect(text({ format, lines: 3000, seed: 8 })).not.toBe(a);
    },
  );

  it.each([0, 1, 12_345])('writes exactly %i lines, each ending in a newline', (lines) => {
    const out = text({ format: 'access', lines }, 1024);
    expect(out.split('\n')).toHaveLength(lines + 1);
    expect(out.endsWith('\n') || lines === 0).toBe(true);
  });

  it('gives the same bytes as generateLines, whatever the buffer size', () => {
    const options: GenerateOptions = { format: 'json', lines: 2000, seed: 3 };
    const joined = `${[...generateLines(options)].join('\n')}\n`;
    expect(text(options, 1024)).toBe(joined);
    expect(text(options)).toBe(joined);
  });

  it('never yields a buffer larger than asked when lines fit', () => {
    const sizes = [...generateLogBuffers({ format: 'plain', lines: 5000 }, 4096)].map((b) => b.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    expect(sizes.length).toBeGreaterThan(50);
  });
});

describe('line shapes', () => {
  it('access lines are combined log format, stamped 1,000 lines per second from 2024-01-15T10:00:00Z', () => {
    const lines = [...generateLines({ format: 'access', lines: 20_000, seed: 11 })];
    for (const line of lines) expect(line).toMatch(ACCESS_LINE);
    expect(lines[0]).toContain('[15/Jan/2024:10:00:00 +0000]');
    expect(lines[999]).toContain('[15/Jan/2024:10:00:00 +0000]');
    expect(lines[1000]).toContain('[15/Jan/2024:10:00:01 +0000]');
    expect(lines[19_999]).toContain('[15/Jan/2024:10:00:19 +0000]');
  });

  it('access lines end with the request time in seconds when asked', () => {
    for (const line of generateLines({ format: 'access', lines: 500, withRequestTime: true })) {
      expect(line).toMatch(/" \d+\.\d{3}$/);
      expect(line.replace(/ \d+\.\d{3}$/, '')).toMatch(ACCESS_LINE);
    }
  });

  it('json lines are pino records with level, time, service and msg; request records carry req and res', () => {
    let requests = 0;
    const lines = [...generateLines({ format: 'json', lines: 5000, seed: 5 })];
    lines.forEach((line, i) => {
      const record = JSON.parse(line);
      expect(line).toMatch(
        /^\{"level":(10|20|30|40|50|60),"time":\d{13},"pid":\d+,"hostname":"[a-z]+-[0-9a-f]{5}"/,
      );
      expect(record.time).toBe(Date.UTC(2024, 0, 15, 10) + i * 10);
      expect(['api', 'auth', 'payments', 'search']).toContain(record.service);
      expect(typeof record.msg).toBe('string');
      if (record.req) {
        requests++;
        expect(record.req).toEqual({
          id: requests,
          method: expect.any(String),
          url: expect.stringMatching(/^\//),
          remoteAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
        });
        expect(record.res.statusCode).toBeGreaterThanOrEqual(200);
        expect(record.responseTime).toBeGreaterThanOrEqual(0);
      }
    });
    // About 40% of lines are request records.
    expect(requests / lines.length).toBeGreaterThan(0.35);
    expect(requests / lines.length).toBeLessThan(0.45);
  });

  it('plain lines are "ISO-time LEVEL [service] message", 100 lines per second', () => {
    const lines = [...generateLines({ format: 'plain', lines: 3000, start: '2025-03-01T00:00:00Z' })];
    for (const line of lines) expect(line).toMatch(PLAIN_LINE);
    expect(lines[0]?.startsWith('2025-03-01T00:00:00.000Z ')).toBe(true);
    expect(lines[1]?.startsWith('2025-03-01T00:00:00.010Z ')).toBe(true);
    expect(lines[2999]?.startsWith('2025-03-01T00:00:29.990Z ')).toBe(true);
  });

  it('every plain message comes from exactly one known template, and every template appears', () => {
    const patterns = MESSAGE_TEMPLATES.map((t) => compileTemplate(t).pattern);
    const matchers = patterns.map(
      (p) =>
        new RegExp(
          `^${p
            .split('<*>')
            .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('\\S+')}$`,
        ),
    );
    const seen = new Set<number>();
    for (const line of generateLines({ format: 'plain', lines: 20_000, seed: 2 })) {
      const message = PLAIN_LINE.exec(line)?.[4] ?? '';
      const hits = matchers.flatMap((m, i) => (m.test(message) ? [i] : []));
      expect(hits, message).toHaveLength(1);
      seen.add(hits[0] as number);
    }
    expect(seen.size).toBe(MESSAGE_TEMPLATES.length);
  });

  it('uses the services given', () => {
    for (const line of generateLines({ format: 'plain', lines: 1000, services: ['web', 'worker'] })) {
      expect(PLAIN_LINE.exec(line)?.[3]).toMatch(/^(web|worker)$/);
    }
  });
});

describe('realistic traffic', () => {
  const statuses = [...generateLines({ format: 'access', lines: 50_000, seed: 9 })].map(statusOf);
  const share = (test: (s: number) => boolean) => statuses.filter(test).length / statuses.length;

  it('answers mostly 2xx, some 3xx and 4xx, a few 5xx', () => {
    expect(share((s) => s < 300)).toBeGreaterThan(0.8);
    expect(share((s) => s >= 300 && s < 400)).toBeGreaterThan(0.03);
    expect(share((s) => s >= 400 && s < 500)).toBeGreaterThan(0.01);
    expect(share((s) => s >= 500)).toBeGreaterThan(0.001);
    expect(share((s) => s >= 500)).toBeLessThan(0.01);
  });

  it('concentrates traffic on a few popular paths', () => {
    const counts = new Map<string, number>();
    for (const line of generateLines({ format: 'access', lines: 20_000, seed: 9 })) {
      const path = (ACCESS_LINE.exec(line)?.[8] ?? '').replace(/\d+/g, 'N');
      counts.set(path, (counts.get(path) ?? 0) + 1);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect((sorted[0] ?? 0) / 20_000).toBeGreaterThan(0.15);
    expect(sorted.length).toBeGreaterThan(25);
  });

  it('has a slow endpoint: the export takes far longer than the median request', () => {
    const times = new Map<string, number[]>();
    for (const line of generateLines({ format: 'access', lines: 20_000, withRequestTime: true })) {
      const path = line.includes('/api/reports/export') ? 'export' : 'other';
      const list = times.get(path) ?? [];
      list.push(Number(line.slice(line.lastIndexOf(' ') + 1)));
      times.set(path, list);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    expect(median(times.get('export') ?? [])).toBeGreaterThan(1);
    expect(median(times.get('other') ?? [])).toBeLessThan(0.1);
  });
});
