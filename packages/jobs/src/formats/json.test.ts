import { describe, expect, it } from 'vitest';
import { jsonFormat, MAX_FIELDS } from './json.js';
import { fixtureLines } from './test-fixtures.js';

const parsed = fixtureLines('json-lines.ndjson').map((l) => jsonFormat.parse(l, {}));

describe('JSON lines', () => {
  it('reads pino: numeric level, epoch ms time, msg, name, hostname', () => {
    expect(parsed[0]).toEqual({
      ts: 1_700_000_000_123,
      level: 'INFO',
      message: 'order created',
      service: 'orders',
      host: 'api-1',
      fields: { pid: 4242, orderId: 42 },
    });
  });

  it('reads bunyan with an ISO time and flattens the nested error', () => {
    expect(parsed[1]).toEqual({
      ts: Date.UTC(2023, 10, 14, 22, 13, 20, 456),
      tz: 'Z',
      level: 'ERROR',
      message: 'charge failed',
      service: 'billing',
      host: 'bill-2',
      fields: { pid: 7, v: 0, 'err.message': 'card declined', 'err.code': 'E42' },
    });
  });

  it('reads winston, logrus, zap and structlog spellings', () => {
    expect(parsed[2]).toMatchObject({ ts: Date.UTC(2023, 10, 14, 21, 13, 21), tz: '+01:00', level: 'WARN' });
    expect(parsed[2]).toMatchObject({
      message: 'disk almost full',
      service: 'storage',
      fields: { percent: 91 },
    });
    expect(parsed[3]).toEqual({
      ts: Date.UTC(2023, 10, 14, 22, 13, 22),
      tz: 'Z',
      level: 'ERROR',
      message: 'connection reset',
      fields: { component: 'db' },
    });
    expect(parsed[4]).toEqual({
      ts: 1_700_000_003_500,
      level: 'DEBUG',
      message: 'tick',
      service: 'scheduler',
      fields: { caller: 'sched/run.go:88', jobs: 3 },
    });
    expect(parsed[5]).toEqual({
      ts: Date.UTC(2023, 10, 14, 22, 13, 24, 789),
      tz: 'Z',
      level: 'INFO',
      message: 'user logged in',
      fields: { user_id: 'u-9' },
    });
  });

  it('reads ECS whether its keys are dotted or nested, event.duration in ns', () => {
    expect(parsed[6]).toEqual({
      ts: Date.UTC(2023, 10, 14, 22, 13, 25),
      tz: 'Z',
      level: 'ERROR',
      message: 'upstream timeout',
      service: 'gateway',
      host: 'gw-3',
      method: 'GET',
      path: '/api/v1/items',
      status: 504,
      latencyMs: 30_000,
      fields: { 'ecs.version': '8.11.0' },
    });
    expect(parsed[7]).toEqual({
      ts: Date.UTC(2023, 10, 14, 22, 13, 26),
      tz: 'Z',
      level: 'INFO',
      message: 'ok',
      service: 'gateway',
      method: 'POST',
      path: '/api/v1/items',
      status: 201,
      latencyMs: 1.5,
      fields: { 'url.query': 'a=1' },
    });
  });

  it('falls back to the whole line as message and to the status for the level', () => {
    const line = '{"status":503,"path":"/x?y=1"}';
    expect(jsonFormat.parse(line, {})).toEqual({
      message: line,
      status: 503,
      path: '/x',
      level: 'ERROR',
      fields: {},
    });
  });

  it('rejects what is not one JSON object', () => {
    for (const line of [
      '',
      'plain text',
      '[1,2]',
      '"str"',
      '{"a":1',
      '{"a":1} trailing',
      'x {"a":1}',
      'null',
    ]) {
      expect(jsonFormat.parse(line, {})).toBeNull();
    }
  });

  it('survives deep, wide and odd JSON without throwing', () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const deepParsed = jsonFormat.parse(deep, {});
    expect(deepParsed?.message).toBe(deep);
    expect(Object.keys(deepParsed?.fields ?? {})).toEqual(['a.a.a.a.a.a']);

    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])));
    expect(Object.keys(jsonFormat.parse(wide, {})?.fields ?? {})).toHaveLength(MAX_FIELDS);

    const odd =
      '{"__proto__":{"polluted":1},"arr":[1,{"b":2}],"big":1e400,"nil":null,"t":true,"level":{"x":1}}';
    expect(jsonFormat.parse(odd, {})?.fields).toEqual({
      arr: '[1,{"b":2}]',
      big: 'Infinity',
      nil: null,
      t: true,
      'level.x': 1,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
