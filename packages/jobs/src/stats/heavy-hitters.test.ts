import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeavyHitters } from './heavy-hitters.js';
import { SeededRandom } from './prng.js';

function exactCounts(stream: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of stream) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Checks the documented guarantee of `summary` against brute-force counts of `stream`. */
function expectGuarantee(summary: HeavyHitters, stream: readonly string[]): void {
  const n = stream.length;
  const k = summary.capacity;
  expect(summary.total).toBe(n);
  expect(summary.errorBound).toBeLessThanOrEqual(n / k);
  for (const [item, f] of exactCounts(stream)) {
    const kept = summary.estimate(item);
    if (f > n / k) expect(kept, `${item} occurs ${f} > N/k = ${n / k} times`).toBeDefined();
    if (kept) {
      expect(kept.count).toBeGreaterThanOrEqual(f);
      expect(kept.count - f).toBeLessThanOrEqual(n / k);
      expect(kept.count - kept.error).toBeLessThanOrEqual(f);
    } else {
      expect(f).toBeLessThanOrEqual(summary.errorBound);
    }
  }
}

/** A skewed stream: item i has probability proportional to 1 / (i + 1). */
function zipfStream(length: number, distinct: number, seed: number): string[] {
  const rng = new SeededRandom(seed);
  const weights = Array.from({ length: distinct }, (_, i) => 1 / (i + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  return Array.from({ length }, () => {
    let u = rng.next() * sum;
    let i = 0;
    while (u >= weights[i]! && i < distinct - 1) u -= weights[i++]!;
    return `item-${i}`;
  });
}

describe('HeavyHitters', () => {
  it('follows Space-Saving on a small stream: the newcomer inherits the evicted count as error', () => {
    const summary = new HeavyHitters(2);
    for (const item of ['a', 'a', 'b', 'c']) summary.add(item);
    expect(summary.top()).toEqual([
      { item: 'a', count: 2, error: 0 },
      { item: 'c', count: 2, error: 1 },
    ]);
    expect(summary.estimate('b')).toBeUndefined();
    expect(summary.errorBound).toBe(2);
  });

  it('counts exactly while there are no more distinct items than counters', () => {
    const stream = zipfStream(5000, 40, 3);
    const summary = new HeavyHitters(40);
    for (const item of stream) summary.add(item);
    expect(summary.errorBound).toBe(0);
    const exact = [...exactCounts(stream)].map(([item, count]) => ({ item, count, error: 0 }));
    expect(summary.top().sort((a, b) => a.item.localeCompare(b.item))).toEqual(
      exact.sort((a, b) => a.item.localeCompare(b.item)),
    );
  });

  it('keeps every item above N/k with counts within N/k on a long skewed stream', () => {
    const stream = zipfStream(20_000, 2000, 5);
    const summary = new HeavyHitters(50);
    for (const item of stream) summary.add(item);
    expectGuarantee(summary, stream);
    // The top of a Zipf stream is well separated: the three most frequent are listed first, in order.
    expect(summary.top(3).map((h) => h.item)).toEqual(['item-0', 'item-1', 'item-2']);
  });

  it('keeps the guarantee after merging the summaries of five chunks through JSON', () => {
    const stream = zipfStream(20_000, 2000, 9);
    const merged = new HeavyHitters(50);
    for (let c = 0; c < 5; c++) {
      const chunk = new HeavyHitters(50);
      for (const item of stream.slice(c * 4000, (c + 1) * 4000)) chunk.add(item);
      merged.merge(HeavyHitters.fromJSON(JSON.parse(JSON.stringify(chunk))));
    }
    expectGuarantee(merged, stream);
  });

  it('keeps the guarantee for any stream, any split and any capacity (property)', () => {
    fc.assert(
      fc.property(
        // Segments of skewed draws (letter i with probability (2i + 1) / 100), each segment rotating the
        // alphabet, so an item heavy in one chunk is rare in the next, the case where merging is delicate.
        fc
          .array(fc.tuple(fc.nat(9), fc.array(fc.integer({ min: 0, max: 99 }), { maxLength: 80 })), {
            maxLength: 5,
          })
          .map((segments) =>
            segments.flatMap(([rotation, draws]) =>
              draws.map((n) => 'abcdefghij'[(Math.floor(Math.sqrt(n)) + rotation) % 10]!),
            ),
          ),
        fc.array(fc.nat(300), { maxLength: 6 }),
        fc.integer({ min: 1, max: 8 }),
        (stream, cuts, capacity) => {
          const bounds = [
            0,
            ...cuts.map((c) => Math.min(c, stream.length)).sort((a, b) => a - b),
            stream.length,
          ];
          const merged = new HeavyHitters(capacity);
          for (let i = 0; i + 1 < bounds.length; i++) {
            const part = new HeavyHitters(capacity);
            for (const item of stream.slice(bounds[i], bounds[i + 1])) part.add(item);
            merged.merge(part);
          }
          expectGuarantee(merged, stream);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("counts an item at the other side's floor when that side evicted it", () => {
    const left = new HeavyHitters(2);
    for (const item of ['x', 'x', 'x', 'x', 'x']) left.add(item);
    const right = new HeavyHitters(2);
    for (const item of ['x', 'y', 'y', 'z', 'z', 'z']) right.add(item);
    expect(right.top()).toEqual([
      { item: 'z', count: 4, error: 1 },
      { item: 'y', count: 2, error: 0 },
    ]);
    left.merge(right);
    // x occurs 6 times: 5 + right's floor of 2 = 7, with error 2, brackets it.
    expect(left.top()).toEqual([
      { item: 'x', count: 7, error: 2 },
      { item: 'z', count: 4, error: 1 },
    ]);
  });

  it('refuses to merge summaries of different capacity', () => {
    expect(() => new HeavyHitters(3).merge(new HeavyHitters(4))).toThrow(/capacity 3 and 4/);
  });
});
