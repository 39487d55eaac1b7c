import { describe, expect, it } from 'vitest';
import { HeavyHitters } from '../stats/heavy-hitters.js';
import { topRow } from './build.js';

describe('topRow', () => {
  it('gives exact counts while the summary kept every value, and the range of the true count once it evicted', () => {
    const exact = new HeavyHitters(3);
    for (const m of ['a', 'a', 'b']) exact.add(m);
    expect(exact.top().map(topRow)).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 1 },
    ]);

    // Two counters, 20 distinct messages seen once each and then 'hot' 5 times.
    const bounded = new HeavyHitters(2);
    for (let i = 0; i < 20; i++) bounded.add(`m${i}`);
    for (let i = 0; i < 5; i++) bounded.add('hot');
    const rows = bounded.top().map(topRow);
    for (const row of rows) {
      const truth = row.value === 'hot' ? 5 : 1;
      expect(row.atLeast).toBeDefined();
      expect(row.atLeast as number).toBeLessThanOrEqual(truth);
      expect(row.count).toBeGreaterThanOrEqual(truth);
    }
    expect(rows.find((r) => r.value === 'hot')?.atLeast).toBeGreaterThanOrEqual(1);
  });
});
