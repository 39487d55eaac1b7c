import { entryIdRange, type Store } from '@logsift/db';
import { DROP_FLAGS, levelRank } from '../../entry.js';
import type { Anomaly } from '../../stats/anomaly.js';

/** Example lines attached to each anomaly. */
const SAMPLES = 3;
const SAMPLE_CHARS = 300;

/**
 * Fills each anomaly's sample lines from the upload's stored entries: failures inside an error spike,
 * any lines inside a volume change, the slowest requests of a slow path. A new template brings its own.
 */
export function attachSamples(
  store: Store,
  upload: { seq: number; entryBase: number; sizeBytes: number },
  anomalies: Anomaly[],
): Anomaly[] {
  const { seq } = upload;
  const [first, end] = entryIdRange(upload.entryBase, 0, upload.sizeBytes + 1);
  const kept = `(flags & ${DROP_FLAGS}) = 0`;
  const failures = store.sqlite.prepare(
    `SELECT message FROM entries WHERE source = ? AND ts >= ? AND ts < ? AND ${kept}
       AND (level >= ${levelRank('ERROR')} OR status >= 500) ORDER BY ts LIMIT ${SAMPLES}`,
  );
  const anyLines = store.sqlite.prepare(
    `SELECT message FROM entries WHERE source = ? AND ts >= ? AND ts < ? AND ${kept} ORDER BY ts LIMIT ${SAMPLES}`,
  );
  const slowest = store.sqlite.prepare(
    `SELECT message FROM entries WHERE id >= ? AND id < ? AND path = ? AND ${kept}
       ORDER BY latency_ms DESC LIMIT ${SAMPLES}`,
  );
  const cut = (rows: { message: string }[]) => rows.map((r) => r.message.slice(0, SAMPLE_CHARS));
  return anomalies.map((a) => {
    if (a.samples && a.samples.length > 0) return a;
    const until = a.until ?? a.at + 60_000;
    let rows: { message: string }[] = [];
    if (a.kind === 'error-spike') rows = failures.all(seq, a.at, until) as { message: string }[];
    else if (a.kind === 'latency-outlier' && a.subject)
      rows = slowest.all(first, end, a.subject) as { message: string }[];
    else if (a.kind !== 'new-template') rows = anyLines.all(seq, a.at, until) as { message: string }[];
    return { ...a, samples: cut(rows) };
  });
}
