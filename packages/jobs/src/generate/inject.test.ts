import { describe, expect, it } from 'vitest';
import { generateLines } from './generate.js';
import { resolveGenerateOptions } from './options.js';

function accessStatus(line: string): number {
  return Number(/" (\d{3}) \d+ "/.exec(line)?.[1]);
}

describe('errorBurst', () => {
  it('turns exactly the asked lines into 5xx answers when rate is 1', () => {
    const lines = [
      ...generateLines({
        format: 'access',
        lines: 5000,
        seed: 4,
        errorBurst: { atLine: 2000, lines: 300, rate: 1 },
      }),
    ];
    const fivexx = lines.flatMap((line, i) => (accessStatus(line) >= 500 ? [i] : []));
    const inside = fivexx.filter((i) => i >= 2000 && i < 2300);
    expect(inside).toHaveLength(300);
    expect(accessStatus(lines[1999] ?? '')).toBeLessThan(500);
    expect(accessStatus(lines[2300] ?? '')).toBeLessThan(500);
    // Outside the burst only the baseline remains (0.4% of 4,700 lines is about 19).
    expect(fivexx.length - inside.length).toBeLessThan(40);
  });

  it('places a burst given in minutes at that minute of log time', () => {
    const lines = [
      ...generateLines({
        format: 'plain',
        lines: 6000,
        linesPerSecond: 10,
        errorBurst: { atMinute: 5, lines: 120, rate: 1, service: 'payments' },
      }),
    ];
    const errors = lines.flatMap((line, i) => (line.includes(' ERROR ') ? [i] : []));
    const burst = errors.filter((i) => i >= 3000 && i < 3120);
    expect(burst).toHaveLength(120);
    expect(lines[3000]?.startsWith('2024-01-15T10:05:00.000Z ERROR [payments] ')).toBe(true);
    expect(lines[3119]).toMatch(/^2024-01-15T10:05:11\.900Z ERROR \[payments\] /);
    expect(lines[3120]).toMatch(/^2024-01-15T10:05:12\.000Z (DEBUG|INFO|WARN) /);
    expect(lines[2999]).toMatch(/^2024-01-15T10:04:59\.900Z (DEBUG|INFO|WARN) /);
  });

  it('mixes errors in at the asked rate', () => {
    const lines = [
      ...generateLines({
        format: 'json',
        lines: 4000,
        seed: 6,
        errorBurst: { atLine: 0, lines: 4000, rate: 0.5 },
      }),
    ];
    const errors = lines.filter((line) => line.startsWith('{"level":50')).length;
    expect(errors / 4000).toBeGreaterThan(0.45);
    expect(errors / 4000).toBeLessThan(0.56);
  });
});

describe('newTemplate', () => {
  it('appears from atLine on, count times, every `every` lines, and never before', () => {
    const lines = [
      ...generateLines({
        format: 'plain',
        lines: 1000,
        newTemplate: {
          atLine: 600,
          message: 'shard {id} moved to cold storage in {ms}ms',
          count: 5,
          every: 20,
        },
      }),
    ];
    const at = lines.flatMap((line, i) =>
      / shard \d+ moved to cold storage in \d+ms$/.test(line) ? [i] : [],
    );
    expect(at).toEqual([600, 620, 640, 660, 680]);
  });

  it('is the request path in access logs, kept as one token', () => {
    const lines = [
      ...generateLines({
        format: 'access',
        lines: 100,
        newTemplate: { atLine: 10, message: '/api/v2/export "all" {id}', count: 1 },
      }),
    ];
    expect(lines[10]).toMatch(/"GET \/api\/v2\/export%20%22all%22%20\d+ HTTP\/1\.1" 200 /);
  });
});

describe('resolveGenerateOptions', () => {
  it.each([
    [{ format: 'csv', lines: 1 }, /format must be one of access, json, plain/],
    [{ format: 'plain', lines: -1 }, /lines must be an integer >= 0/],
    [{ format: 'plain', lines: 1, start: 'yesterday' }, /start must be/],
    [{ format: 'plain', lines: 1, linesPerSecond: 0 }, /linesPerSecond must be a positive number/],
    [{ format: 'plain', lines: 1, errorBurst: { lines: 5, rate: 1 } }, /errorBurst needs atLine or atMinute/],
    [{ format: 'plain', lines: 1, errorBurst: { atLine: 0, lines: 5, rate: 2 } }, /errorBurst.rate/],
    [
      { format: 'plain', lines: 1, errorBurst: { atLine: 0, lines: 5, rate: 1, service: 'x' } },
      /errorBurst.service/,
    ],
    [{ format: 'plain', lines: 1, newTemplate: { atLine: 0, message: 'a\nb' } }, /newTemplate.message/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveGenerateOptions(options as never)).toThrow(message);
  });

  it('converts a burst minute to a line with the line rate', () => {
    const resolved = resolveGenerateOptions({
      format: 'access',
      lines: 1,
      errorBurst: { atMinute: 1.5, lines: 10, rate: 1 },
    });
    expect(resolved.burst).toEqual({ from: 90_000, to: 90_010, rate: 1, service: undefined });
  });
});
