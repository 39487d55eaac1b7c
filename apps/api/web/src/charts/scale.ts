/** Pure chart arithmetic: axis ranges, ticks and SVG paths, testable without a browser. */

/** The smallest 1, 2 or 5 x 10^k at or above `max` (an axis top that reads well); 1 for nothing. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** `count` + 1 evenly spaced ticks from 0 to `top`. */
export function ticks(top: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (top * i) / count);
}

export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Maps data to the plot area of `box`: x from [x0, x1], y from [0, yTop] (y grows downwards in SVG). */
export function scales(box: Box, x0: number, x1: number, yTop: number) {
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const span = x1 - x0 || 1;
  return {
    x: (v: number) => box.left + ((v - x0) / span) * plotW,
    y: (v: number) => box.top + plotH - (v / (yTop || 1)) * plotH,
    plotW,
    plotH,
  };
}

/** An SVG path through the points, rounded to 0.1 px. */
export function linePath(points: [number, number][]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
}

/** The same path closed down to the baseline `y0`, for a filled area. */
export function areaPath(points: [number, number][], y0: number): string {
  if (points.length === 0) return '';
  const first = points[0]!;
  const last = points.at(-1)!;
  return `${linePath(points)}L${last[0].toFixed(1)},${y0.toFixed(1)}L${first[0].toFixed(1)},${y0.toFixed(1)}Z`;
}

/** Share of `max` as a width in 0..100 (percent), at least 0.5 for any non-zero value so it stays visible. */
export function barPercent(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.max(0.5, Math.min(100, (value / max) * 100));
}
