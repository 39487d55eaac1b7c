/**
 * Success rate over time: one line per service plus the cumulative rate of all services (dashed).
 * The y axis starts at the highest of 0, 50, 80, 90, 95 or 99% below the lowest point, so a dip from
 * 99.9% to 97% is visible instead of flattened against 100%.
 */
import { formatClock, formatShare, truncate } from './format.js';
import {
  bucketWidth,
  COLOURS,
  el,
  linearScale,
  minOf,
  num,
  SERIES_COLOURS,
  svgRoot,
  text,
  timeTicks,
  tooltip,
} from './svg.js';
import type { RatePoint } from './types.js';

export interface RateSeries {
  name: string;
  points: readonly RatePoint[];
  dashed?: boolean;
}

const WIDTH = 960;
const HEIGHT = 280;
const LEFT = 56;
const RIGHT = WIDTH - 16;
const BOTTOM = 244;
const FLOORS = [0.99, 0.95, 0.9, 0.8, 0.5, 0];

/**
 * A polyline broken wherever a bucket is missing, so a silent service does not draw a false slope.
 * Each piece starts with a zero-length segment: with round caps a lone point still shows as a dot.
 */
function linePath(
  points: readonly RatePoint[],
  width: number,
  x: (t: number) => number,
  y: (v: number) => number,
) {
  let d = '';
  let previous: number | undefined;
  for (const p of points) {
    const command = previous !== undefined && p.t - previous <= width ? 'L' : 'M';
    d += `${command}${num(x(p.t + width / 2))} ${num(y(p.rate))}${command === 'M' ? 'h0' : ''}`;
    previous = p.t;
  }
  return d;
}

interface LegendItem {
  name: string;
  x: number;
  /** Text baseline. */
  y: number;
}

/** Legend entries left to right, wrapping to a new row when the next would pass the right edge. */
function legendLayout(names: readonly string[]): { items: LegendItem[]; height: number } {
  const items: LegendItem[] = [];
  let x = LEFT;
  let y = 18;
  for (const name of names) {
    const width = 22 + name.length * 7 + 18; // swatch, gap, text at ~7 units a character, spacing
    if (x > LEFT && x + width > RIGHT) {
      x = LEFT;
      y += 18;
    }
    items.push({ name, x, y });
    x += width;
  }
  return { items, height: y };
}

export function successRateChart(series: readonly RateSeries[], id: string): string {
  const all = series.flatMap((s) => s.points);
  const times = [...new Set(all.map((p) => p.t))].sort((a, b) => a - b);
  const width = bucketWidth(times);
  const first = times[0] ?? 0;
  const end = (times.at(-1) ?? 0) + width;
  const lowest = minOf(
    all.map((p) => p.rate),
    1,
  );
  const floor = FLOORS.find((f) => f <= lowest - 0.005) ?? 0;
  const legend = legendLayout(series.map((s) => truncate(s.name, 24)));
  const top = legend.height + 24;
  const x = linearScale([first, end], [LEFT, RIGHT]);
  const y = linearScale([floor, 1], [BOTTOM, top]);
  let body = '';
  for (let i = 0; i <= 4; i++) {
    const v = floor + ((1 - floor) * i) / 4;
    body += el('line', { x1: LEFT, x2: RIGHT, y1: y(v), y2: y(v), stroke: COLOURS.grid });
    body += text(LEFT - 6, y(v) + 4, `${Number((v * 100).toFixed(2))}%`, {
      'text-anchor': 'end',
      fill: COLOURS.muted,
    });
  }
  series.forEach((s, i) => {
    const colour = s.dashed ? '#333' : (SERIES_COLOURS[i % SERIES_COLOURS.length] as string);
    const { x: legendX, y: legendY, name } = legend.items[i] as LegendItem;
    body += el('line', {
      x1: legendX,
      x2: legendX + 18,
      y1: legendY - 4,
      y2: legendY - 4,
      stroke: colour,
      'stroke-width': 2.5,
      'stroke-dasharray': s.dashed ? '5 3' : undefined,
    });
    body += text(legendX + 22, legendY, name);
    const line = el('path', {
      d: linePath(s.points, width, x, y),
      fill: 'none',
      stroke: colour,
      'stroke-width': s.dashed ? 1.5 : 2,
      'stroke-dasharray': s.dashed ? '5 3' : undefined,
      'stroke-linejoin': 'round',
      'stroke-linecap': 'round',
    });
    body += el('g', {}, tooltip(s.name) + line);
  });
  const { ticks, withDate } = timeTicks(first, end);
  for (const t of ticks) {
    body += el('line', { x1: x(t), x2: x(t), y1: BOTTOM, y2: BOTTOM + 5, stroke: COLOURS.axis });
    body += text(x(t), BOTTOM + 18, formatClock(t, withDate), {
      'text-anchor': 'middle',
      fill: COLOURS.muted,
    });
  }
  body += el('line', { x1: LEFT, x2: RIGHT, y1: BOTTOM, y2: BOTTOM, stroke: COLOURS.axis });
  body += text(RIGHT, HEIGHT - 4, 'time (UTC)', { 'text-anchor': 'end', fill: COLOURS.muted });
  const description = series
    .map((s) => {
      const rates = s.points.map((p) => p.rate);
      return rates.length === 0
        ? `${s.name}: no data`
        : `${s.name}: lowest ${formatShare(Math.min(...rates))}, last ${formatShare(rates.at(-1) as number)}`;
    })
    .join('; ');
  return svgRoot({ id, width: WIDTH, height: HEIGHT, title: 'Success rate over time', description }, body);
}
