import type { Sqlite } from '@logsift/db';
import { chunkFilter, chunkMayMatch } from '../segments/filter.js';
import { type RecordRef, readChunkBytes, type StoredRecord } from '../segments/rehydrate.js';
import type { ChunkSegment } from '../segments/store.js';
import {
  candidateRows,
  chunkMayHold,
  messageHas,
  type TextSearch,
  textSearch,
} from '../segments/text-search.js';
import { UploadRecords, type UploadSource } from '../segments/upload-records.js';
import type { EntryFilters } from './entries.js';
import { recordFilterOf } from './upload-entries.js';

/** Position after the last row of a page of /api/logs: its time (null once into rows without one) and id. */
export interface LogCursor {
  ts: number | null;
  id: number;
}

type LogQuery = Pick<EntryFilters, 'level' | 'service' | 'from' | 'to' | 'q' | 'template' | 'dropped'>;

/** A candidate of a page: where it is, its sort key and, under a text search, the record already parsed. */
interface Candidate {
  ts: number;
  id: number;
  ref: RecordRef;
  record?: StoredRecord;
}

/** Newer first: by time, then id. */
const newer = (ts: number, id: number, than: Candidate) => ts > than.ts || (ts === than.ts && id > than.id);

/**
 * The newest records of one upload matching `f` (time descending, then id), after `cursor`, at most
 * `want`; then, when `undated` and the page is not full, records without a timestamp by id descending.
 * Chunks are visited newest first (by their latest timestamp) and reading stops once no chunk left can
 * hold a newer record than the page's oldest: one or two chunks for a log in time order. Within a chunk
 * its rows are read from the last, so for such a log few candidates enter the page.
 */
export async function uploadLogRecords(
  sqlite: Sqlite,
  upload: UploadSource,
  f: LogQuery,
  cursor: LogCursor | undefined,
  want: number,
  undated: boolean,
): Promise<StoredRecord[]> {
  const records = new UploadRecords(sqlite, upload, { textFilters: f.q !== undefined });
  const filter = recordFilterOf(sqlite, upload.seq, f);
  const search = f.q ? textSearch(f.q, records.parser.format) : null;
  const { metas } = records;
  const eligible = (c: number) => {
    const meta = metas[c];
    return meta !== undefined && chunkMayMatch(meta, filter) && (!search || chunkMayHold(meta, search));
  };
  const out: StoredRecord[] = [];
  if (!cursor || cursor.ts !== null) {
    const order = metas
      .map((_, c) => c)
      .filter(
        (c) =>
          eligible(c) &&
          metas[c]?.maxTs != null &&
          (!cursor || (metas[c]?.minTs ?? 0) <= (cursor.ts as number)),
      )
      .sort((a, b) => (metas[b]?.maxTs as number) - (metas[a]?.maxTs as number));
    const page: Candidate[] = [];
    for (const c of order) {
      const worst = page.at(-1);
      if (page.length >= want && worst && (metas[c]?.maxTs as number) < worst.ts) break;
      await collectTimed(records, records.segment(c), filter, search, cursor, want, page);
    }
    out.push(...(await parsed(records, page)));
  }
  if (undated && out.length < want) {
    for (let c = metas.length - 1; c >= 0 && out.length < want; c--) {
      if (!eligible(c) || metas[c]?.undated === 0) continue;
      const segment = records.segment(c);
      const test = chunkFilter(segment, filter);
      if (!test) continue;
      const ts = segment.ts;
      const bytes = search ? await readChunkBytes(upload.storedPath, segment) : null;
      const rows = bytes && search ? candidateRows(segment, bytes, search) : null;
      const refs: RecordRef[] = [];
      for (let k = (rows?.length ?? segment.rows) - 1; k >= 0 && out.length + refs.length < want; k--) {
        const row = rows ? (rows[k] as number) : k;
        if (!Number.isNaN(ts[row])) continue;
        if (cursor && cursor.ts === null && upload.entryBase + segment.offsetOf(row) >= cursor.id) continue;
        if (!test(row)) continue;
        if (bytes && search) {
          const record = records.parser.rowFromChunk({ segment, row }, bytes);
          if (messageHas(search, record.row.message)) out.push(record);
        } else refs.push({ segment, row });
      }
      out.push(...(await records.rows(refs)));
    }
  }
  return out;
}

/** Adds the chunk's matching records that belong in the page (kept sorted, newest first, at most `want`). */
async function collectTimed(
  records: UploadRecords,
  segment: ChunkSegment,
  filter: ReturnType<typeof recordFilterOf>,
  search: TextSearch | null,
  cursor: LogCursor | undefined,
  want: number,
  page: Candidate[],
): Promise<void> {
  const test = chunkFilter(segment, filter);
  if (!test) return;
  const ts = segment.ts;
  const base = records.upload.entryBase + segment.meta.start;
  const offsets = segment.offset;
  const bytes = search ? await readChunkBytes(records.upload.storedPath, segment) : null;
  const rows = bytes && search ? candidateRows(segment, bytes, search) : null;
  for (let k = (rows?.length ?? segment.rows) - 1; k >= 0; k--) {
    const row = rows ? (rows[k] as number) : k;
    const t = ts[row] as number;
    if (Number.isNaN(t)) continue;
    const id = base + (offsets[row] as number);
    if (cursor && !(t < (cursor.ts as number) || (t === cursor.ts && id < cursor.id))) continue;
    const worst = page.at(-1);
    if (page.length >= want && worst && !newer(t, id, worst)) continue;
    if (!test(row)) continue;
    const pick: Candidate = { ts: t, id, ref: { segment, row } };
    if (bytes && search) {
      pick.record = records.parser.rowFromChunk(pick.ref, bytes);
      if (!messageHas(search, pick.record.row.message)) continue;
    }
    let at = page.length;
    while (at > 0 && newer(t, id, page[at - 1] as Candidate)) at--;
    page.splice(at, 0, pick);
    if (page.length > want) page.pop();
  }
}

/** The page's records, parsed where the search did not parse them already. */
async function parsed(records: UploadRecords, page: readonly Candidate[]): Promise<StoredRecord[]> {
  const missing = page.filter((p) => !p.record);
  const read = await records.rows(missing.map((p) => p.ref));
  let next = 0;
  return page.map((p) => p.record ?? (read[next++] as StoredRecord));
}
