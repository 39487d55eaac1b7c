import { DROP_FLAGS } from '../entry.js';
import { NO_INDEX } from './columns.js';
import { NO_LEVEL_BIT } from './skip-index.js';
import type { ChunkMeta, ChunkSegment } from './store.js';

/** What a query asks of an upload's records, besides a text search (text-search.ts). */
export interface RecordFilter {
  /** Level ranks wanted. */
  levels?: readonly number[] | undefined;
  status?: { min: number; max: number } | undefined;
  /** Epoch ms: from inclusive, to exclusive. */
  from?: number | undefined;
  to?: number | undefined;
  service?: string | undefined;
  /** The signature keys of a template filter (upload_signatures): records of any of them. */
  signatures?: ReadonlySet<number> | undefined;
  /** Include records cleaning dropped (duplicates, clean rules). */
  keepDropped: boolean;
}

const timed = (f: RecordFilter) => f.from !== undefined || f.to !== undefined;

/** False when the chunk's skip index rules out every record (no column need be read). */
export function chunkMayMatch(meta: ChunkMeta, f: RecordFilter): boolean {
  if (meta.records === 0) return false;
  if (timed(f)) {
    if (meta.minTs === null || meta.maxTs === null) return false;
    if (f.from !== undefined && meta.maxTs < f.from) return false;
    if (f.to !== undefined && meta.minTs >= f.to) return false;
  }
  if (f.levels && meta.levelMask !== null) {
    let wanted = 0;
    for (const rank of f.levels) wanted |= 1 << rank;
    if ((meta.levelMask & wanted & ~NO_LEVEL_BIT) === 0) return false;
  }
  if (f.status && meta.statuses !== null) {
    const { min, max } = f.status;
    if (!meta.statuses.some((s) => s >= min && s <= max)) return false;
  }
  return true;
}

/**
 * The record test for one chunk, with the chunk's dictionaries resolved (a service or template the chunk
 * does not have rules it out): null when no record of the chunk can match.
 */
export function chunkFilter(segment: ChunkSegment, f: RecordFilter): ((row: number) => boolean) | null {
  if (!chunkMayMatch(segment.meta, f)) return null;
  const flags = segment.flags;
  const keepDropped = f.keepDropped;
  let levelOk: Uint8Array | null = null;
  const level = f.levels ? segment.level : null;
  if (f.levels) {
    levelOk = new Uint8Array(256);
    for (const rank of f.levels) levelOk[rank] = 1;
  }
  let status: Uint16Array | null = null;
  let min = 0;
  let max = 0;
  if (f.status) {
    status = segment.status;
    if (!status) return null;
    ({ min, max } = f.status);
  }
  const ts = timed(f) ? segment.ts : null;
  const from = f.from ?? Number.NEGATIVE_INFINITY;
  const to = f.to ?? Number.POSITIVE_INFINITY;
  let service: Uint32Array | null = null;
  let serviceIndex = -1;
  if (f.service !== undefined) {
    serviceIndex = segment.services.indexOf(f.service);
    service = segment.service;
    if (serviceIndex < 0 || !service) return null;
  }
  let signature: Uint32Array | null = null;
  let signatureOk: Uint8Array | null = null;
  if (f.signatures) {
    const keys = segment.signatures;
    signatureOk = new Uint8Array(keys.length);
    let any = false;
    keys.forEach((key, i) => {
      if (f.signatures?.has(key)) {
        (signatureOk as Uint8Array)[i] = 1;
        any = true;
      }
    });
    if (!any) return null;
    signature = segment.signature;
  }
  return (i) => {
    if (!keepDropped && ((flags[i] as number) & DROP_FLAGS) !== 0) return false;
    if (levelOk && level && levelOk[level[i] as number] !== 1) return false;
    if (status) {
      const s = status[i] as number;
      if (s < min || s > max) return false;
    }
    if (ts) {
      const t = ts[i] as number;
      if (!(t >= from && t < to)) return false; // NaN (no timestamp) fails both
    }
    if (service && service[i] !== serviceIndex) return false;
    if (signature && signatureOk) {
      const s = signature[i] as number;
      if (s === NO_INDEX || signatureOk[s] !== 1) return false;
    }
    return true;
  };
}
