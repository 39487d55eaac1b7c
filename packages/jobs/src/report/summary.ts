/**
 * Facts both renderers state the same way: the headline sentences, shares of a count list and the
 * busiest timeline buckets. Kept here so the Markdown and the HTML report never disagree.
 */
import { formatCount, formatRange, formatShare, formatValue } from './format.js';
import type { Anomaly, CountRow, Report, TimelinePoint } from './types.js';

/** Whether the upload had anything to report on: no lines means every section is empty. */
export function isEmptyReport(report: Report): boolean {
  return report.counts.lines === 0 && report.counts.records === 0;
}

export const EMPTY_REPORT_SENTENCE = 'This upload contained no log lines, so there is nothing to analyse.';
/** Under a top list whose counts come from a bounded summary (CountRow.atLeast). */
export const BOUNDED_COUNTS_SENTENCE =
  'More distinct values than the report keeps counts for: each true count lies between the two figures.';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The summary as plain sentences (untrusted text not included: callers may escape freely). */
export function summarySentences(report: Report): string[] {
  if (isEmptyReport(report)) return [EMPTY_REPORT_SENTENCE];
  const { counts, failureWindow, templates, anomalies, watchlist } = report;
  const sentences = [
    `${plural(counts.lines, 'line')} read as ${plural(counts.records, 'record')}; ` +
      `${formatShare(counts.understoodShare)} understood (${formatCount(counts.parsed)} parsed, ` +
      `${formatCount(counts.unparsed)} unparsed), ${formatCount(counts.dropped)} dropped by cleaning.`,
    `Error rate ${formatShare(report.errorRate)}.`,
  ];
  if (failureWindow.peakAt !== null) {
    sentences.push(
      failureWindow.peakRate === 0
        ? `No failures in any ${failureWindow.windowSeconds}-second window.`
        : `Worst ${failureWindow.windowSeconds}-second window: ${formatShare(failureWindow.peakRate)} failures, ` +
            `from ${formatRange(failureWindow.peakAt)}.`,
    );
  }
  if (report.span) sentences.push(`Records span ${formatRange(report.span.first, report.span.last)}.`);
  sentences.push(
    `${plural(templates.total, 'message template')} (${formatCount(templates.newCount)} new), ` +
      `${plural(anomalies.length, 'anomaly', 'anomalies')}, ${plural(watchlist.matched, 'watchlist match', 'watchlist matches')}.`,
  );
  return sentences;
}

/** Each row's share of the list's total, 0..1. */
export function withShares(rows: readonly CountRow[]): { value: string; count: number; share: number }[] {
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return rows.map((r) => ({ ...r, share: total === 0 ? 0 : r.count / total }));
}

/** The `n` timeline points with the most of `key`, busiest first, earliest first on ties. */
export function peaks(
  timeline: readonly TimelinePoint[],
  key: 'lines' | 'errors',
  n: number,
): TimelinePoint[] {
  return [...timeline]
    .filter((p) => p[key] > 0)
    .sort((a, b) => b[key] - a[key] || a.t - b.t)
    .slice(0, n);
}

/** How far an anomaly strayed from usual, as one sentence. The deviation is left out when none was measured. */
export function anomalyEvidence(a: Anomaly): string {
  const deviation =
    a.deviation === null || a.deviation === 0 ? '' : ` (${formatCount(a.deviation, 1)} standard deviations)`;
  return `Value ${formatValue(a.value)} against a baseline of ${formatValue(a.baseline)}${deviation}.`;
}

/** Names for the cleaning reasons, in the order reports list them. */
export const CLEANING_REASON_LABELS = {
  unparsed: 'Not understood by the format',
  badTimestamp: 'Missing or unreadable timestamp',
  controlChars: 'Control characters',
  invalidUtf8: 'Invalid UTF-8',
  duplicate: 'Duplicate of an earlier record',
} as const;
