/** The report page's sections that carry charts, one function each: (report) -> markup. */
import { barChart, latencyChart } from './chart-bars.js';
import { successRateChart } from './chart-rates.js';
import { timelineChart } from './chart-timeline.js';
import { escapeHtml } from './escape.js';
import { formatCount, formatMs, formatShare, formatUtc, truncate } from './format.js';
import {
  CELL_CHARS,
  countTable,
  empty,
  figure,
  longText,
  num,
  paragraph,
  pre,
  section,
  table,
} from './html-parts.js';
import { categoryColour, SERIES_COLOURS } from './svg.js';
import type { CountRow, Report } from './types.js';

/** Rows shown in the timeline's data table: a week of minutes would make the page unwieldy. */
const TIMELINE_TABLE_ROWS = 1440;
/** Service lines drawn in the success-rate chart, besides the cumulative line. */
const CHART_SERVICES = SERIES_COLOURS.length - 1;

export function timelineSection(report: Report): string {
  if (report.timeline.length === 0) {
    return section(
      'timeline',
      'Timeline',
      empty('No record had a usable timestamp, so there is no timeline.'),
    );
  }
  const shown = report.timeline.slice(0, TIMELINE_TABLE_ROWS);
  const data = table(
    shown.length < report.timeline.length
      ? `Lines and errors per minute (first ${formatCount(shown.length)} of ${formatCount(report.timeline.length)})`
      : 'Lines and errors per minute',
    ['Minute (UTC)', num('Lines'), num('Errors')],
    shown.map((p) => [formatUtc(p.t), num(formatCount(p.lines)), num(formatCount(p.errors))]),
  );
  const caption =
    'Lines (blue) and errors (red) per minute, each panel on its own scale. ' +
    (report.anomalies.length > 0 ? 'Shaded bands are the numbered anomalies listed below.' : 'No anomalies.');
  return section(
    'timeline',
    'Timeline',
    figure(timelineChart(report.timeline, report.anomalies, 'chart-timeline'), caption, data),
  );
}

function countChart(id: string, title: string, label: string, rows: readonly CountRow[]): string {
  if (rows.length === 0) return `<h3>${escapeHtml(title)}</h3>${empty('None in this log.')}`;
  const chart = barChart(
    rows.map((r) => ({ label: r.value, value: r.count, colour: categoryColour(r.value) })),
    { id, title },
  );
  return `<h3>${escapeHtml(title)}</h3>${figure(chart, `${title}, by number of records.`, countTable(title, label, rows))}`;
}

export function distributionSection(report: Report): string {
  const body =
    `<div class="grid-2"><div>${countChart('chart-levels', 'Levels', 'Level', report.levels)}</div>` +
    `<div>${countChart('chart-statuses', 'HTTP status codes', 'Status', report.statuses)}</div></div>\n` +
    `<div class="grid-2"><div><h3>HTTP methods</h3>${report.methods.length ? countTable('HTTP methods', 'Method', report.methods) : empty('None in this log.')}</div>` +
    `<div><h3>Services</h3>${report.services.length ? countTable('Services', 'Service', report.services) : empty('None in this log.')}</div></div>`;
  return section('distribution', 'Levels, statuses, methods and services', body);
}

export function successSection(report: Report): string {
  const { services, cumulative } = report.successRate;
  if (services.length === 0)
    return section('success', 'Success rate', empty('No records, so no success rate.'));
  const series = [
    ...services.slice(0, CHART_SERVICES).map((s) => ({ name: s.service, points: s.points })),
    { name: 'all services (cumulative)', points: cumulative, dashed: true },
  ];
  const data = table(
    'Success rate by service',
    ['Service', num('Records'), num('Successes'), num('Success rate')],
    services.map((s) => [
      longText(s.service),
      num(formatCount(s.total)),
      num(formatCount(s.successes)),
      num(formatShare(s.rate)),
    ]),
  );
  const fw = report.failureWindow;
  const worst =
    fw.peakAt === null
      ? ''
      : paragraph(
          fw.peakRate === 0
            ? `No records failed in any ${fw.windowSeconds}-second window.`
            : `Worst ${fw.windowSeconds}-second window: ${formatShare(fw.peakRate)} of records failed, from ${formatUtc(fw.peakAt)}.`,
        );
  const caption =
    'Share of successful records per minute for each service, and the cumulative share for all services (dashed). ' +
    'A success is a 2xx response, or a record below ERROR when it has no status.';
  // Without dated records there is no time axis: the table alone says it.
  const chart = series.some((x) => x.points.length > 0)
    ? figure(successRateChart(series, 'chart-success'), caption)
    : empty('No record had a usable timestamp, so there is no success rate over time.');
  return section('success', 'Success rate', `${chart}\n${worst}\n${data}`);
}

export function latencySection(report: Report): string {
  if (report.slowestPaths.length === 0) {
    return section('latency', 'Slowest paths', empty('No request latencies in this log.'));
  }
  const data = table(
    'Slowest paths by p95 latency',
    ['Path', num('Requests'), num('p50'), num('p95'), num('p99'), num('Max')],
    report.slowestPaths.map((p) => [
      longText(truncate(p.path, CELL_CHARS)),
      num(formatCount(p.count)),
      num(formatMs(p.p50)),
      num(formatMs(p.p95)),
      num(formatMs(p.p99)),
      num(formatMs(p.max)),
    ]),
  );
  const chart = latencyChart(report.slowestPaths.slice(0, 10), 'chart-latency');
  return section(
    'latency',
    'Slowest paths',
    `${figure(chart, 'p50, p95 and p99 latency of the slowest paths.')}\n${data}`,
  );
}

export function templatesSection(report: Report): string {
  const t = report.templates;
  if (t.top.length === 0) return section('templates', 'Message templates', empty('No templates were mined.'));
  const chart = barChart(
    t.top.slice(0, 12).map((row, i) => ({ label: `${i + 1}. ${row.template}`, value: row.count })),
    { id: 'chart-templates', title: 'Most frequent message templates', labelWidth: 300 },
  );
  const rows = t.top
    .map((row, i) => {
      const badge = row.isNew ? ' <span class="badge">new</span>' : '';
      const examples =
        row.examples.length === 0
          ? ''
          : `<details><summary>${formatCount(row.examples.length)} examples</summary>${pre(row.examples)}</details>`;
      return (
        `<tr><th scope="row" class="num">${i + 1}</th><td class="text"><code>${escapeHtml(truncate(row.template, CELL_CHARS))}</code>` +
        `${badge}${examples}</td><td class="num">${formatCount(row.count)}</td></tr>`
      );
    })
    .join('\n');
  const tableHtml =
    '<div class="table-wrap"><table><caption>Top templates with examples</caption><thead><tr>' +
    '<th scope="col" class="num">#</th><th scope="col">Template</th><th scope="col" class="num">Count</th></tr></thead>' +
    `<tbody>${rows}</tbody></table></div>`;
  const intro = paragraph(
    `${formatCount(t.total)} distinct message templates, ${formatCount(t.newCount)} never seen in earlier uploads. ` +
      'Variable parts are shown as <*>.',
  );
  return section(
    'templates',
    'Message templates',
    `${intro}\n${figure(chart, 'Records per template.')}\n${tableHtml}`,
  );
}
