import { TextFilterBuilder } from '../query/text-filter.js';
import { NO_LEVEL } from './columns.js';

/** Bit of `levelMask` for records without a level (ranks 0..5 use bits 0..5). */
export const NO_LEVEL_BIT = 1 << 6;

/**
 * What lets a query skip a chunk without reading its columns (chunk_results): the span of its timestamps
 * (a zone map), the levels, flags and status codes present, how many records have no timestamp, and the
 * text filter of its messages (text-filter.ts).
 */
export interface SkipIndex {
  minTs: number | null;
  maxTs: number | null;
  levelMask: number;
  flagMask: number;
  /** Sorted distinct status codes as little-endian uint16s; null when no record has one. */
  statusSet: Buffer | null;
  undated: number;
  textFilter: Buffer | null;
}

export class SkipIndexBuilder {
  private minTs = Number.POSITIVE_INFINITY;
  private maxTs = Number.NEGATIVE_INFINITY;
  private levelMask = 0;
  private flagMask = 0;
  private undated = 0;
  /** 1 at each status code present. */
  private readonly statuses = new Uint8Array(65536);
  private anyStatus = false;
  private readonly text = new TextFilterBuilder();

  add(
    ts: number | undefined,
    level: number | undefined,
    status: number | undefined,
    flags: number,
    message: string,
  ): void {
    this.text.add(message);
    this.levelMask |= level === undefined || level === NO_LEVEL ? NO_LEVEL_BIT : 1 << level;
    this.flagMask |= flags;
    if (status !== undefined && status > 0 && status < 65536) {
      this.statuses[status] = 1;
      this.anyStatus = true;
    }
    if (ts === undefined) {
      this.undated++;
      return;
    }
    if (ts < this.minTs) this.minTs = ts;
    if (ts > this.maxTs) this.maxTs = ts;
  }

  finish(): SkipIndex {
    const dated = this.minTs <= this.maxTs;
    return {
      minTs: dated ? this.minTs : null,
      maxTs: dated ? this.maxTs : null,
      levelMask: this.levelMask,
      flagMask: this.flagMask,
      statusSet: this.anyStatus ? statusSetOf(this.statuses) : null,
      undated: this.undated,
      textFilter: this.text.finish(),
    };
  }
}

function statusSetOf(present: Uint8Array): Buffer {
  const codes: number[] = [];
  for (let s = 1; s < present.length; s++) if (present[s]) codes.push(s);
  const packed = Uint16Array.from(codes);
  return Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
}

/** The status codes of a stored status set. */
export function readStatusSet(bytes: Uint8Array | null): number[] {
  if (!bytes || bytes.byteLength === 0) return [];
  const codes = new Uint16Array(bytes.byteLength / 2);
  new Uint8Array(codes.buffer).set(bytes);
  return [...codes];
}
