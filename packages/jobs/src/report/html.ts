/**
 * The report as one self-contained HTML page: inline style, inline SVG charts, no script, no external
 * resource, so it renders under `default-src 'none'; style-src 'unsafe-inline'; img-src data:`.
 * Deterministic: the same report gives the same bytes (no clock, no locale, no random ids).
 */
import { escapeHtml } from './escape.js';
import {
  distributionSection,
  latencySection,
  successSection,
  templatesSection,
  timelineSection,
} from './html-chart-sections.js';
import { REPORT_CSS } from './html-style.js';
import {
  anomaliesSection,
  countsSection,
  headerSection,
  sampleAndWatchlistSection,
  summarySection,
  topListsSection,
} from './html-text-sections.js';
import { isEmptyReport } from './summary.js';
import type { Report } from './types.js';

/** The policy the page declares for itself, matching the one the API serves it with. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function renderHtml(report: Report): string {
  const sections = isEmptyReport(report)
    ? [summarySection(report), countsSection(report)]
    : [
        summarySection(report),
        timelineSection(report),
        anomaliesSection(report),
        distributionSection(report),
        successSection(report),
        latencySection(report),
        templatesSection(report),
        topListsSection(report),
        countsSection(report),
        sampleAndWatchlistSection(report),
      ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log report: ${escapeHtml(report.upload.filename)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${headerSection(report)}
${sections.join('\n')}
<footer>Report format version ${report.version}. Times are UTC.</footer>
</main>
</body>
</html>
`;
}
