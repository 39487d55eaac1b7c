/**
 * Lines and errors per minute as two stacked bar panels sharing a UTC time axis, with anomalies
 * shaded and numbered (the numbers match the report's anomaly list). Errors get their own panel and
 * scale: on the lines' scale a 1% error rate would be invisible.
 */
import { formatClock, formatCompact, formatCount, formatRange } from './format.js';
import {
  bucketWidth,
  COLOURS,
  el,
  linearScale,
  maxOf,
  niceTicks,
  num,
  svgRoot,
  text,
  timeTicks,
  tooltip,
} from './svg.js';
import type { Anomaly, TimelinePoint } from './types.js';

const WIDTH = 960;
const HEIGHT = 310;
const LEFT = 56;
const RIGHT = WIDTH - 16;
const LINES_PANEL = { top: 46, bottom: 176 };
const ERRORS_PANEL = { top: 206, bottom: 272 };
const AXIS_LABELS_Y = 290;
/** Baseline of the anomaly numbers, between the panel title and the plot. */
const MARKERS_Y = 38;

/** One path of rectangles, one per bucket: compact even with thousands of buckets. */
function barsPath(
  points: readonly TimelinePoint[],
  value: (p: TimelinePoint) => number,
  x: (t: number) => number,
  y: (v: number) => number,
  width: number,
): string {
  const barWidth = Math.max(0.5, (x(width) - x(0)) * 0.8);
  let d = '';
  for (const p of points) {
    const v = value(p);
    if (v <= 0) continue;
    const top = y(v);
    d += `M${num(x(p.t) + (x(width) - x(0)) * 0.1)} ${num(top)}h${num(barWidth)}V${num(y(0))}h${num(-barWidth)}Z`;
  }
  return d;
}

/** Grid lines and value labels of one panel, and its title at `titleY` (a text baseline). */
function yAxis(ticks: number[], y: (v: number) => number, title: string, titleY: number): string {
  let out = '';
  for (const tick of ticks) {
    out += el('line', { x1: LEFT, x2: RIGHT, y1: y(tick), y2: y(tick), stroke: COLOURS.grid });
    out += text(LEFT - 6, y(tick) + 4, formatCompact(tick), { 'text-anchor': 'end', fill: COLOURS.muted });
  }
  return out + text(6, titleY, title, { 'font-weight': 600 });
}

export function timelineChart(
  points: readonly TimelinePoint[],
  anomalies: readonly Anomaly[],
  id: string,
): string {
  const width = bucketWidth(points.map((p) => p.t));
  const first = points[0]?.t ?? 0;
  const end = (points.at(-1)?.t ?? 0) + width;
  const x = linearScale([first, end], [LEFT, RIGHT]);
  const maxLines = maxOf(points.map((p) => p.lines));
  const maxErrors = maxOf(points.map((p) => p.errors));
  const lineTicks = niceTicks(0, maxLines);
  const errorTicks = niceTicks(0, Math.max(maxErrors, 1));
  const yLines = linearScale([0, lineTicks.at(-1) as number], [LINES_PANEL.bottom, LINES_PANEL.top]);
  const yErrors = linearScale([0, errorTicks.at(-1) as number], [ERRORS_PANEL.bottom, ERRORS_PANEL.top]);
  const unit = width === 60_000 ? 'minute' : `${formatCount(width / 60_000, 1)} min`;

  let body = yAxis(lineTicks, yLines, `Lines per ${unit}`, 16);
  body += yAxis(errorTicks, yErrors, `Errors per ${unit}`, ERRORS_PANEL.top - 10);

  anomalies.forEach((a, i) => {
    const from = Math.max(LEFT, Math.min(RIGHT, x(a.at)));
    const to = Math.max(LEFT, Math.min(RIGHT, x(a.until ?? a.at + width)));
    const band = el('rect', {
      x: from,
      y: LINES_PANEL.top - 4,
      width: Math.max(2, to - from),
      height: ERRORS_PANEL.bottom - LINES_PANEL.top + 4,
      fill: COLOURS.anomaly,
      'fill-opacity': 0.18,
      stroke: COLOURS.anomaly,
      'stroke-width': 1,
    });
    const marker = text((from + Math.max(from + 2, to)) / 2, MARKERS_Y, String(i + 1), {
      'text-anchor': 'middle',
      'font-weight': 700,
      fill: '#8a5a00',
    });
    body += el('g', { class: 'anomaly' }, tooltip(`Anomaly ${i + 1}: ${a.message}`) + band + marker);
  });

  body += el('path', { d: barsPath(points, (p) => p.lines, x, yLines, width), fill: COLOURS.lines });
  body += el('path', { d: barsPath(points, (p) => p.errors, x, yErrors, width), fill: COLOURS.errors });

  const { ticks, withDate } = timeTicks(first, end);
  for (const t of ticks) {
    body += el('line', {
      x1: x(t),
      x2: x(t),
      y1: ERRORS_PANEL.bottom,
      y2: ERRORS_PANEL.bottom + 5,
      stroke: COLOURS.axis,
    });
    body += text(x(t), AXIS_LABELS_Y, formatClock(t, withDate), {
      'text-anchor': 'middle',
      fill: COLOURS.muted,
    });
  }
  body += el('line', {
    x1: LEFT,
    x2: RIGHT,
    y1: LINES_PANEL.bottom,
    y2: LINES_PANEL.bottom,
    stroke: COLOURS.axis,
  });
  body += el('line', {
    x1: LEFT,
    x2: RIGHT,
    y1: ERRORS_PANEL.bottom,
    y2: ERRORS_PANEL.bottom,
    stroke: COLOURS.axis,
  });
  body += text(RIGHT, HEIGHT - 4, 'time (UTC)', { 'text-anchor': 'end', fill: COLOURS.muted });

  const peak = points.reduce<TimelinePoint | undefined>(
    (best, p) => (!best || p.lines > best.lines ? p : best),
    undefined,
  );
  const totalErrors = points.reduce((sum, p) => sum + p.errors, 0);
  const description =
    `${formatRange(first, end)}. ` +
    (peak
      ? `Busiest ${unit} ${formatClock(peak.t, withDate)} UTC with ${formatCount(peak.lines)} lines. `
      : '') +
    `${formatCount(totalErrors)} errors in all, at most ${formatCount(maxErrors)} per ${unit}. ` +
    `${anomalies.length} ${anomalies.length === 1 ? 'anomaly' : 'anomalies'} marked.`;
  return svgRoot(
    { id, width: WIDTH, height: HEIGHT, title: 'Lines and errors over time', description },
    body,
  );
}
