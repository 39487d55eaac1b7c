import { describe, expect, it } from 'vitest';
import { findRepeats, KeySet, packDedup, unpackDedup } from './dedup-keys.js';

describe('KeySet', () => {
  it('adds each key once, says which were there, and grows past what it expected', () => {
    const set = new KeySet(4);
    const keys = [0, 1, 2 ** 53 - 1, 2 ** 32, 2 ** 32 + 1, 123_456_789_012_345];
    for (const k of keys) expect(set.add(k)).toBe(true);
    for (const k of keys) expect(set.add(k)).toBe(false);
    expect(set.size).toBe(keys.length);
    const many = Array.from({ length: 50_000 }, (_, i) => i * 2 ** 21 + (i % 7));
    for (const k of many) set.add(k);
    expect(set.size).toBe(keys.length + many.filter((k) => !keys.includes(k)).length);
    for (const k of many) expect(set.has(k)).toBe(true);
    expect(set.has(3)).toBe(false);
    expect(set.has(2 ** 52 + 5)).toBe(false);
  });

  it('agrees with a Set on random 53-bit keys with repeats', () => {
    const set = new KeySet(1_000);
    const reference = new Set<number>();
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 20_000; i++) {
      const key = i % 5 === 0 && i > 0 ? (next() % i) * 2 ** 22 : next() * 2 ** 22 + (next() % 2 ** 22);
      expect(set.add(key)).toBe(!reference.has(key));
      reference.add(key);
    }
    expect(set.size).toBe(reference.size);
  });
});

describe('packDedup', () => {
  it('round-trips keys and offsets, from an unaligned buffer too', () => {
    const packed = packDedup([2 ** 53 - 1, 0, 42], [0, 17, 2 ** 40]);
    expect(packed.byteLength).toBe(48);
    expect([...unpackDedup(packed)]).toEqual([2 ** 53 - 1, 0, 0, 17, 42, 2 ** 40]);
    const shifted = Buffer.concat([Buffer.from([1]), packed]).subarray(1);
    expect([...unpackDedup(shifted)]).toEqual([2 ** 53 - 1, 0, 0, 17, 42, 2 ** 40]);
    expect(unpackDedup(null)).toHaveLength(0);
  });
});

describe('findRepeats', () => {
  it('keeps the first pair of every key when all keys land in one table, which then grows', () => {
    // Keys under 2^32 all route to the first table: it must grow far past its share.
    const keys = Array.from({ length: 60_000 }, (_, i) => (i * 7919) % 40_000);
    const pairs = Float64Array.from(keys.flatMap((k, i) => [k, i]));
    const found: number[] = [];
    findRepeats([pairs.subarray(0, 30_000), pairs.subarray(30_000)], keys.length, found);
    const first = new Set<number>();
    const want: number[] = [];
    keys.forEach((k, i) => {
      if (first.has(k)) want.push(i);
      first.add(k);
    });
    expect(want).toHaveLength(20_000);
    expect(found.sort((a, b) => a - b)).toEqual(want);
  });
});
