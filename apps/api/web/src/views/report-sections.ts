import { type BarRow, barChart } from '../charts/bars.js';
import { timelineChart } from '../charts/timeline.js';
import { h } from '../dom.js';
import { formatCount, formatDuration, formatShare, formatTime } from '../format.js';
import type { Report } from '../types.js';

const LEVEL_TONE: Record<string, string> = {
  FATAL: 'bad',
  ERROR: 'bad',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'muted',
  TRACE: 'muted',
};
const statusTone = (code: string) =>
  code.startsWith('5') ? 'bad' : code.startsWith('4') ? 'warn' : code.startsWith('3') ? 'muted' : 'ok';

export function summaryTiles(r: Report): HTMLElement {
  const tile = (label: string, value: string) =>
    h('div', { class: 'tile' }, h('span', { class: 'tile-value' }, value), h('span', {}, label));
  return h(
    'section',
    { class: 'tiles', 'aria-label': 'Summary' },
    tile('lines', formatCount(r.counts.lines)),
    tile('records', formatCount(r.counts.records)),
    tile('understood', formatShare(r.counts.understoodShare)),
    tile('error rate', formatShare(r.errorRate)),
    tile('dropped', formatCount(r.counts.dropped)),
    tile('templates', formatCount(r.templates.total)),
  );
}

export function timelineSection(r: Report): HTMLElement {
  return timelineChart({
    points: r.timeline,
    marks: r.anomalies.map((a) => ({
      at: a.at,
      ...(a.until ? { until: a.until } : {}),
      label: `${a.kind}: ${a.message}`,
    })),
  });
}

export function levelsChart(r: Report): HTMLElement {
  return barChart(
    'Levels',
    r.levels.map((l): BarRow => ({ label: l.value, value: l.count, tone: LEVEL_TONE[l.value] ?? 'info' })),
    'no levels in this upload',
  );
}

export function statusChart(r: Report): HTMLElement {
  return barChart(
    'Status codes',
    r.statuses.map((s): BarRow => ({ label: s.value, value: s.count, tone: statusTone(s.value) })),
    'no HTTP status codes in this upload',
  );
}

export function latencyChart(r: Report): HTMLElement {
  const rows = r.slowestPaths.slice(0, 10).flatMap((p): BarRow[] => [
    {
      label: p.path,
      value: p.p95,
      tone: 'warn',
      note: `p95 ${formatDuration(p.p95)} · p50 ${formatDuration(p.p50)} · p99 ${formatDuration(p.p99)} (${formatCount(p.count)})`,
    },
  ]);
  return barChart('Latency: slowest paths by p95', rows, 'no latencies in this upload');
}

export function templatesTable(r: Report): HTMLElement {
  const top = r.templates.top.slice(0, 15);
  return h(
    'figure',
    { class: 'chart templates', 'data-chart': 'Top templates' },
    h(
      'figcaption',
      {},
      `Top templates (${formatCount(r.templates.total)} in all, ${formatCount(r.templates.newCount)} new)`,
    ),
    top.length === 0
      ? h('p', { class: 'empty' }, 'no messages to group')
      : barChart(
          'Messages per template',
          top.map(
            (t): BarRow => ({
              label: t.isNew ? `new · ${t.template}` : t.template,
              value: t.count,
              tone: t.isNew ? 'warn' : 'info',
            }),
          ),
        ),
  );
}

export function anomaliesList(r: Report): HTMLElement {
  return h(
    'section',
    { class: 'card anomalies', 'aria-labelledby': 'anomalies-title' },
    h('h2', { id: 'anomalies-title' }, `Anomalies (${r.anomalies.length})`),
    r.anomalies.length === 0
      ? h('p', { class: 'empty' }, 'nothing unusual found')
      : h(
          'ol',
          {},
          ...r.anomalies.map((a) =>
            h(
              'li',
              { 'data-anomaly': a.kind },
              h('strong', {}, a.kind),
              ` at ${formatTime(a.at)} UTC: `,
              a.message,
              a.samples.length
                ? h(
                    'details',
                    {},
                    h('summary', {}, `${a.samples.length} sample lines`),
                    h('pre', {}, a.samples.join('\n')),
                  )
                : null,
            ),
          ),
        ),
  );
}

export function timingsChart(r: Report): HTMLElement {
  return barChart(
    'Stage timings',
    r.timings.map((t): BarRow => ({ label: t.stage, value: t.ms, note: formatDuration(t.ms) })),
    'no timings recorded',
  );
}
