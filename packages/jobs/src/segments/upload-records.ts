import type { Sqlite } from '@logsift/db';
import { type RecordRef, type RehydrateSource, Rehydrator, type StoredRecord } from './rehydrate.js';
import { type ChunkMeta, ChunkSegment, chunkAt, firstRowAtOrAfter, loadChunkMetas } from './store.js';

export type UploadSource = RehydrateSource & { id: string };

/** Chunks whose columns stay cached: a scan of every chunk keeps only the last few in memory. */
const CACHED_SEGMENTS = 16;

/**
 * One upload's stored records, for one query: its chunks' skip indexes, their columns as they are needed
 * (each read once while its chunk is among the CACHED_SEGMENTS last used), and its records parsed again on
 * demand. A RecordRef keeps its chunk's columns alive for as long as it is held.
 */
export class UploadRecords {
  readonly metas: ChunkMeta[];
  private readonly segments = new Map<number, ChunkSegment>();
  private rehydrator: Rehydrator | undefined;

  constructor(
    readonly sqlite: Sqlite,
    readonly upload: UploadSource,
    options: { textFilters?: boolean } = {},
  ) {
    this.metas = loadChunkMetas(sqlite, upload.id, options.textFilters ?? false);
  }

  /** The columns of the chunk at `index` (file order) of `metas`. */
  segment(index: number): ChunkSegment {
    let s = this.segments.get(index);
    if (s) {
      this.segments.delete(index); // most recently used last
    } else {
      s = new ChunkSegment(this.sqlite, this.upload.id, this.metas[index] as ChunkMeta);
      if (this.segments.size >= CACHED_SEGMENTS) {
        const oldest = this.segments.keys().next().value as number;
        this.segments.delete(oldest);
      }
    }
    this.segments.set(index, s);
    return s;
  }

  get parser(): Rehydrator {
    this.rehydrator ??= new Rehydrator(this.upload);
    return this.rehydrator;
  }

  /** The stored record whose entry id is `id`, if there is one. */
  refOf(id: number): RecordRef | null {
    const offset = id - this.upload.entryBase;
    const index = chunkAt(this.metas, offset);
    if (index < 0) return null;
    const segment = this.segment(index);
    const row = firstRowAtOrAfter(segment, offset);
    return row < segment.rows && segment.offsetOf(row) === offset ? { segment, row } : null;
  }

  /** The records of `ids` that exist, in the order given. */
  async byIds(ids: readonly number[]): Promise<StoredRecord[]> {
    const refs = ids.map((id) => this.refOf(id)).filter((r): r is RecordRef => r !== null);
    return this.parser.rows(refs);
  }

  /**
   * The records of `ids` that exist, one chunk's at a time in file order, so however many ids there are
   * no more than one chunk's columns are held beyond the cache (a RecordRef would keep its chunk's).
   */
  async *byIdsPerChunk(ids: Iterable<number>): AsyncGenerator<StoredRecord[]> {
    const offsets = Float64Array.from(ids, (id) => id - this.upload.entryBase).sort();
    for (let i = 0; i < offsets.length; ) {
      const index = chunkAt(this.metas, offsets[i] as number);
      if (index < 0) {
        i++;
        continue;
      }
      const { end } = this.metas[index] as ChunkMeta;
      const refs: RecordRef[] = [];
      for (; i < offsets.length && (offsets[i] as number) < end; i++) {
        const ref = this.refOf(this.upload.entryBase + (offsets[i] as number));
        if (ref) refs.push(ref);
      }
      yield await this.parser.rows(refs);
    }
  }

  /** Parses `refs` again, in their order. */
  rows(refs: readonly RecordRef[]): Promise<StoredRecord[]> {
    return this.parser.rows(refs);
  }
}
