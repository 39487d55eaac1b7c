/** The report page's sections of text and tables, one function each: (report) -> markup. */
import { escapeHtml } from './escape.js';
import {
  formatBytes,
  formatCount,
  formatMs,
  formatRange,
  formatShare,
  formatUtc,
  truncate,
} from './format.js';
import {
  CELL_CHARS,
  countTable,
  empty,
  longText,
  num,
  paragraph,
  pre,
  section,
  table,
} from './html-parts.js';
import { anomalyEvidence, CLEANING_REASON_LABELS, summarySentences } from './summary.js';
import type { CountRow, Report } from './types.js';

export function headerSection(report: Report): string {
  const u = report.upload;
  const format =
    u.format === null
      ? 'not detected'
      : `${u.format}${u.formatConfidence === null ? '' : ` (confidence ${formatShare(u.formatConfidence)})`}`;
  const meta: [string, string][] = [
    ['Upload', u.id],
    ['Size', `${formatBytes(u.sizeBytes)} (${formatCount(u.sizeBytes)} bytes)`],
    ['SHA-256', u.sha256],
    ['Format', format],
    ['Service', u.service ?? 'not given'],
    ['Created', formatUtc(u.createdAt)],
    ['Completed', u.completedAt === null ? 'not yet' : formatUtc(u.completedAt)],
  ];
  return (
    `<header><h1>Log report: ${escapeHtml(u.filename)}</h1>\n` +
    `<dl class="meta">${meta.map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl></header>`
  );
}

export function summarySection(report: Report): string {
  const c = report.counts;
  const cards: [string, string, boolean][] = [
    ['Lines', formatCount(c.lines), false],
    ['Records', formatCount(c.records), false],
    ['Understood', formatShare(c.understoodShare), false],
    ['Error rate', formatShare(report.errorRate), report.errorRate >= 0.05],
    ['Anomalies', formatCount(report.anomalies.length), report.anomalies.length > 0],
    ['Templates', formatCount(report.templates.total), false],
  ];
  const cardHtml = cards
    .map(
      ([label, value, alert]) =>
        `<div class="card${alert ? ' alert' : ''}"><span class="value">${value}</span><span class="label">${label}</span></div>`,
    )
    .join('');
  const sentences = summarySentences(report)
    .map((s) => `<li>${escapeHtml(s)}</li>`)
    .join('');
  return section('summary', 'Summary', `<div class="cards">${cardHtml}</div>\n<ul>${sentences}</ul>`);
}

export function anomaliesSection(report: Report): string {
  if (report.anomalies.length === 0) return section('anomalies', 'Anomalies', empty('No anomalies found.'));
  const items = report.anomalies
    .map((a) => {
      const evidence = a.samples.length === 0 ? '' : `<p>Evidence:</p>${pre(a.samples)}`;
      return (
        `<li><h3>${escapeHtml(a.kind)} <small>${escapeHtml(formatRange(a.at, a.until))}</small></h3>` +
        `<p>${escapeHtml(a.message)}</p>` +
        `<p>${escapeHtml(anomalyEvidence(a))}</p>${evidence}</li>`
      );
    })
    .join('\n');
  return section('anomalies', 'Anomalies', `<ol class="anomalies">${items}</ol>`);
}

export function countsSection(report: Report): string {
  const c = report.counts;
  const counts = table(
    'Counts',
    ['Measure', num('Value')],
    [
      ['Lines', num(formatCount(c.lines))],
      ['Records', num(formatCount(c.records))],
      ['Parsed', num(formatCount(c.parsed))],
      ['Unparsed', num(formatCount(c.unparsed))],
      ['Dropped', num(formatCount(c.dropped))],
      ['Understood (parsed / records)', num(formatShare(c.understoodShare))],
    ],
  );
  const reasons = table(
    'Records flagged by cleaning',
    ['Reason', num('Records')],
    Object.entries(CLEANING_REASON_LABELS).map(([key, label]) => [
      label,
      num(formatCount(report.cleaning.reasons[key as keyof typeof CLEANING_REASON_LABELS])),
    ]),
  );
  const rules =
    report.cleaning.rules.length === 0
      ? empty('No clean rules were given.')
      : table(
          'Records removed by clean rules',
          ['Rule', num('Removed')],
          report.cleaning.rules.map((r) => [longText(r.rule), num(formatCount(r.removed))]),
        );
  const timings =
    report.timings.length === 0
      ? empty('No timings recorded.')
      : table(
          'Time per stage',
          ['Stage', num('Time')],
          report.timings.map((t) => [t.stage, num(formatMs(t.ms))]),
        );
  return section(
    'counts',
    'Counts, cleaning and timings',
    `<div class="grid-2"><div>${counts}</div><div>${reasons}</div></div>\n<div class="grid-2"><div>${rules}</div><div>${timings}</div></div>`,
  );
}

export function topListsSection(report: Report): string {
  const list = (title: string, label: string, rows: readonly CountRow[]) =>
    `<h3>${title}</h3>${rows.length === 0 ? empty('None in this log.') : countTable(title, label, rows, false)}`;
  return section(
    'top',
    'Top messages and paths',
    list('Top messages', 'Message', report.topMessages) + list('Top paths', 'Path', report.topPaths),
  );
}

export function sampleAndWatchlistSection(report: Report): string {
  const r = report.reservoir;
  let sample = paragraph(
    `A uniform random sample of ${formatCount(r.sample.length)} of ${formatCount(r.seen)} records was kept (capacity ${formatCount(r.k)}).`,
  );
  if (r.estimatedTopStatuses.length > 0) {
    sample += table(
      'Status counts estimated from the sample, beside the exact counts',
      ['Status', num('Estimated'), num('Exact')],
      r.estimatedTopStatuses.map((s) => [
        String(s.status),
        num(formatCount(s.estimated)),
        num(formatCount(s.exact)),
      ]),
    );
  }
  const w = report.watchlist;
  let watch: string;
  if (w.terms.length === 0) watch = empty('No watchlist was given.');
  else {
    watch =
      `<p>Watching ${formatCount(w.terms.length)} terms: ${w.terms.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')}. ` +
      `Filter false-positive rate ${formatShare(w.falsePositiveRate)}; matches are confirmed exactly. ` +
      `${formatCount(w.matched)} records matched.</p>`;
    watch +=
      w.matches.length === 0
        ? empty('No matches.')
        : table(
            'Watchlist matches',
            [num('Line'), 'Term', 'Message'],
            w.matches.map((m) => [
              num(formatCount(m.line)),
              longText(m.term),
              longText(truncate(m.message, CELL_CHARS)),
            ]),
          );
  }
  return section('sample', 'Sample', sample) + section('watchlist', 'Watchlist', watch);
}
