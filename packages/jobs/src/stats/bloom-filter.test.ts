import { describe, expect, it } from 'vitest';
import { BloomFilter } from './bloom-filter.js';
import { Watchlist } from './watchlist.js';

describe('BloomFilter', () => {
  it('sizes itself from n and p: m = -n ln p / (ln 2)^2, k = (m / n) ln 2', () => {
    const filter = BloomFilter.forCapacity(10_000, 0.01);
    // -10000 * ln(0.01) / ln(2)^2 = 95850.58..., rounded up; (95851 / 10000) * ln 2 = 6.64 -> 7.
    expect(filter.bitCount).toBe(95_851);
    expect(filter.hashCount).toBe(7);
  });

  it('rejects impossible sizes', () => {
    expect(() => BloomFilter.forCapacity(0, 0.01)).toThrow(RangeError);
    expect(() => BloomFilter.forCapacity(100, 1)).toThrow(RangeError);
    expect(() => BloomFilter.forCapacity(100, 0)).toThrow(RangeError);
  });

  const members = Array.from({ length: 10_000 }, (_, i) => `GET /api/orders/${i} HTTP/1.1`);

  it('never answers false for an added item', () => {
    const filter = BloomFilter.forCapacity(members.length, 0.01);
    for (const item of members) filter.add(item);
    expect(members.filter((item) => !filter.has(item))).toEqual([]);
  });

  it('measures a false-positive rate on 100k non-members within a factor 1.5 of the configured 1%', () => {
    const filter = BloomFilter.forCapacity(members.length, 0.01);
    for (const item of members) filter.add(item);
    let falsePositives = 0;
    for (let i = 0; i < 100_000; i++) if (filter.has(`GET /api/users/${i} HTTP/1.1`)) falsePositives++;
    const rate = falsePositives / 100_000;
    expect(rate).toBeGreaterThan(0.01 / 1.5);
    expect(rate).toBeLessThan(0.01 * 1.5);
    expect(filter.expectedFalsePositiveRate()).toBeCloseTo(0.01, 3);
  });

  it('round-trips through JSON with the same answers', () => {
    const filter = BloomFilter.forCapacity(1000, 0.05);
    for (const item of members.slice(0, 1000)) filter.add(item);
    const copy = BloomFilter.fromJSON(JSON.parse(JSON.stringify(filter)));
    expect(copy.added).toBe(1000);
    expect(copy.toJSON()).toEqual(filter.toJSON());
    const probes = Array.from({ length: 5000 }, (_, i) => `probe ${i}`);
    expect(probes.map((p) => copy.has(p))).toEqual(probes.map((p) => filter.has(p)));
  });

  it('merges same-shaped filters into their union and refuses other shapes', () => {
    const left = BloomFilter.forCapacity(2000, 0.01);
    const right = BloomFilter.forCapacity(2000, 0.01);
    for (const item of members.slice(0, 1000)) left.add(item);
    for (const item of members.slice(1000, 2000)) right.add(item);
    left.merge(right);
    expect(members.slice(0, 2000).every((item) => left.has(item))).toBe(true);
    expect(left.added).toBe(2000);
    expect(() => left.merge(BloomFilter.forCapacity(10, 0.01))).toThrow(/different shapes/);
  });
});

describe('Watchlist', () => {
  const watched = ['Connection refused', 'Disk quota exceeded for <*>'];

  it('reports exact matches on the message or the template text', () => {
    const list = Watchlist.of(watched);
    expect(list.match('Connection refused')).toEqual({ item: 'Connection refused', on: 'message' });
    expect(list.match('Disk quota exceeded for /home/ann', 'Disk quota exceeded for <*>')).toEqual({
      item: 'Disk quota exceeded for <*>',
      on: 'template',
    });
    expect(list.matches('Connection refused by peer')).toBe(false);
    expect(list.matches('connection refused')).toBe(false);
  });

  it('never reports a Bloom false positive: every reported match is in the list', () => {
    // A tiny filter at a 50% false-positive rate says "maybe" often; the exact set must still say no.
    const list = Watchlist.of(watched, 0.5);
    const probes = Array.from({ length: 2000 }, (_, i) => `line ${i}`);
    const filter = BloomFilter.fromJSON(list.toJSON().filter);
    expect(probes.filter((p) => filter.has(p)).length).toBeGreaterThan(500);
    expect(probes.filter((p) => list.matches(p, `template ${p}`))).toEqual([]);
  });

  it('round-trips through JSON', () => {
    const list = Watchlist.fromJSON(JSON.parse(JSON.stringify(Watchlist.of(watched))));
    expect(list.size).toBe(2);
    expect(list.matches('Connection refused')).toBe(true);
    expect(list.matches('Connection reset')).toBe(false);
  });
});
