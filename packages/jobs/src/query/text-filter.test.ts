import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayContain, TextFilterBuilder, textProbe } from './text-filter.js';

const build = (messages: readonly string[]) => {
  const builder = new TextFilterBuilder();
  for (const m of messages) builder.add(m);
  return builder.finish();
};

/** ASCII letters in random case, as a search may be typed (LIKE folds only ASCII). */
const recase = (s: string, flips: readonly boolean[]) =>
  [...s]
    .map((c, i) => (/[a-z]/i.test(c) ? (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase()) : c))
    .join('');

describe('text filter', () => {
  it('never rules out a chunk holding the text, whatever its ASCII case', () => {
    const message = fc.string({
      unit: fc.constantFrom('a', 'B', 'c', 'Z', '/', ' ', '1', '7', '0', 'é', '\u{1F600}'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        (messages, pick, start, length, flips) => {
          const filter = build(messages);
          const m = messages[pick % messages.length] as string;
          const from = start % (m.length + 1);
          const q = recase(m.slice(from, from + (length % 12)), flips);
          // No filter at all (nothing added) also means: cannot skip.
          if (filter) expect(mayContain(filter, textProbe(q))).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('indexes an identifier whose digits open the message', () => {
    const filter = build(['12abcdef', 'id 99999x']) as Buffer;
    expect(filter.length).toBeGreaterThan(8192); // it has an identifiers' part
    expect(mayContain(filter, textProbe('12abc'))).toBe(true);
    expect(mayContain(filter, textProbe('9999X'))).toBe(true);
  });

  it('rules out most chunks without the text: false positives near what the fill predicts', () => {
    // 2,000 distinct paths, then 1,000 searched texts that are not in them.
    const filter = build(Array.from({ length: 2_000 }, (_, i) => `GET /api/orders/${i * 7919} HTTP/1.1`));
    expect(filter).not.toBeNull();
    let hits = 0;
    for (let i = 0; i < 1_000; i++) if (mayContain(filter as Buffer, textProbe(`checkout-${i}`))) hits++;
    expect(hits).toBeLessThan(20);
    expect(mayContain(filter as Buffer, textProbe('orders/7919'))).toBe(true);
  });

  it('stores no filter when it is too full to rule anything out, or when nothing was added', () => {
    const random = Array.from(
      { length: 40_000 },
      (_, i) => `${(i * 2654435761) % 1e9} ${i.toString(36)}x${i}`,
    );
    expect(build(random)).toBeNull();
    expect(build(['ab', ''])).toBeNull();
  });

  it('rules out chunks without a number or id that is made of common trigrams', () => {
    // Every three-digit sequence is in the chunk, so trigrams alone cannot rule out any number.
    const lines = Array.from(
      { length: 3_000 },
      (_, i) => `GET /api/orders/${100_000 + i * 13} HTTP/1.1 ${i % 1000}`,
    );
    const filter = build(lines) as Buffer;
    expect(filter.length).toBeGreaterThan(8192);
    expect(mayContain(filter, textProbe(`orders/${100_000 + 13 * 1234}`))).toBe(true);
    expect(mayContain(filter, textProbe(`${100_000 + 13 * 2999}`))).toBe(true);
    expect(mayContain(filter, textProbe('00013'))).toBe(true); // inside 100013
    let hits = 0;
    for (let i = 0; i < 1_000; i++) if (mayContain(filter, textProbe(`orders/${500_000 + i}`))) hits++;
    expect(hits).toBeLessThan(20);
  });

  it('hashes a repeated message once: the same filter, its identifiers part sized by distinct messages', () => {
    const distinct = Array.from({ length: 50 }, (_, i) => `GET /api/orders/${10_000_000 + i} HTTP/1.1`);
    const repeated = Array.from({ length: 4_000 }, (_, i) => distinct[i % distinct.length] as string);
    const filter = build(repeated) as Buffer;
    // 4,000 messages of 4 identifier 5-grams each would size the part at 32 KiB; 50 distinct need the least.
    expect(filter.length).toBe(8192 + 1024);
    expect(filter.equals(build(distinct) as Buffer)).toBe(true);
    expect(mayContain(filter, textProbe('orders/10000049'))).toBe(true);
  });

  it('still indexes every message after it stops remembering the ones it has seen', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `GET /p/${i} HTTP/1.1`);
    const filter = build([...many, 'GET /late/zq9x7k2 HTTP/1.1']) as Buffer;
    expect(mayContain(filter, textProbe('zq9x7k2'))).toBe(true);
  });
});
