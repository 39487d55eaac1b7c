import { insertUpload } from '@logsift/jobs';
import type { Harness } from './harness.js';

/** Strings a hostile log could carry: shown as text by the dashboard, never run. */
export const HOSTILE_SCRIPT = '<script>alert(1)</script>';
export const HOSTILE_IMG = '"><img src=x onerror=alert(2)>';

const START = Date.UTC(2024, 0, 15, 10, 0, 0);
const MINUTE = 60_000;

/**
 * A completed upload whose stored report has every section filled (an error burst with its anomaly,
 * templates old and new, latencies) and hostile strings in the log-derived fields, for the report view.
 */
export function insertFixtureReport(h: Harness): { id: string; report: Record<string, unknown> } {
  const id = `u-fixture-${Date.now().toString(36)}`;
  insertUpload(h.store, {
    id,
    filename: `fixture ${HOSTILE_IMG}.log`,
    storedPath: '/nonexistent',
    sizeBytes: 1234,
    sha256: id,
    compression: 'none',
    requestedFormat: null,
    format: 'access',
    formatConfidence: 1,
    service: null,
    options: {},
  });
  const timeline = Array.from({ length: 30 }, (_, i) => ({
    t: START + i * MINUTE,
    lines: 1000 + (i % 5) * 20,
    errors: i >= 12 && i < 15 ? 400 : 3,
  }));
  const report = {
    version: 1,
    upload: { id, filename: `fixture ${HOSTILE_IMG}.log`, format: 'access' },
    counts: {
      lines: 30_600,
      records: 30_600,
      parsed: 30_500,
      unparsed: 100,
      dropped: 12,
      understoodShare: 0.9967,
    },
    timings: [
      { stage: 'parse', ms: 1200 },
      { stage: 'report', ms: 40 },
    ],
    levels: [
      { value: 'INFO', count: 29_000 },
      { value: 'ERROR', count: 1_300 },
      { value: 'WARN', count: 300 },
    ],
    services: [],
    statuses: [
      { value: '200', count: 28_000 },
      { value: '404', count: 1_300 },
      { value: '503', count: 1_300 },
    ],
    methods: [],
    timeline,
    errorRate: 0.042,
    topMessages: [],
    topPaths: [],
    slowestPaths: [
      { path: `/search?q=${HOSTILE_SCRIPT}`, count: 900, p50: 120, p95: 900, p99: 1800, max: 2500 },
      { path: '/api/orders', count: 4000, p50: 30, p95: 80, p99: 150, max: 400 },
    ],
    templates: {
      top: [
        { id: 't1', template: 'GET /api/orders/<*> 200', count: 20_000, examples: [], isNew: false },
        {
          id: 't2',
          template: `payment ${HOSTILE_SCRIPT} failed for <*>`,
          count: 900,
          examples: [],
          isNew: true,
        },
      ],
      total: 2,
      newCount: 1,
    },
    anomalies: [
      {
        kind: 'errorSpike',
        at: START + 12 * MINUTE,
        until: START + 15 * MINUTE,
        value: 400,
        baseline: 3,
        deviation: 40,
        message: `errors rose to 400/min (usual 3/min) ${HOSTILE_IMG}`,
        samples: [`upstream timeout ${HOSTILE_SCRIPT}`],
      },
    ],
  };
  h.store.sqlite
    .prepare('INSERT INTO reports (upload_id, created_at, json, markdown, html) VALUES (?, ?, ?, ?, ?)')
    .run(id, Date.now(), JSON.stringify(report), '# report\n', '<!doctype html><title>report</title>');
  h.store.sqlite
    .prepare("UPDATE uploads SET status = 'completed', completed_at = ? WHERE id = ?")
    .run(Date.now(), id);
  return { id, report };
}
