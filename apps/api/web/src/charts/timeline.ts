import { h, svg } from '../dom.js';
import { formatTime } from '../format.js';
import { areaPath, type Box, linePath, niceMax, scales, ticks } from './scale.js';

export interface TimelineInput {
  points: { t: number; lines: number; errors: number }[];
  /** Shaded spans (anomalies): start and end, epoch ms, with a label. */
  marks: { at: number; until?: number; label: string }[];
}

const BOX: Box = { width: 640, height: 220, left: 48, right: 12, top: 12, bottom: 28 };

/** Lines and errors per bucket over time, with anomalies shaded. */
export function timelineChart({ points, marks }: TimelineInput): HTMLElement {
  const figure = h(
    'figure',
    { class: 'chart timeline', 'data-chart': 'Timeline' },
    h('figcaption', {}, 'Lines and errors over time'),
  );
  if (points.length === 0) {
    figure.append(h('p', { class: 'empty' }, 'no timestamps in this upload'));
    return figure;
  }
  const t0 = points[0]!.t;
  const step = points.length > 1 ? points[1]!.t - t0 : 60_000;
  const t1 = points.at(-1)!.t + step;
  const top = niceMax(Math.max(...points.map((p) => p.lines)));
  const s = scales(BOX, t0, t1, top);
  const base = s.y(0);
  const series = (key: 'lines' | 'errors') =>
    points.flatMap((p): [number, number][] => [
      [s.x(p.t), s.y(p[key])],
      [s.x(p.t + step), s.y(p[key])],
    ]);
  const totalErrors = points.reduce((n, p) => n + p.errors, 0);
  const totalLines = points.reduce((n, p) => n + p.lines, 0);
  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${BOX.width} ${BOX.height}`,
      role: 'img',
      'aria-label': `Timeline from ${formatTime(t0)} to ${formatTime(t1)}: ${totalLines} lines, ${totalErrors} errors, ${marks.length} anomalies`,
    },
    ...ticks(top).map((v) =>
      svg(
        'g',
        { class: 'grid' },
        svg('line', { x1: BOX.left, x2: BOX.width - BOX.right, y1: s.y(v), y2: s.y(v) }),
        svg(
          'text',
          { x: BOX.left - 6, y: s.y(v) + 4, 'text-anchor': 'end' },
          Math.round(v).toLocaleString('en-US'),
        ),
      ),
    ),
    ...marks.map((m) =>
      svg(
        'rect',
        {
          class: 'mark',
          x: s.x(m.at),
          y: BOX.top,
          width: Math.max(2, s.x(m.until ?? m.at + step) - s.x(m.at)),
          height: s.plotH,
        },
        svg('title', {}, m.label),
      ),
    ),
    svg('path', { class: 'area lines', d: areaPath(series('lines'), base), 'data-series': 'lines' }),
    svg('path', { class: 'line lines', d: linePath(series('lines')) }),
    svg('path', { class: 'area errors', d: areaPath(series('errors'), base), 'data-series': 'errors' }),
    svg('path', { class: 'line errors', d: linePath(series('errors')) }),
    svg('text', { class: 'axis', x: BOX.left, y: BOX.height - 8 }, formatTime(t0)),
    svg(
      'text',
      { class: 'axis', x: BOX.width - BOX.right, y: BOX.height - 8, 'text-anchor': 'end' },
      formatTime(t1),
    ),
  );
  figure.append(
    chart,
    h(
      'p',
      { class: 'legend' },
      h('span', { class: 'key lines' }, 'lines'),
      h('span', { class: 'key errors' }, 'errors'),
      marks.length ? h('span', { class: 'key mark' }, 'anomaly') : null,
      ` per ${Math.round(step / 1000)} s, UTC`,
    ),
  );
  return figure;
}
