/**
 * Small pure helpers the charts are written with: elements with escaped attributes, linear scales,
 * "nice" value ticks and UTC time ticks. Charts are strings of SVG meant to sit inline in the HTML
 * page; they carry their own presentation attributes so they also read well on their own.
 */
import { escapeHtml } from './escape.js';

export type Attributes = Record<string, string | number | undefined>;

/** A coordinate or length with at most one decimal: keeps the SVG small and the bytes stable. */
export function num(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

function attributes(attrs: Attributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeHtml(value)}"`;
  }
  return out;
}

/** An element; `children` is markup (already escaped), absent for an empty element. */
export function el(name: string, attrs: Attributes, children?: string): string {
  return children === undefined
    ? `<${name}${attributes(attrs)}/>`
    : `<${name}${attributes(attrs)}>${children}</${name}>`;
}

/** A text element holding untrusted text, escaped. */
export function text(x: number, y: number, content: string, attrs: Attributes = {}): string {
  return el('text', { x, y, ...attrs }, escapeHtml(content));
}

/** A tooltip for the enclosing element: its text is read by screen readers too. */
export function tooltip(content: string): string {
  return `<title>${escapeHtml(content)}</title>`;
}

export interface ChartFrame {
  /** Unique within the page: prefixes the ids that aria-labelledby points at. */
  id: string;
  width: number;
  height: number;
  title: string;
  /** The chart's content in words: its text alternative. */
  description: string;
}

/** The `<svg>` root: scales to its container's width and is labelled by its title and description. */
export function svgRoot(frame: ChartFrame, body: string): string {
  const titleId = `${frame.id}-title`;
  const descId = `${frame.id}-desc`;
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${num(frame.width)} ${num(frame.height)}`,
      role: 'img',
      'aria-labelledby': `${titleId} ${descId}`,
      'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      'font-size': 12,
      fill: '#333',
      // Wide charts keep a larger minimum width on narrow screens (see REPORT_CSS) and scroll instead.
      class: frame.width > 700 ? 'chart chart-wide' : 'chart',
    },
    el('title', { id: titleId }, escapeHtml(frame.title)) +
      el('desc', { id: descId }, escapeHtml(frame.description)) +
      body,
  );
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to r0. */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return span === 0 ? () => r0 : (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Round tick values (1, 2 or 5 times a power of ten) covering [min, max], at most about `count` + 1. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min, min + 1];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v < max + step * 0.999; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/**
 * Tick times on whole UTC minutes, hours or days within [from, to], at most `count` of them,
 * and whether labels need the date (the range spans more than one UTC day).
 */
export function timeTicks(from: number, to: number, count = 7): { ticks: number[]; withDate: boolean } {
  const span = Math.max(to - from, 1);
  const step = TIME_STEPS.find((s) => span / s <= count) ?? Math.ceil(span / count / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  const withDate = Math.floor(from / DAY) !== Math.floor(to / DAY);
  return { ticks, withDate };
}

/** Largest and smallest of many values without spreading them into arguments (which overflows the stack). */
export function maxOf(values: Iterable<number>, empty = 0): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  return max === Number.NEGATIVE_INFINITY ? empty : max;
}

export function minOf(values: Iterable<number>, empty = 0): number {
  let min = Number.POSITIVE_INFINITY;
  for (const v of values) if (v < min) min = v;
  return min === Number.POSITIVE_INFINITY ? empty : min;
}

/** The shortest gap between consecutive times: the bucket width of a series (default one minute). */
export function bucketWidth(times: readonly number[]): number {
  let width = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] as number) - (times[i - 1] as number);
    if (gap > 0 && gap < width) width = gap;
  }
  return Number.isFinite(width) ? width : MINUTE;
}

/** Colour-blind-safe series colours (Okabe and Ito), in the order series are given them. */
export const SERIES_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#000000',
  '#F0E442',
];

export const COLOURS = {
  lines: '#0072B2',
  errors: '#D55E00',
  anomaly: '#E69F00',
  grid: '#e3e3e3',
  axis: '#888',
  muted: '#666',
  bar: '#0072B2',
};

/** Bar colour for an HTTP status class or a level name; the default blue for anything else. */
export function categoryColour(value: string): string {
  if (/^2\d\d$/.test(value)) return '#009E73';
  if (/^3\d\d$/.test(value)) return '#56B4E9';
  if (/^4\d\d$/.test(value)) return '#E69F00';
  if (/^5\d\d$/.test(value)) return '#D55E00';
  switch (value.toUpperCase()) {
    case 'TRACE':
    case 'DEBUG':
      return '#999999';
    case 'WARN':
      return '#E69F00';
    case 'ERROR':
      return '#D55E00';
    case 'FATAL':
      return '#8B1A00';
    default:
      return COLOURS.bar;
  }
}
