import { describe, expect, it } from 'vitest';
import { decodeRuns, encodeRuns } from './runs.js';

describe('encodeRuns', () => {
  const vectors = new Map([
    [7, [1, 0]],
    [5, [3, 1]],
    [6, [2, 2]],
    [9, [4, 0]],
    [100, [1, 1]],
  ]);

  it('writes neighbouring keys as one run, drops trailing zeros, fills short gaps and splits at long ones', () => {
    expect(encodeRuns(vectors, 2)).toEqual([
      [5, '3:1,2:2,1,,4'],
      [100, '1:1'],
    ]);
  });

  it('decodes what it encodes, in key order', () => {
    expect([...decodeRuns(encodeRuns(vectors, 2), 2)]).toEqual([
      [5, [3, 1]],
      [6, [2, 2]],
      [7, [1, 0]],
      [9, [4, 0]],
      [100, [1, 1]],
    ]);
  });

  it('keeps leading zeros, negative keys, fractions and the empty map', () => {
    const odd = new Map([
      [-3, [0, 2]],
      [-1, [0.5, 0]],
    ]);
    expect(encodeRuns(odd, 2)).toEqual([[-3, '0:2,,0.5']]);
    expect(decodeRuns(encodeRuns(odd, 2), 2)).toEqual(odd);
    expect(encodeRuns(new Map(), 1)).toEqual([]);
  });
});
