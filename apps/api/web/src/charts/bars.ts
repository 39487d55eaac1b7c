import { h, svg } from '../dom.js';
import { barPercent } from './scale.js';

export interface BarRow {
  label: string;
  value: number;
  /** Colour class: ok, warn, bad, info (see styles.css). */
  tone?: string;
  /** Text shown beside the bar; the value when absent. */
  note?: string;
}

/**
 * A horizontal bar chart as rows of label | bar | value. The bar is an SVG stretched to the row's width,
 * so labels stay crisp text at any screen size; the figure's caption names the chart for screen readers.
 */
export function barChart(title: string, rows: BarRow[], empty = 'nothing to show'): HTMLElement {
  const max = Math.max(0, ...rows.map((r) => r.value));
  return h(
    'figure',
    { class: 'chart bars', 'data-chart': title },
    h('figcaption', {}, title),
    rows.length === 0
      ? h('p', { class: 'empty' }, empty)
      : h(
          'ul',
          { class: 'bar-rows' },
          ...rows.map((r) =>
            h(
              'li',
              {},
              h('span', { class: 'bar-label', title: r.label }, r.label),
              svg(
                'svg',
                {
                  class: 'bar-track',
                  viewBox: '0 0 100 10',
                  preserveAspectRatio: 'none',
                  role: 'img',
                  'aria-label': `${r.label}: ${r.note ?? r.value}`,
                },
                svg('rect', {
                  class: `bar ${r.tone ?? 'info'}`,
                  x: 0,
                  y: 0,
                  height: 10,
                  width: barPercent(r.value, max).toFixed(2),
                }),
              ),
              h('span', { class: 'bar-value' }, r.note ?? r.value.toLocaleString('en-US')),
            ),
          ),
        ),
  );
}
