import { describe, expect, it } from 'vitest';
import { areaPath, barPercent, linePath, niceMax, scales, ticks } from './scale.js';

describe('chart arithmetic', () => {
  it('rounds an axis top up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 7, 12, 120, 180, 250, 999, 1000, 1001].map(niceMax)).toEqual([
      1, 0.5, 1, 10, 20, 200, 200, 500, 1000, 1000, 2000,
    ]);
    expect(ticks(200)).toEqual([0, 50, 100, 150, 200]);
  });

  it('maps data onto the plot area, y growing downwards', () => {
    const s = scales({ width: 100, height: 50, left: 10, right: 10, top: 5, bottom: 5 }, 1000, 2000, 200);
    expect([s.x(1000), s.x(1500), s.x(2000)]).toEqual([10, 50, 90]);
    expect([s.y(0), s.y(100), s.y(200)]).toEqual([45, 25, 5]);
  });

  it('draws paths and bar widths', () => {
    expect(
      linePath([
        [0, 1],
        [2.25, 3],
      ]),
    ).toBe('M0.0,1.0L2.3,3.0');
    expect(
      areaPath(
        [
          [0, 1],
          [2, 3],
        ],
        10,
      ),
    ).toBe('M0.0,1.0L2.0,3.0L2.0,10.0L0.0,10.0Z');
    expect(areaPath([], 10)).toBe('');
    expect([barPercent(50, 200), barPercent(200, 200), barPercent(1, 100_000), barPercent(0, 10)]).toEqual([
      25, 100, 0.5, 0,
    ]);
  });
});
