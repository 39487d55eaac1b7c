/**
 * The report as Markdown (GFM tables): readable as plain text and rendered by any Markdown viewer.
 * Text from the logs is escaped (`escapeMarkdown`) or fenced (`markdownCodeBlock`), never pasted raw.
 */
import { escapeMarkdown, markdownCodeBlock } from './escape.js';
import {
  formatBytes,
  formatCount,
  formatRange,
  formatShare,
  formatUtc,
  formatValue,
  truncate,
} from './format.js';
import {
  anomalyEvidence,
  BOUNDED_COUNTS_SENTENCE,
  CLEANING_REASON_LABELS,
  isEmptyReport,
  peaks,
  summarySentences,
  withShares,
} from './summary.js';
import type { CountRow, Report } from './types.js';

/** Longest log text shown in a table cell, in characters. */
const CELL_CHARS = 160;

function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: readonly number[] = [],
) {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = headers.map((_, i) => (rightAligned.includes(i) ? '---:' : '---'));
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}

function cell(untrusted: string): string {
  return escapeMarkdown(truncate(untrusted, CELL_CHARS));
}

/**
 * A count list; `withShare` adds each row's share of the list's total, which only means something
 * when the list is complete (levels, statuses), not for a top-N list.
 */
function countTable(label: string, rows: readonly CountRow[], withShare = true): string {
  if (rows.length === 0) return '_None._';
  if (!withShare) {
    if (rows.some((r) => r.atLeast !== undefined)) {
      return `${table(
        [label, 'At least', 'At most'],
        rows.map((r) => [cell(r.value), formatCount(r.atLeast ?? r.count), formatCount(r.count)]),
        [1, 2],
      )}\n\n_${BOUNDED_COUNTS_SENTENCE}_`;
    }
    return table(
      [label, 'Count'],
      rows.map((r) => [cell(r.value), formatCount(r.count)]),
      [1],
    );
  }
  return table(
    [label, 'Count', 'Share'],
    withShares(rows).map((r) => [cell(r.value), formatCount(r.count), formatShare(r.share)]),
    [1, 2],
  );
}

function section(title: string, ...parts: string[]): string {
  return [`## ${title}`, ...parts].join('\n\n');
}

function header(report: Report): string {
  const u = report.upload;
  const format = u.format
    ? `${escapeMarkdown(u.format)}${u.formatConfidence === null ? '' : ` (confidence ${formatShare(u.formatConfidence)})`}`
    : 'not detected';
  return [
    `# Log report: ${escapeMarkdown(u.filename)}`,
    [
      `- Upload: \`${escapeMarkdown(u.id).replaceAll('`', '')}\``,
      `- Size: ${formatBytes(u.sizeBytes)} (${formatCount(u.sizeBytes)} bytes), SHA-256 ${escapeMarkdown(u.sha256)}`,
      `- Format: ${format}`,
      `- Service: ${u.service === null ? 'not given' : escapeMarkdown(u.service)}`,
      `- Created ${formatUtc(u.createdAt)}, completed ${u.completedAt === null ? 'not yet' : formatUtc(u.completedAt)}`,
    ].join('\n'),
  ].join('\n\n');
}

function countsAndTimings(report: Report): string[] {
  const c = report.counts;
  const counts = table(
    ['Measure', 'Value'],
    [
      ['Lines', formatCount(c.lines)],
      ['Records', formatCount(c.records)],
      ['Parsed', formatCount(c.parsed)],
      ['Unparsed', formatCount(c.unparsed)],
      ['Dropped', formatCount(c.dropped)],
      ['Understood (parsed / records)', formatShare(c.understoodShare)],
      ['Error rate', formatShare(report.errorRate)],
    ],
    [1],
  );
  const timings =
    report.timings.length === 0
      ? '_No timings recorded._'
      : table(
          ['Stage', 'Time (ms)'],
          report.timings.map((t) => [escapeMarkdown(t.stage), formatCount(t.ms)]),
          [1],
        );
  const reasons = table(
    ['Reason', 'Records'],
    Object.entries(CLEANING_REASON_LABELS).map(([key, label]) => [
      label,
      formatCount(report.cleaning.reasons[key as keyof typeof CLEANING_REASON_LABELS]),
    ]),
    [1],
  );
  const rules =
    report.cleaning.rules.length === 0
      ? '_No clean rules were given._'
      : table(
          ['Clean rule', 'Removed'],
          report.cleaning.rules.map((r) => [cell(r.rule), formatCount(r.removed)]),
          [1],
        );
  return [section('Counts', counts), section('Timings', timings), section('Cleaning', reasons, rules)];
}

function distributions(report: Report): string[] {
  const busiest = peaks(report.timeline, 'lines', 3);
  const worst = peaks(report.timeline, 'errors', 3);
  const timeline =
    report.timeline.length === 0
      ? '_No record had a usable timestamp._'
      : [
          `${formatCount(report.timeline.length)} minutes with records.`,
          `Busiest: ${busiest.map((p) => `${formatUtc(p.t)} (${formatCount(p.lines)} lines)`).join(', ')}.`,
          worst.length === 0
            ? 'No errors.'
            : `Most errors: ${worst.map((p) => `${formatUtc(p.t)} (${formatCount(p.errors)} errors)`).join(', ')}.`,
        ].join('\n');
  const services = report.successRate.services;
  const success =
    services.length === 0
      ? '_No success rate: no records._'
      : table(
          ['Service', 'Records', 'Successes', 'Success rate'],
          services.map((s) => [
            cell(s.service),
            formatCount(s.total),
            formatCount(s.successes),
            formatShare(s.rate),
          ]),
          [1, 2, 3],
        );
  return [
    section('Timeline', timeline),
    section('Levels', countTable('Level', report.levels)),
    section('HTTP status codes', countTable('Status', report.statuses)),
    section('HTTP methods', countTable('Method', report.methods)),
    section('Services', countTable('Service', report.services)),
    section('Success rate by service', success),
    section('Top messages', countTable('Message', report.topMessages, false)),
    section('Top paths', countTable('Path', report.topPaths, false)),
  ];
}

function slowestPaths(report: Report): string {
  if (report.slowestPaths.length === 0)
    return section('Slowest paths', '_No request latencies in this log._');
  return section(
    'Slowest paths',
    'Latencies in milliseconds.',
    table(
      ['Path', 'Requests', 'p50', 'p95', 'p99', 'Max'],
      report.slowestPaths.map((p) => [
        cell(p.path),
        formatCount(p.count),
        formatValue(p.p50),
        formatValue(p.p95),
        formatValue(p.p99),
        formatValue(p.max),
      ]),
      [1, 2, 3, 4, 5],
    ),
  );
}

function templates(report: Report): string {
  const t = report.templates;
  if (t.top.length === 0) return section('Message templates', '_No templates were mined._');
  const parts = [
    `${formatCount(t.total)} distinct templates, ${formatCount(t.newCount)} of them new.`,
    table(
      ['#', 'Template', 'Count', 'New'],
      t.top.map((row, i) => [
        String(i + 1),
        cell(row.template),
        formatCount(row.count),
        row.isNew ? 'new' : '',
      ]),
      [0, 2],
    ),
  ];
  t.top.forEach((row, i) => {
    if (row.examples.length === 0) return;
    parts.push(
      `**Template ${i + 1}** examples (id ${escapeMarkdown(row.id)}):\n\n${markdownCodeBlock(row.examples)}`,
    );
  });
  return section('Message templates', ...parts);
}

function anomalies(report: Report): string {
  if (report.anomalies.length === 0) return section('Anomalies', '_No anomalies found._');
  const items = report.anomalies.map((a, i) => {
    const lines = [
      `### ${i + 1}. ${escapeMarkdown(a.kind)} at ${formatRange(a.at, a.until)}`,
      escapeMarkdown(a.message),
      anomalyEvidence(a),
    ];
    if (a.samples.length > 0) lines.push(`Evidence:\n\n${markdownCodeBlock(a.samples)}`);
    return lines.join('\n\n');
  });
  return section('Anomalies', ...items);
}

function reservoirAndWatchlist(report: Report): string[] {
  const r = report.reservoir;
  const sample =
    r.estimatedTopStatuses.length === 0
      ? `A uniform sample of ${formatCount(r.sample.length)} of ${formatCount(r.seen)} records was kept (capacity ${formatCount(r.k)}).`
      : [
          `A uniform sample of ${formatCount(r.sample.length)} of ${formatCount(r.seen)} records was kept ` +
            `(capacity ${formatCount(r.k)}). Status counts estimated from it, beside the exact counts:`,
          table(
            ['Status', 'Estimated', 'Exact'],
            r.estimatedTopStatuses.map((s) => [
              String(s.status),
              formatCount(s.estimated),
              formatCount(s.exact),
            ]),
            [1, 2],
          ),
        ].join('\n\n');
  const w = report.watchlist;
  const watch =
    w.terms.length === 0
      ? '_No watchlist was given._'
      : [
          `Watching ${formatCount(w.terms.length)} terms: ${w.terms.map(cell).join(', ')}. ` +
            `Filter false-positive rate ${formatShare(w.falsePositiveRate)} (matches are confirmed exactly). ` +
            `${formatCount(w.matched)} records matched.`,
          w.matches.length === 0
            ? '_No matches._'
            : table(
                ['Line', 'Term', 'Message'],
                w.matches.map((m) => [formatCount(m.line), cell(m.term), cell(m.message)]),
                [0],
              ),
        ].join('\n\n');
  return [section('Sample', sample), section('Watchlist', watch)];
}

export function renderMarkdown(report: Report): string {
  const parts = [
    header(report),
    section(
      'Summary',
      summarySentences(report)
        .map((s) => `- ${s}`)
        .join('\n'),
    ),
  ];
  if (!isEmptyReport(report)) {
    parts.push(
      ...countsAndTimings(report),
      ...distributions(report),
      slowestPaths(report),
      templates(report),
      anomalies(report),
      ...reservoirAndWatchlist(report),
    );
  } else {
    parts.push(...countsAndTimings(report));
  }
  return `${parts.join('\n\n')}\n`;
}
