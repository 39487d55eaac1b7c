import { LEVELS } from '../entry.js';
import type { Analysis } from '../stages/analyze.js';
import type { CleanResult } from '../stages/clean.js';
import { ChunkStats } from '../stats/chunk-stats.js';
import type { HeavyHitter } from '../stats/heavy-hitters.js';
import { peakFailureRate } from '../stats/sliding-window.js';
import { successSeries } from '../stats/success-rate.js';
import type { UploadJobRow, UploadRow } from '../uploads/repository.js';
import { type CountRow, emptyReport, type Report, type StageTiming } from './types.js';

/** Rows kept in each top list of the report. */
const TOP = 20;
const SECOND_MS = 1000;

export interface ReportInput {
  upload: UploadRow;
  clean: CleanResult;
  analysis: Analysis;
  jobs: UploadJobRow[];
  completedAt: number;
}

const byCount = (a: CountRow, b: CountRow) => b.count - a.count || a.value.localeCompare(b.value);
const rows = (m: ReadonlyMap<string | number, number>): CountRow[] =>
  [...m].map(([value, count]) => ({ value: String(value), count })).sort(byCount);

/** Wall time of each stage, from its first job's start to its last job's end (the report stage: until now). */
function stageTimings(jobs: UploadJobRow[], completedAt: number): StageTiming[] {
  return (['parse', 'clean', 'analyze', 'report'] as const).flatMap((stage) => {
    const own = jobs.filter((j) => j.stage === stage);
    const starts = own.map((j) => j.startedAt).filter((t): t is number => t != null);
    if (starts.length === 0) return [];
    const ends = own
      .map((j) => (stage === 'report' ? completedAt : j.finishedAt))
      .filter((t): t is number => t != null);
    return [{ stage, ms: Math.max(0, Math.max(...ends) - Math.min(...starts)) }];
  });
}

/** The report of one upload, from what the clean and analyze stages stored. Pure: same input, same report. */
export function buildReport({ upload, clean, analysis, jobs, completedAt }: ReportInput): Report {
  const report = emptyReport({
    id: upload.id,
    filename: upload.filename,
    sizeBytes: upload.sizeBytes,
    sha256: upload.sha256,
    format: upload.format,
    formatConfidence: upload.formatConfidence,
    service: upload.service,
    createdAt: upload.createdAt,
    completedAt,
  });
  const stats = ChunkStats.fromJSON(analysis.stats);
  const p = stats.parts;
  report.counts = {
    lines: clean.lines,
    records: clean.records,
    parsed: clean.parsed,
    unparsed: clean.unparsed,
    dropped: clean.dropped,
    understoodShare: clean.records === 0 ? 0 : clean.parsed / clean.records,
  };
  report.timings = stageTimings(jobs, completedAt);
  report.cleaning = {
    reasons: {
      unparsed: clean.flags.unparsed ?? 0,
      badTimestamp: clean.flags.badTimestamp ?? 0,
      controlChars: clean.flags.controlChars ?? 0,
      invalidUtf8: clean.flags.invalidUtf8 ?? 0,
      duplicate: clean.flags.duplicate ?? 0,
    },
    rules: clean.rules,
  };
  report.levels = rows(p.levels).sort(
    (a, b) => LEVELS.indexOf(b.value as never) - LEVELS.indexOf(a.value as never) || byCount(a, b),
  );
  report.services = rows(p.services);
  report.statuses = rows(p.statuses);
  report.methods = rows(p.methods);
  report.timeline = p.timeline
    .points()
    .map(({ at, values }) => ({ t: at, lines: values[0] ?? 0, errors: values[1] ?? 0 }));
  report.span = p.minTs <= p.maxTs ? { first: p.minTs, last: p.maxTs } : null;
  const failures = [...p.timeline.points()].reduce((n, x) => n + (x.values[1] ?? 0), 0);
  const dated = p.total - p.undated;
  report.errorRate = dated === 0 ? 0 : failures / dated;

  const series = p.success.entries().map(([service, group]) => successSeries(service, group));
  report.successRate = {
    services: series
      .sort((a, b) => b.total - a.total)
      .map((s) => ({
        service: s.service,
        total: s.total,
        successes: s.successes,
        rate: s.rate,
        points: s.points.map((x) => ({ t: x.at, rate: x.rate })),
      })),
    cumulative: cumulativeSuccess(series),
  };
  const peak = peakFailureRate(p.perSecond.points(), p.perSecond.toJSON().widthMs ?? SECOND_MS);
  report.failureWindow = {
    windowSeconds: (peak?.windowMs ?? 60_000) / 1000,
    peakRate: peak?.rate ?? 0,
    peakAt: peak?.from ?? null,
  };
  report.topMessages = p.messages.top(TOP).map(topRow);
  report.topPaths = p.paths.top(TOP).map(topRow);
  report.slowestPaths = p.latencyByPath
    .entries()
    .map(([path, l]) => ({ path, ...l.report() }))
    .filter((l) => l.count > 0)
    .sort((a, b) => b.p95 - a.p95)
    .slice(0, TOP)
    .map((l) => ({ path: l.path, count: l.count, p50: l.p50, p95: l.p95, p99: l.p99, max: l.max }));
  const sample = p.reservoir.toJSON();
  const sampleStatuses = new Map<number, number>();
  for (const e of sample.items)
    if (e.status !== undefined) sampleStatuses.set(e.status, (sampleStatuses.get(e.status) ?? 0) + 1);
  const withStatus = [...p.statuses.values()].reduce((a, b) => a + b, 0);
  const sampledWithStatus = [...sampleStatuses.values()].reduce((a, b) => a + b, 0);
  report.reservoir = {
    k: sample.capacity,
    seen: sample.seen,
    sample: sample.items.map((e) => ({ ...e })),
    estimatedTopStatuses: [...sampleStatuses]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 10)
      .map(([status, n]) => ({
        status,
        estimated: sampledWithStatus === 0 ? 0 : Math.round((n / sampledWithStatus) * withStatus),
        exact: p.statuses.get(status) ?? 0,
      })),
  };
  report.templates = {
    // The most frequent, then any new template that is not among them: new ones matter however rare.
    top: [
      ...analysis.templates.templates.slice(0, TOP),
      ...analysis.templates.templates
        .slice(TOP)
        .filter((t) => t.isNew)
        .slice(0, TOP),
    ].map((t) => ({
      id: t.id,
      template: t.text,
      count: t.count,
      examples: t.examples,
      isNew: t.isNew,
    })),
    total: analysis.templates.total,
    newCount: analysis.templates.newCount,
  };
  report.anomalies = analysis.anomalies.map((a) => ({
    kind: a.kind,
    at: a.at,
    ...(a.until !== undefined ? { until: a.until } : {}),
    value: a.value,
    baseline: a.baseline,
    deviation: a.deviation,
    message: a.message,
    samples: a.samples ?? [],
  }));
  if (analysis.watchlist) report.watchlist = analysis.watchlist;
  return report;
}

/** Success share of all services together, minute by minute, cumulative from the first minute. */
function cumulativeSuccess(series: ReturnType<typeof successSeries>[]): { t: number; rate: number }[] {
  const byMinute = new Map<number, [number, number]>();
  for (const s of series)
    for (const x of s.points) {
      const cur = byMinute.get(x.at) ?? [0, 0];
      cur[0] += x.total;
      cur[1] += x.successes;
      byMinute.set(x.at, cur);
    }
  let total = 0;
  let ok = 0;
  return [...byMinute]
    .sort((a, b) => a[0] - b[0])
    .map(([t, [n, s]]) => {
      total += n;
      ok += s;
      return { t, rate: ok / total };
    });
}

/** A heavy hitter as a report row: its exact count, or the range its true count lies in. */
export function topRow(h: HeavyHitter): CountRow {
  return h.error > 0
    ? { value: h.item, count: h.count, atLeast: h.count - h.error }
    : { value: h.item, count: h.count };
}
