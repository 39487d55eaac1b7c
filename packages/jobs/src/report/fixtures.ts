/**
 * Reports for tests and for looking at the renderers: a small fixed one with known numbers and
 * hostile strings, and an empty one. Built by hand (not by the pipeline) so renderer tests stand alone.
 */
import { emptyReport, type Report, type ReportUpload } from './types.js';

const START = Date.UTC(2024, 0, 15, 10, 0, 0);
const MINUTE = 60_000;

export const XSS_SCRIPT = '<script>alert(1)</script>';
export const XSS_IMG = '"><img src=x onerror=alert(2)>';

export const FIXTURE_UPLOAD: ReportUpload = {
  id: '01HMQ7Z3K4V5W6X7Y8Z9A0B1C2',
  filename: 'access-2024-01-15.log',
  sizeBytes: 1_234_567,
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  format: 'access',
  formatConfidence: 0.97,
  service: 'shop',
  createdAt: START + 40 * MINUTE,
  completedAt: START + 41 * MINUTE,
};

/** Thirty minutes of traffic with an error burst at 10:12-10:14 and a new template from 10:20. */
export function fixtureReport(): Report {
  const report = emptyReport(FIXTURE_UPLOAD);
  const timeline = Array.from({ length: 30 }, (_, i) => {
    const lines = 1000 + ((i * 37) % 11) * 20; // a steady 1,000-1,200 lines a minute
    const errors = i >= 12 && i < 15 ? 400 + i : (i * 7) % 5;
    return { t: START + i * MINUTE, lines, errors };
  });
  const lines = timeline.reduce((n, p) => n + p.lines, 0);
  const errors = timeline.reduce((n, p) => n + p.errors, 0);
  return {
    ...report,
    counts: {
      lines,
      records: lines,
      parsed: lines - 25,
      unparsed: 25,
      dropped: 12,
      understoodShare: (lines - 25) / lines,
    },
    timings: [
      { stage: 'parse', ms: 1830 },
      { stage: 'clean', ms: 240 },
      { stage: 'analyze', ms: 610 },
      { stage: 'report', ms: 95 },
    ],
    cleaning: {
      reasons: { unparsed: 25, badTimestamp: 3, controlChars: 2, invalidUtf8: 1, duplicate: 12 },
      rules: [{ rule: 'drop path=/health', removed: 0 }],
    },
    levels: [
      { value: 'ERROR', count: errors },
      { value: 'INFO', count: lines - errors },
    ],
    services: [{ value: 'shop', count: lines }],
    statuses: [
      { value: '200', count: lines - errors - 2100 },
      { value: '304', count: 1400 },
      { value: '404', count: 700 },
      { value: '503', count: errors },
    ],
    methods: [
      { value: 'GET', count: lines - 3000 },
      { value: 'POST', count: 3000 },
    ],
    timeline,
    span: { first: START + 4_000, last: START + 29 * MINUTE + 57_250 },
    errorRate: errors / lines,
    successRate: {
      services: [
        {
          service: 'shop',
          total: lines,
          successes: lines - errors - 2100,
          rate: (lines - errors - 2100) / lines,
          points: timeline.map((p) => ({ t: p.t, rate: (p.lines - p.errors - 70) / p.lines })),
        },
        {
          service: 'payments|eu',
          total: 600,
          successes: 590,
          rate: 590 / 600,
          points: timeline.map((p, i) => ({ t: p.t, rate: i >= 12 && i < 15 ? 0.8 : 0.99 })),
        },
      ],
      cumulative: timeline.map((p, i) => ({ t: p.t, rate: 0.95 - (i >= 12 ? 0.02 : 0) })),
    },
    failureWindow: { windowSeconds: 60, peakRate: 0.3642, peakAt: START + 12 * MINUTE + 5000 },
    topMessages: [
      { value: 'GET /api/products?page=1 HTTP/1.1', count: 4200 },
      { value: XSS_SCRIPT, count: 3 },
    ],
    topPaths: [
      { value: '/api/products?page=1', count: 4200 },
      { value: '/api/users/<id>|admin', count: 1800 },
      { value: XSS_IMG, count: 2 },
    ],
    slowestPaths: [
      { path: '/api/reports/export?format=csv', count: 420, p50: 1580, p95: 4210.5, p99: 6020, max: 9875 },
      { path: '/api/search?q=shoes', count: 2900, p50: 176, p95: 561, p99: 910, max: 2400 },
      { path: '/api/payments', count: 800, p50: 298, p95: 660, p99: 1010, max: 30012 },
    ],
    templates: {
      top: [
        {
          id: 't1',
          template: 'GET /api/products?page=<*> HTTP/1.1',
          count: 9800,
          examples: ['GET /api/products?page=1 HTTP/1.1', 'GET /api/products?page=7 HTTP/1.1'],
          isNew: false,
        },
        {
          id: 't2',
          template: `user <*> said ${XSS_SCRIPT}`,
          count: 40,
          examples: [`user 7 said ${XSS_SCRIPT}`],
          isNew: false,
        },
        {
          id: 't3',
          template: 'shard <*> moved to cold storage in <*>ms',
          count: 50,
          examples: ['shard 4411 moved to cold storage in 31ms', 'a ``` fence and a | pipe'],
          isNew: true,
        },
      ],
      total: 27,
      newCount: 1,
    },
    anomalies: [
      {
        kind: 'errorSpike',
        at: START + 12 * MINUTE,
        until: START + 15 * MINUTE,
        value: 413,
        baseline: 2,
        deviation: 187.4,
        message: 'Errors rose to 413 a minute against a usual 2.',
        samples: [
          `10.0.0.1 - - [15/Jan/2024:10:12:01 +0000] "GET /api/payments HTTP/1.1" 503 312 "-" "${XSS_IMG}"`,
        ],
      },
      {
        kind: 'newTemplate',
        at: START + 20 * MINUTE,
        value: 50,
        baseline: 0,
        deviation: 0,
        message: 'A message shape never seen before appeared 50 times.',
        samples: ['shard 4411 moved to cold storage in 31ms'],
      },
    ],
    reservoir: {
      k: 100,
      seen: lines,
      sample: [{ ts: START, status: 200, path: '/', message: 'GET / HTTP/1.1' }],
      estimatedTopStatuses: [
        { status: 200, estimated: 27_100, exact: 27_344 },
        { status: 503, estimated: 1300, exact: errors },
      ],
    },
    watchlist: {
      terms: ['disk full', XSS_SCRIPT],
      falsePositiveRate: 0.01,
      matched: 2,
      matches: [
        { line: 1204, term: 'disk full', message: 'disk full on /var | retrying' },
        { line: 18_003, term: XSS_SCRIPT, message: XSS_SCRIPT },
      ],
    },
  };
}
