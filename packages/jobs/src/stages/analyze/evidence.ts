import { levelRank } from '../../entry.js';
import { chunkFilter, chunkMayMatch, type RecordFilter } from '../../segments/filter.js';
import type { RecordRef } from '../../segments/rehydrate.js';
import type { UploadRecords } from '../../segments/upload-records.js';
import type { Anomaly } from '../../stats/anomaly.js';
import { SlowestRequests } from '../parse/slowest-requests.js';
import type { ChunkSummary } from '../parse.js';

/** Example lines attached to each anomaly. */
const SAMPLES = 3;
const SAMPLE_CHARS = 300;
const ERROR_RANK = levelRank('ERROR');

/**
 * Fills each anomaly's sample lines from the upload's stored records: failures inside an error spike,
 * any lines inside a volume change (the earliest of each window), the slowest requests of a slow path
 * (kept by the parse jobs). A new template brings its own.
 */
export async function attachSamples(
  records: UploadRecords,
  chunks: readonly Pick<ChunkSummary, 'slowest'>[],
  anomalies: Anomaly[],
): Promise<Anomaly[]> {
  const out: Anomaly[] = [];
  for (const a of anomalies) {
    if (a.samples && a.samples.length > 0) {
      out.push(a);
      continue;
    }
    let samples: string[] = [];
    if (a.kind === 'latency-outlier' && a.subject) {
      samples = SlowestRequests.of(
        chunks.map((c) => c.slowest),
        a.subject,
      ).map(([, message]) => message);
    } else if (a.kind !== 'new-template') {
      const until = a.until ?? a.at + 60_000;
      samples = await earliest(
        records,
        { from: a.at, to: until, keepDropped: false },
        a.kind === 'error-spike',
      );
    }
    out.push({ ...a, samples: samples.map((m) => m.slice(0, SAMPLE_CHARS)) });
  }
  return out;
}

/** The messages of the SAMPLES earliest kept records in the filter's time range (only failures if asked). */
async function earliest(records: UploadRecords, filter: RecordFilter, failures: boolean): Promise<string[]> {
  const picks: { ts: number; id: number; ref: RecordRef }[] = [];
  records.metas.forEach((meta, c) => {
    if (!chunkMayMatch(meta, filter)) return;
    const segment = records.segment(c);
    const test = chunkFilter(segment, filter);
    if (!test) return;
    const { ts, level } = segment;
    const status = segment.status;
    for (let row = 0; row < segment.rows; row++) {
      if (!test(row)) continue;
      if (
        failures &&
        !((level[row] as number) >= ERROR_RANK && (level[row] as number) <= 5) &&
        !((status?.[row] ?? 0) >= 500)
      )
        continue;
      picks.push({ ts: ts[row] as number, id: segment.offsetOf(row), ref: { segment, row } });
    }
    picks.sort((a, b) => a.ts - b.ts || a.id - b.id);
    picks.length = Math.min(picks.length, SAMPLES);
  });
  return (await records.rows(picks.map((p) => p.ref))).map((r) => r.row.message);
}
