import { describe, expect, it } from 'vitest';
import { groupingAccuracy } from './grouping-accuracy.js';

describe('groupingAccuracy', () => {
  it('counts only lines whose whole group matches their true group', () => {
    // Group a = lines 0, 1, both x, and x has exactly those two lines: 2 correct.
    // Group b = lines 2, 3 mixes y and z: 0 correct. Group c = line 4 alone, but z has lines 3 and 4: 0 correct.
    // Group d = line 5, w alone: 1 correct. GA = 3 / 6.
    expect(groupingAccuracy(['a', 'a', 'b', 'b', 'c', 'd'], ['x', 'x', 'y', 'z', 'z', 'w'])).toBe(0.5);
  });

  it('compares partitions, not labels', () => {
    expect(groupingAccuracy([7, 7, 9], ['p', 'p', 'q'])).toBe(1);
    expect(groupingAccuracy(['one', 'one', 'one'], ['p', 'p', 'q'])).toBe(0);
  });

  it('is 1 for no lines and refuses labels of unequal length', () => {
    expect(groupingAccuracy([], [])).toBe(1);
    expect(() => groupingAccuracy(['a'], [])).toThrow('1 predicted labels for 0 true labels');
  });
});
