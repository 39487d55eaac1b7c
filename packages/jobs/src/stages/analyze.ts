import { entryId } from '@logsift/db';
import { FLAG, levelFromRank } from '../entry.js';
import { type EntryRow, firstLinesOf } from '../query/entries.js';
import type { UploadJobData } from '../queue/definitions.js';
import { chunkFilter } from '../segments/filter.js';
import { UploadRecords } from '../segments/upload-records.js';
import { detectAnomalies } from '../stats/anomalies.js';
import type { Anomaly } from '../stats/anomaly.js';
import { ChunkStats, type ChunkStatsJSON } from '../stats/chunk-stats.js';
import type { StatsEntry } from '../stats/classify.js';
import { findNewTemplates } from '../stats/new-templates.js';
import type { StoredOptions } from '../uploads/options.js';
import { attachSamples } from './analyze/evidence.js';
import { mineUploadTemplates, type TemplateAnalysis } from './analyze/templates.js';
import type { CleanResult } from './clean.js';
import type { StageInput } from './context.js';
import type { ChunkSummary } from './parse.js';
import { type ChunkResult, eachChunkResult, loadStageResult, saveStageResult } from './results.js';

/** Templates kept in the analysis (most frequent first); the rest are counted only. */
const TEMPLATES_KEPT = 1000;
/** Watchlist matches listed in the report (all are queryable at /api/uploads/:id/matches). */
const MATCHES_LISTED = 50;

export interface WatchlistAnalysis {
  terms: string[];
  falsePositiveRate: number;
  matched: number;
  matches: { line: number; term: string; message: string }[];
}

export interface Analysis {
  stats: ChunkStatsJSON;
  templates: TemplateAnalysis & { total: number; newCount: number };
  anomalies: Anomaly[];
  watchlist: WatchlistAnalysis | null;
}

export function statsEntryOf(row: EntryRow): StatsEntry {
  const level = row.level == null ? undefined : levelFromRank(row.level);
  return {
    message: row.message,
    ...(row.ts != null ? { ts: row.ts } : {}),
    ...(level ? { level } : {}),
    ...(row.service != null ? { service: row.service } : {}),
    ...(row.method != null ? { method: row.method } : {}),
    ...(row.path != null ? { path: row.path } : {}),
    ...(row.status != null ? { status: row.status } : {}),
    ...(row.latency_ms != null ? { latencyMs: row.latency_ms } : {}),
  };
}

/** What analyze keeps of each chunk's summary once its statistics are merged. */
export type ChunkHandoff = Pick<ChunkSummary, 'templates' | 'slowest'>;

/**
 * The chunks' statistics merged in chunk order, minus the entries dropped after parsing (read back one
 * chunk at a time); the signature keys of those dropped entries, one per entry; and each chunk's
 * templates and slowest requests. Summaries are read one at a time: their statistics (samples, top
 * lists) are most of their size, and are not all held at once.
 */
export async function mergeChunkStats(
  chunks: Iterable<ChunkResult>,
  records: UploadRecords,
  droppedIds: readonly number[],
): Promise<{ stats: ChunkStats; droppedSignatures: number[]; handoffs: ChunkHandoff[] }> {
  const stats = new ChunkStats();
  const handoffs: ChunkHandoff[] = [];
  for (const { summary } of chunks) {
    stats.merge(ChunkStats.fromJSON(summary.stats));
    handoffs.push({ templates: summary.templates, ...(summary.slowest ? { slowest: summary.slowest } : {}) });
  }
  const droppedSignatures: number[] = [];
  for await (const batch of records.byIdsPerChunk(droppedIds)) {
    for (const { row } of batch) {
      if (!(row.flags & FLAG.unparsed)) stats.remove(statsEntryOf(row)); // unparsed ones were never added
      if (row.signature != null) droppedSignatures.push(row.signature);
    }
  }
  return { stats, droppedSignatures, handoffs };
}

/**
 * Merges what the chunks computed into the upload's analysis: statistics, templates (mined across all
 * chunks at once), anomalies with sample lines, watchlist matches. Runs once per upload: a retry finds the
 * stored analysis and keeps it, so the service's template counts are never added twice.
 */
export async function analyzeUpload(input: StageInput<UploadJobData>): Promise<{ total: number }> {
  const { upload, ctx } = input;
  const { store } = ctx;
  const existing = store.sqlite
    .prepare("SELECT 1 FROM stage_results WHERE upload_id = ? AND stage = 'analyze'")
    .get(upload.id);
  if (existing) return { total: loadStageResult<Analysis>(store, upload.id, 'analyze').stats.total };

  const clean = loadStageResult<CleanResult>(store, upload.id, 'clean');
  const records = new UploadRecords(store.sqlite, upload);
  const {
    stats,
    droppedSignatures,
    handoffs: chunks,
  } = await mergeChunkStats(eachChunkResult(store, upload.id), records, clean.crossChunkDropped);
  const mined = mineUploadTemplates(store, upload, chunks, droppedSignatures);
  const templates = mined.analysis.templates;
  // The first upload of a service has nothing to compare with: its templates are new, but not news.
  const known = templates.filter((t) => !t.isNew);
  const seenNew = templates
    .filter((t) => t.isNew && t.count > 0)
    .map((t) => ({ ...t, firstSeen: t.firstSeen ?? upload.createdAt }));
  const newTemplates =
    known.length === 0
      ? []
      : findNewTemplates(
          known.map((t) => t.id),
          seenNew,
        ).map((a) => ({ ...a, samples: templates.find((t) => t.id === a.subject)?.examples ?? [] }));
  const anomalies = [...(await attachSamples(records, chunks, detectAnomalies(stats))), ...newTemplates].sort(
    (a, b) => a.at - b.at,
  );

  const options = JSON.parse(upload.options) as StoredOptions;
  const analysis: Analysis = {
    stats: stats.toJSON(),
    templates: {
      ...mined.analysis,
      templates: templates.slice(0, TEMPLATES_KEPT),
      total: templates.length,
      newCount: templates.filter((t) => t.isNew).length,
    },
    anomalies,
    watchlist: null,
  };
  const unmatch = store.sqlite.prepare('DELETE FROM watch_matches WHERE source = ? AND entry_id = ?');
  if (options.watchlist) {
    const { watchlist } = options;
    store.sqlite.transaction(() => {
      for (const id of clean.crossChunkDropped) unmatch.run(upload.seq, id);
      recordTemplateMatches(records, watchlist.terms, templates, mined.signaturesOf);
    })();
    analysis.watchlist = await listMatches(records, watchlist);
  }
  // Once: a retry that finds the stored analysis keeps it, so the templates' counts are added once.
  store.sqlite.transaction(() => {
    mined.persist();
    saveStageResult(store, upload.id, 'analyze', analysis);
  })();
  return { total: analysis.stats.total };
}

/**
 * Watchlist terms that are template texts match every kept record of that template (message terms were
 * matched while parsing): recorded in watch_matches, each record once.
 */
function recordTemplateMatches(
  records: UploadRecords,
  terms: readonly string[],
  templates: TemplateAnalysis['templates'],
  signaturesOf: (templateId: string) => number[],
): void {
  const { sqlite, upload } = records;
  const wanted = new Set(terms);
  const insert = sqlite.prepare(
    `INSERT INTO watch_matches (source, entry_id, term) SELECT ?, ?, ?
     WHERE NOT EXISTS (SELECT 1 FROM watch_matches WHERE source = ? AND entry_id = ?)`,
  );
  for (const t of templates) {
    if (!wanted.has(t.text)) continue;
    const filter = { signatures: new Set(signaturesOf(t.id)), keepDropped: false };
    records.metas.forEach((_, c) => {
      const segment = records.segment(c);
      const test = chunkFilter(segment, filter);
      if (!test) return;
      for (let row = 0; row < segment.rows; row++) {
        if (!test(row)) continue;
        const id = entryId(upload.entryBase, segment.offsetOf(row));
        insert.run(upload.seq, id, t.text, upload.seq, id);
      }
    });
  }
}

/** The upload's watchlist matches for the report: how many, and the first MATCHES_LISTED with their lines. */
async function listMatches(
  records: UploadRecords,
  watchlist: NonNullable<StoredOptions['watchlist']>,
): Promise<WatchlistAnalysis> {
  const { sqlite, upload } = records;
  const matched = (
    sqlite.prepare('SELECT count(*) AS n FROM watch_matches WHERE source = ?').get(upload.seq) as {
      n: number;
    }
  ).n;
  const listed = sqlite
    .prepare(
      `SELECT entry_id AS id, term FROM watch_matches WHERE source = ? ORDER BY entry_id LIMIT ${MATCHES_LISTED}`,
    )
    .all(upload.seq) as { id: number; term: string }[];
  const found = new Map((await records.byIds(listed.map((m) => m.id))).map((r) => [r.row.id, r.row]));
  const firstLines = firstLinesOf(records.metas);
  return {
    terms: watchlist.terms,
    falsePositiveRate: watchlist.falsePositiveRate,
    matched,
    matches: listed.flatMap((m) => {
      const row = found.get(m.id);
      return row
        ? [{ line: (firstLines[row.chunk] ?? 1) + row.line - 1, term: m.term, message: row.message }]
        : [];
    }),
  };
}
