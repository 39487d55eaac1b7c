export { escapeHtml, escapeMarkdown } from './escape.js';
export { REPORT_CSP, renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
export {
  type Anomaly,
  type CleaningReasons,
  type CountRow,
  emptyReport,
  type FailureWindow,
  type RatePoint,
  REPORT_VERSION,
  type Report,
  type ReportCleaning,
  type ReportCounts,
  type ReportReservoir,
  type ReportSuccessRate,
  type ReportTemplates,
  type ReportUpload,
  type ReportWatchlist,
  type ReservoirEntry,
  type ServiceSuccessRate,
  type SlowPath,
  type StageTiming,
  type TemplateRow,
  type TimelinePoint,
} from './types.js';
