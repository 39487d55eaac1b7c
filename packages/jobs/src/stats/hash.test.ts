import { describe, expect, it } from 'vitest';
import { fnv1a32, hash53, hash53Bytes, hashPair, murmur3_32 } from './hash.js';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('murmur3_32', () => {
  it('matches the published MurmurHash3 x86_32 test vectors', () => {
    expect(murmur3_32('', 0)).toBe(0);
    expect(murmur3_32('', 1)).toBe(0x514e28b7);
    expect(murmur3_32('', 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3_32('test', 0)).toBe(0xba6bd213);
    expect(murmur3_32('Hello, world!', 1234)).toBe(0xfaf6cdb3);
    expect(murmur3_32('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
  });

  it('hashes every tail length (1 to 3 trailing bytes) differently', () => {
    const values = ['abcd', 'abcde', 'abcdef', 'abcdefg'].map((s) => murmur3_32(s));
    expect(new Set(values).size).toBe(4);
  });

  it('hashes the UTF-8 bytes, so non-ASCII text and long text are handled', () => {
    // "é" is the two bytes C3 A9; the same bytes written as two Latin-1 characters differ.
    expect(murmur3_32('é')).not.toBe(murmur3_32('\u00c3\u00a9'));
    const long = 'x'.repeat(5000);
    expect(murmur3_32(long)).toBe(murmur3_32(long));
    expect(murmur3_32(long)).not.toBe(murmur3_32(`${long}y`));
  });
});

describe('hashPair', () => {
  it('returns both hashes of one encoding', () => {
    const out: [number, number] = [0, 0];
    expect(hashPair('foobar', out)).toEqual([murmur3_32('foobar'), 0xbf9cf968]);
  });
});

describe('hash53', () => {
  const LONG = '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326'.repeat(3);

  it('keeps the values stored keys were made with', () => {
    expect(hash53('')).toBe(8823091387532020);
    expect(hash53('a')).toBe(8262532803625985);
    expect(hash53('abcdefgh')).toBe(2955830643754864);
    expect(hash53('hello world, 21 bytes')).toBe(5858270157864877);
    expect(hash53('naïve € \u{1F600}')).toBe(4860698552300293);
    expect(hash53(LONG)).toBe(7728586286165526);
  });

  it('hashes a byte range wherever it starts as the text of those bytes', () => {
    const bytes = Buffer.from(`xyz${LONG}`);
    const inner = bytes.subarray(1);
    for (let start = 0; start < 12; start++) {
      for (const end of [start, start + 7, start + 8, start + 61, inner.length]) {
        expect(hash53Bytes(inner, start, end)).toBe(hash53(inner.toString('latin1', start, end)));
      }
    }
  });
});
