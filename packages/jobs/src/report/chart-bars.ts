/** Horizontal bar charts: one labelled bar per row (levels, status codes, templates), and latency groups. */
import { formatCount, formatMs, truncate } from './format.js';
import { COLOURS, el, linearScale, maxOf, niceTicks, SERIES_COLOURS, svgRoot, text, tooltip } from './svg.js';

export interface BarRow {
  label: string;
  value: number;
  /** Fill colour; default blue. */
  colour?: string;
}

export interface BarChartOptions {
  id: string;
  title: string;
  /** How values read, e.g. counts or durations. Default: counts with thousands separators. */
  formatValue?: (value: number) => string;
  /** Label column width in SVG units (default 180): templates want a wider one. */
  labelWidth?: number;
}

const WIDTH = 640;
const ROW = 22;
const LABEL_CHARS_PER_UNIT = 1 / 6.6; // approximate width of a 12px system-font character

export function barChart(rows: readonly BarRow[], options: BarChartOptions): string {
  const labelWidth = options.labelWidth ?? 180;
  const formatValue = options.formatValue ?? ((v: number) => formatCount(v));
  const left = labelWidth + 8;
  const right = WIDTH - 70; // room for the value after the longest bar
  const max = maxOf(rows.map((r) => r.value));
  const x = linearScale([0, max || 1], [left, right]);
  const maxChars = Math.floor(labelWidth * LABEL_CHARS_PER_UNIT);
  let body = '';
  rows.forEach((row, i) => {
    const y = 4 + i * ROW;
    const value = formatValue(row.value);
    body += el(
      'g',
      {},
      tooltip(`${row.label}: ${value}`) +
        text(labelWidth, y + 15, truncate(row.label, maxChars), { 'text-anchor': 'end' }) +
        el('rect', {
          x: left,
          y: y + 3,
          width: Math.max(row.value > 0 ? 1 : 0, x(row.value) - left),
          height: ROW - 6,
          fill: row.colour ?? COLOURS.bar,
        }) +
        text(x(row.value) + 6, y + 15, value, { fill: COLOURS.muted }),
    );
  });
  body += el('line', { x1: left, x2: left, y1: 2, y2: 6 + rows.length * ROW, stroke: COLOURS.axis });
  const description = rows.map((r) => `${r.label}: ${formatValue(r.value)}`).join('; ');
  return svgRoot(
    { id: options.id, width: WIDTH, height: rows.length * ROW + 10, title: options.title, description },
    body,
  );
}

export interface LatencyRow {
  path: string;
  p50: number;
  p95: number;
  p99: number;
}

const PERCENTILES = ['p50', 'p95', 'p99'] as const;
const LATENCY_COLOURS = { p50: SERIES_COLOURS[4], p95: SERIES_COLOURS[0], p99: SERIES_COLOURS[5] };

/** Per path, three bars: p50, p95 and p99 latency in ms, on one shared scale with a legend on top. */
export function latencyChart(rows: readonly LatencyRow[], id: string): string {
  const labelWidth = 220;
  const left = labelWidth + 8;
  const right = WIDTH - 80;
  const group = 3 * 12 + 14;
  const top = 40;
  const ticks = niceTicks(0, Math.max(1, maxOf(rows.map((r) => r.p99))));
  const x = linearScale([0, ticks.at(-1) as number], [left, right]);
  const maxChars = Math.floor(labelWidth * LABEL_CHARS_PER_UNIT);
  let body = '';
  PERCENTILES.forEach((p, i) => {
    body += el('rect', { x: left + i * 70, y: 6, width: 12, height: 12, fill: LATENCY_COLOURS[p] });
    body += text(left + i * 70 + 16, 16, p);
  });
  for (const tick of ticks) {
    const height = top + rows.length * group;
    body += el('line', { x1: x(tick), x2: x(tick), y1: top - 6, y2: height, stroke: COLOURS.grid });
    body += text(x(tick), top - 10, formatMs(tick), {
      'text-anchor': 'middle',
      fill: COLOURS.muted,
      'font-size': 10,
    });
  }
  rows.forEach((row, i) => {
    const y = top + i * group;
    let bars = text(labelWidth, y + 22, truncate(row.path, maxChars), { 'text-anchor': 'end' });
    PERCENTILES.forEach((p, j) => {
      const barY = y + 4 + j * 12;
      bars += el('rect', {
        x: left,
        y: barY,
        width: Math.max(1, x(row[p]) - left),
        height: 10,
        fill: LATENCY_COLOURS[p],
      });
      bars += text(x(row[p]) + 4, barY + 9, formatMs(row[p]), { fill: COLOURS.muted, 'font-size': 10 });
    });
    const summary = `${row.path}: p50 ${formatMs(row.p50)}, p95 ${formatMs(row.p95)}, p99 ${formatMs(row.p99)}`;
    body += el('g', {}, tooltip(summary) + bars);
  });
  const description = rows
    .map((r) => `${r.path}: p50 ${formatMs(r.p50)}, p95 ${formatMs(r.p95)}, p99 ${formatMs(r.p99)}`)
    .join('; ');
  return svgRoot(
    {
      id,
      width: WIDTH,
      height: top + rows.length * group + 6,
      title: 'Latency of the slowest paths',
      description,
    },
    body,
  );
}
