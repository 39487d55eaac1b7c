import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBatch } from './batch.js';
import {
  checkEvent,
  type EventChecks,
  hasEventShape,
  liveEventSchema,
  MAX_MESSAGE_CHARS,
  normalizeEvent,
  type Sender,
} from './event-schema.js';

const payments: Sender = { caller: 'payments', admin: false };
const admin: Sender = { caller: 'admin', admin: true };
const NOW = Date.UTC(2024, 4, 1, 12);
const checks: EventChecks = { now: NOW, oldestTs: Date.UTC(2024, 3, 1) };
const base = { timestamp: '2024-05-01T10:00:00Z', level: 'info', message: 'hello' };

describe('checkEvent', () => {
  it('normalises time, level, service and attributes', () => {
    expect(
      checkEvent(
        {
          timestamp: '2024-05-01T12:00:00.250+02:00',
          severity: 'warning',
          message: 'slow query',
          event_id: 'e-1',
          host: 'db-1',
          attributes: { query: { ms: 812, table: 'orders' }, tags: ['a', 'b'], ok: false },
        },
        payments,
        checks,
      ),
    ).toEqual({
      ts: Date.UTC(2024, 4, 1, 10, 0, 0, 250),
      tz: '+02:00',
      level: 3,
      service: 'payments',
      message: 'slow query',
      eventId: 'e-1',
      host: 'db-1',
      fields: JSON.stringify({ 'query.ms': 812, 'query.table': 'orders', tags: '["a","b"]', ok: false }),
    });
  });

  it('reads epoch seconds and milliseconds, syslog and pino levels', () => {
    const at = Date.UTC(2024, 4, 1, 10);
    const of = (over: object) => checkEvent({ ...base, ...over }, payments, checks);
    expect(of({ timestamp: at / 1000 })).toMatchObject({ ts: at });
    expect(of({ timestamp: at })).toMatchObject({ ts: at });
    expect(of({ timestamp: String(at) })).toMatchObject({ ts: at });
    expect(of({ level: 3 })).toMatchObject({ level: 4 }); // syslog err
    expect(of({ level: 50 })).toMatchObject({ level: 4 }); // pino error
    expect(of({ level: 'CRIT' })).toMatchObject({ level: 5 });
  });

  it('names what is wrong, one code per kind of problem', () => {
    const of = (value: unknown, sender = payments) => checkEvent(value, sender, checks);
    expect(of([base])).toEqual({ code: 'not_an_object', reason: 'an event is a JSON object, not an array' });
    expect(of(null)).toEqual({ code: 'not_an_object', reason: 'an event is a JSON object, not null' });
    expect(of({ level: 'info', message: 'x' })).toEqual({
      code: 'missing_field',
      reason: 'timestamp is required',
    });
    expect(of({ ...base, level: undefined })).toEqual({
      code: 'missing_field',
      reason: 'level (or severity) is required',
    });
    expect(of({ ...base, timestamp: true })).toMatchObject({ code: 'invalid_field' });
    expect(of({ ...base, timestamp: 'soon' })).toEqual({
      code: 'invalid_timestamp',
      reason: 'timestamp: "soon" is not an ISO 8601 time or epoch number',
    });
    expect(of({ ...base, level: 'chatty' })).toMatchObject({ code: 'invalid_level' });
    expect(of({ ...base, msg: 'x', extra: 1 })).toEqual({
      code: 'unknown_field',
      reason: 'unknown field "msg", "extra"; put extra fields in attributes',
    });
    expect(of({ ...base, message: 'x'.repeat(MAX_MESSAGE_CHARS + 1) })).toMatchObject({ code: 'too_large' });
    expect(
      of({ ...base, attributes: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) }),
    ).toMatchObject({
      code: 'too_large',
    });
    expect(of({ ...base, service: 'pay ments' })).toMatchObject({ code: 'invalid_field' });
    expect(of({ ...base, timestamp: '2024-05-02T12:00:01Z' })).toMatchObject({
      code: 'timestamp_out_of_range',
    });
    expect(of({ ...base, timestamp: '2024-03-31T23:59:59Z' })).toEqual({
      code: 'timestamp_out_of_range',
      reason: 'timestamp 2024-03-31T23:59:59.000Z is older than the retention period',
    });
  });

  it('holds a service token to its own service, and lets an admin token name any', () => {
    expect(checkEvent({ ...base, service: 'orders' }, payments, checks)).toMatchObject({
      code: 'service_mismatch',
    });
    expect(checkEvent(base, payments, checks)).toMatchObject({ service: 'payments' });
    expect(checkEvent({ ...base, service: 'orders' }, admin, checks)).toMatchObject({ service: 'orders' });
    expect(checkEvent(base, admin, checks)).toEqual({
      code: 'missing_field',
      reason: 'service is required in events sent with an admin token',
    });
  });

  it('rejects values nested too deeply to serialise instead of throwing', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(checkEvent({ ...base, attributes: { x: deep } }, payments, checks)).toEqual({
      code: 'too_large',
      reason: 'attributes are nested too deeply to store',
    });
    const batch = validateBatch(
      [{ value: deep }, { value: { ...base, attributes: { x: deep } } }],
      payments,
      checks,
    );
    expect(batch.rejected.map((r) => [r.index, r.code, r.payload])).toEqual([
      [0, 'not_an_object', '(the received value could not be kept: Maximum call stack size exceeded)'],
      [1, 'too_large', '(the received value could not be kept: Maximum call stack size exceeded)'],
    ]);
  });

  it('replaces lone surrogates in stored text with U+FFFD, keeping pairs, NUL and markup', () => {
    const e = checkEvent(
      {
        ...base,
        message: 'a\u0000b <script> \ud800 \udc00 \ud83d\ude80 \udc00\ud800',
        host: 'h\udfff',
        event_id: 'id-\ud83d',
        attributes: { lone: 'x\ud800y' },
      },
      payments,
      checks,
    );
    expect(e).toMatchObject({
      message: 'a\u0000b <script> \ufffd \ufffd 🚀 \ufffd\ufffd',
      host: 'h\ufffd',
      eventId: 'id-\ufffd',
      fields: '{"lone":"x\\ud800y"}',
    });
  });
});

describe('hasEventShape, the schema skipped for well-formed events', () => {
  // Values near the schema's edges: each field sometimes missing, of the wrong type or out of bounds.
  const text = (max: number) =>
    fc.oneof(
      { weight: 10, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
      { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(max), 'x'.repeat(max + 1)) },
    );
  const field = <T>(valid: fc.Arbitrary<T>) =>
    fc.oneof(
      { weight: 30, arbitrary: valid },
      { weight: 1, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.array(fc.integer())),
      },
    );
  const event = fc
    .record(
      {
        timestamp: field(fc.oneof(text(64), fc.integer(), fc.constant(1.5))),
        level: field(fc.oneof(text(32), fc.integer())),
        severity: field(fc.oneof(text(32), fc.integer())),
        service: field(fc.constantFrom('payments', 'ok-1.2_3', 'a b', 'x'.repeat(101))),
        message: field(text(MAX_MESSAGE_CHARS)),
        event_id: field(text(128)),
        host: field(text(255)),
        attributes: field(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.constant([1]))),
        msg: fc.constant('unknown key'),
      },
      { requiredKeys: ['timestamp', 'message'] },
    )
    .chain((v) => fc.constantFrom(v, { ...v, msg: undefined }, { ...v, msg: undefined }))
    // The way a body arrives: through JSON, which drops undefined and gives plain objects.
    .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

  it('accepts only what the schema accepts, and stores it as the schema path would', () => {
    let shaped = 0;
    fc.assert(
      fc.property(fc.oneof(event, fc.jsonValue()), (value) => {
        if (!hasEventShape(value)) return;
        shaped++;
        const parsed = liveEventSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(normalizeEvent(value, 'payments')).toEqual(normalizeEvent(parsed.data as never, 'payments'));
      }),
      { numRuns: 5_000 },
    );
    expect(shaped).toBeGreaterThan(50);
  });

  it('drops an attribute named __proto__ on either path', () => {
    // JSON.parse makes it an own key; zod's record leaves it out; the flattening skips it. Either way the
    // stored fields are the same and no prototype changes.
    const value = JSON.parse(
      '{"timestamp":0,"level":"info","message":" ","attributes":{"__proto__":[],"a":1}}',
    ) as unknown;
    expect(hasEventShape(value)).toBe(true);
    const parsed = liveEventSchema.parse(value);
    expect(Object.hasOwn(parsed.attributes ?? {}, '__proto__')).toBe(false);
    for (const input of [value, parsed]) {
      const stored = normalizeEvent(input as never, 'payments');
      expect(stored).toMatchObject({ fields: '{"a":1}' });
    }
  });

  it('leaves every rejection to the schema, worded as before', () => {
    const bad = { ...base, extra: 1 };
    expect(hasEventShape(bad)).toBe(false);
    expect(checkEvent(bad, payments, checks)).toEqual({
      code: 'unknown_field',
      reason: 'unknown field "extra"; put extra fields in attributes',
    });
    expect(hasEventShape(JSON.parse('{"timestamp":1,"level":"info","message":"m","__proto__":{}}'))).toBe(
      false,
    );
    expect(hasEventShape({ ...base, attributes: [] })).toBe(false);
    expect(hasEventShape(base)).toBe(true);
  });
});
