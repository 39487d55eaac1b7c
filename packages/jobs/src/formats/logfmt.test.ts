import { describe, expect, it } from 'vitest';
import { durationToMs, logfmtFormat, scanLogfmt } from './logfmt.js';
import { fixtureLines } from './test-fixtures.js';

describe('logfmt', () => {
  const parsed = fixtureLines('logfmt.txt').map((l) => logfmtFormat.parse(l, {}));

  it('reads the usual keys and keeps the rest as strings', () => {
    expect(parsed[0]).toEqual({
      ts: Date.UTC(2024, 2, 1, 10),
      tz: 'Z',
      level: 'INFO',
      message: 'server started',
      service: 'api',
      fields: { port: '8080' },
    });
    expect(parsed[1]).toEqual({
      ts: Date.UTC(2024, 2, 1, 10, 0, 1, 500),
      tz: 'Z',
      level: 'WARN',
      message: 'slow query',
      service: 'db',
      latencyMs: 1500,
      fields: { query: 'select "x" from t' },
    });
  });

  it('reads a Heroku router line: at= level, request fields, duration in ms', () => {
    expect(parsed[2]).toEqual({
      level: 'ERROR',
      message: 'upstream',
      host: 'example.com',
      method: 'GET',
      path: '/api/items',
      status: 503,
      bytes: 0,
      latencyMs: 250,
      fields: {},
    });
    expect(parsed[3]).toEqual({ level: 'DEBUG', message: 'tick', fields: {} });
  });

  it('rejects lines with bare words or broken quotes', () => {
    for (const line of [
      'hello world',
      'a=b c',
      'key="unterminated',
      'k=v"x',
      'k="a"b',
      '=v',
      'only=one',
      '2017|a=b c=d',
      '',
    ]) {
      expect(logfmtFormat.parse(line, {})).toBeNull();
    }
  });

  it('unescapes quoted values and allows empty ones', () => {
    expect(scanLogfmt('a="x \\"y\\" \\\\ z" b= c=""')).toEqual({ a: 'x "y" \\ z', b: '', c: '' });
  });

  it('reads Go durations', () => {
    expect(['250ms', '1.5s', '1m2s', '3us', '120', '5 s', 'fast'].map(durationToMs)).toEqual([
      250,
      1500,
      62_000,
      0.003,
      120,
      undefined,
      undefined,
    ]);
  });
});
