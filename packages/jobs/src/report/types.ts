/**
 * The report of one upload: plain JSON data, stored as is and rendered to Markdown and HTML.
 * Every section is present, possibly empty. Times are epoch milliseconds, UTC; shares and rates are
 * fractions in 0..1 (not percentages); durations and latencies are milliseconds.
 * Any string that came from the logs (messages, paths, services, templates, samples) is untrusted:
 * renderers escape it.
 */

/** Bumped when a field changes meaning or disappears; readers check it before trusting the shape. */
export const REPORT_VERSION = 1;

/** A counted value, most frequent first. */
export interface CountRow {
  value: string;
  /** The exact count, or, when `atLeast` is given, the most it can be. */
  count: number;
  /**
   * Counts from a bounded summary (the top messages and paths of a log with more distinct values than the
   * summary keeps): the least the true count can be. Absent when `count` is exact.
   */
  atLeast?: number;
}

export interface ReportUpload {
  id: string;
  /** As the client named it: display only. */
  filename: string;
  sizeBytes: number;
  /** Hex SHA-256 of the uploaded bytes. */
  sha256: string;
  /** Format the records were parsed with; null when none fitted. */
  format: string | null;
  /** How sure format detection was, 0..1 (1 when the client named the format); null with no format. */
  formatConfidence: number | null;
  /** Service the client attributed the file to, if any. */
  service: string | null;
  createdAt: number;
  /** null while the upload is still being processed. */
  completedAt: number | null;
}

export interface ReportCounts {
  /** Physical lines read. */
  lines: number;
  /** Records: lines joined into multi-line entries (stack traces) where the format allows. */
  records: number;
  /** Records the format understood, and those it did not. */
  parsed: number;
  unparsed: number;
  /** Records kept out of analysis by cleaning (duplicates, clean rules). */
  dropped: number;
  /** parsed / records; 0 when there are no records. */
  understoodShare: number;
}

export interface StageTiming {
  /** Pipeline stage name: "split", "parse", "analyse", "report"... */
  stage: string;
  /** Wall-clock duration, ms. */
  ms: number;
}

/** Records flagged by each cleaning check; a record may carry several flags. */
export interface CleaningReasons {
  unparsed: number;
  badTimestamp: number;
  controlChars: number;
  invalidUtf8: number;
  duplicate: number;
}

export interface ReportCleaning {
  reasons: CleaningReasons;
  /** Records removed by each clean rule the client asked for, in the order given. */
  rules: { rule: string; removed: number }[];
}

export interface TimelinePoint {
  /** Minute start (or bucket start when a long log was coarsened), epoch ms. */
  t: number;
  lines: number;
  /** Failures: ERROR or FATAL records and HTTP 5xx responses. */
  errors: number;
}

export interface RatePoint {
  /** Minute (bucket) start, epoch ms. */
  t: number;
  /** successes / total, 0..1. */
  rate: number;
}

export interface ServiceSuccessRate {
  service: string;
  total: number;
  successes: number;
  /** successes / total over the whole upload. */
  rate: number;
  points: RatePoint[];
}

export interface ReportSuccessRate {
  /** One series per service, busiest first. */
  services: ServiceSuccessRate[];
  /** All services together: successes / total from the first minute up to each minute. */
  cumulative: RatePoint[];
}

export interface FailureWindow {
  /** Length of the sliding window, seconds. */
  windowSeconds: number;
  /** Highest failures / lines over any window, 0..1; 0 when no window had enough lines. */
  peakRate: number;
  /** Start of that window, epoch ms; null when there was none. */
  peakAt: number | null;
}

export interface SlowPath {
  path: string;
  /** Requests with a latency. */
  count: number;
  /** Latency percentiles and maximum, ms. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface TemplateRow {
  id: string;
  /** Message shape with variable parts written as `<*>`. */
  template: string;
  count: number;
  /** A few messages of this shape, verbatim. */
  examples: string[];
  /** First seen in this upload: no earlier upload had this shape. */
  isNew: boolean;
}

export interface ReportTemplates {
  /** Most frequent first. */
  top: TemplateRow[];
  /** Distinct templates in the upload, and how many of them are new. */
  total: number;
  newCount: number;
}

export interface Anomaly {
  /** What was unusual: "errorSpike", "volumeSpike", "volumeDrop", "latencySpike", "newTemplate"... */
  kind: string;
  /** Start, and end (exclusive) when it lasted, epoch ms. */
  at: number;
  until?: number;
  /** Observed value and its usual level, in the kind's unit (lines/min, errors/min, ms...). */
  value: number;
  baseline: number;
  /** How far from usual, in (robust) standard deviations; null when there is no baseline (a new template). */
  deviation: number | null;
  /** One sentence saying what happened. */
  message: string;
  /** Raw lines from the anomaly, as evidence. */
  samples: string[];
}

/** What the uniform sample keeps of an entry. */
export interface ReservoirEntry {
  ts?: number;
  level?: string;
  service?: string;
  status?: number;
  path?: string;
  latencyMs?: number;
  message: string;
}

export interface ReportReservoir {
  /** Sample capacity, and how many entries were offered to it. */
  k: number;
  seen: number;
  sample: ReservoirEntry[];
  /** Status counts extrapolated from the sample (share in sample x seen) beside the exact counts. */
  estimatedTopStatuses: { status: number; estimated: number; exact: number }[];
}

export interface ReportWatchlist {
  /** Watched strings, as the client gave them. */
  terms: string[];
  /** False-positive probability the Bloom filter was sized for, 0..1 (matches are confirmed exactly). */
  falsePositiveRate: number;
  /** Records that matched a term (all of them; `matches` may list fewer). */
  matched: number;
  /** `line` is the 1-based line number in the uploaded file. */
  matches: { line: number; term: string; message: string }[];
}

export interface Report {
  version: typeof REPORT_VERSION;
  upload: ReportUpload;
  counts: ReportCounts;
  /** In pipeline order. */
  timings: StageTiming[];
  cleaning: ReportCleaning;
  levels: CountRow[];
  services: CountRow[];
  /** HTTP status codes as text ("200"). */
  statuses: CountRow[];
  methods: CountRow[];
  /** In time order. */
  timeline: TimelinePoint[];
  /** The earliest and latest record times (epoch ms), or null when no record has one. */
  span: { first: number; last: number } | null;
  /** Failures / analysed records over the whole upload, 0..1. */
  errorRate: number;
  successRate: ReportSuccessRate;
  failureWindow: FailureWindow;
  topMessages: CountRow[];
  topPaths: CountRow[];
  /** Slowest by p95 first. */
  slowestPaths: SlowPath[];
  templates: ReportTemplates;
  /** In time order. */
  anomalies: Anomaly[];
  reservoir: ReportReservoir;
  watchlist: ReportWatchlist;
}

/** A report with every section empty: the starting point of the analysis, and what an empty file gets. */
export function emptyReport(upload: ReportUpload): Report {
  return {
    version: REPORT_VERSION,
    upload,
    counts: { lines: 0, records: 0, parsed: 0, unparsed: 0, dropped: 0, understoodShare: 0 },
    timings: [],
    cleaning: {
      reasons: { unparsed: 0, badTimestamp: 0, controlChars: 0, invalidUtf8: 0, duplicate: 0 },
      rules: [],
    },
    levels: [],
    services: [],
    statuses: [],
    methods: [],
    timeline: [],
    span: null,
    errorRate: 0,
    successRate: { services: [], cumulative: [] },
    failureWindow: { windowSeconds: 60, peakRate: 0, peakAt: null },
    topMessages: [],
    topPaths: [],
    slowestPaths: [],
    templates: { top: [], total: 0, newCount: 0 },
    anomalies: [],
    reservoir: { k: 0, seen: 0, sample: [], estimatedTopStatuses: [] },
    watchlist: { terms: [], falsePositiveRate: 0, matched: 0, matches: [] },
  };
}
