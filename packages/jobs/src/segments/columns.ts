/**
 * An uploaded chunk's records, column by column: what queries filter on and what finds a record's text in
 * the stored file, one packed array per column with one value per record in file order. Everything else
 * about a record (its message, host, path, fields...) is parsed again from its text when it is shown
 * (rehydrate.ts), so storing a chunk costs a few bytes a record and no row or index per record.
 *
 * Packing: little-endian typed arrays (the byte order of every platform Node runs on in practice; checked
 * once, below). Dictionary columns (signature, service) hold indexes into a per-chunk dictionary, two bytes
 * each while the dictionary has fewer than 65,535 entries, else four; the all-ones index means none.
 */

/** Stored column names (entry_segments.column). */
export const COLUMN = {
  /** Byte offset of the record in the stored file, relative to the chunk's start (uint32). */
  offset: 'offset',
  /** Bytes of the record, lines and the terminators between them (uint32). */
  length: 'length',
  /** 1-based line of the record's first line within the chunk (uint32). */
  line: 'line',
  /** Epoch ms (float64; NaN when the record has no usable timestamp). */
  ts: 'ts',
  /** Level rank 0..5 (uint8; NO_LEVEL when none). */
  level: 'level',
  /** HTTP status (uint16; 0 when none). Absent when no record of the chunk has one. */
  status: 'status',
  /** Cleaning flags (uint8, FLAG in entry.ts). */
  flags: 'flags',
  /** Index into `signatures` (kept records only). */
  signature: 'signature',
  /** The signature keys (float64, 53-bit hashes, upload_signatures.signature) by index. */
  signatures: 'signatures',
  /** Index into `services`. Absent when no record of the chunk has a service. */
  service: 'service',
  /** The service names by index, as a JSON array. */
  services: 'services',
} as const;
export type ColumnName = (typeof COLUMN)[keyof typeof COLUMN];

export const NO_LEVEL = 255;
export const NO_STATUS = 0;
const NO_INDEX_16 = 0xffff;
export const NO_INDEX = 0xffffffff;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('entry segments are stored little-endian; this platform is big-endian');
}

/** A chunk's columns as built or as read back. Optional columns are absent when every value is "none". */
export interface SegmentColumns {
  rows: number;
  offset: Uint32Array;
  length: Uint32Array;
  line: Uint32Array;
  ts: Float64Array;
  level: Uint8Array;
  status: Uint16Array | null;
  flags: Uint8Array;
  /** Indexes into `signatures`, NO_INDEX when none. */
  signature: Uint32Array;
  signatures: Float64Array;
  service: Uint32Array | null;
  services: string[];
}

/** Grows a typed array to at least `need` elements, keeping its contents. */
function grown<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(array: T, need: number): T {
  if (array.length >= need) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(need, array.length * 2));
  next.set(array);
  return next;
}

/**
 * Collects one chunk's records as columns. `add` takes the values in a fixed order and allocates nothing
 * per record (the arrays double when full).
 */
export class SegmentBuilder {
  private rows = 0;
  private offset: Uint32Array;
  private length: Uint32Array;
  private line: Uint32Array;
  private ts: Float64Array;
  private level: Uint8Array;
  private status: Uint16Array;
  private flags: Uint8Array;
  private signature: Uint32Array;
  private service: Uint32Array;
  private anyStatus = false;
  private readonly serviceIndex = new Map<string, number>();
  private readonly serviceNames: string[] = [];

  /** `chunkStart`: the chunk's first byte in the file; `expectedRows` sizes the arrays at first. */
  constructor(
    private readonly chunkStart: number,
    expectedRows = 1024,
  ) {
    const n = Math.max(16, expectedRows);
    this.offset = new Uint32Array(n);
    this.length = new Uint32Array(n);
    this.line = new Uint32Array(n);
    this.ts = new Float64Array(n);
    this.level = new Uint8Array(n);
    this.status = new Uint16Array(n);
    this.flags = new Uint8Array(n);
    this.signature = new Uint32Array(n);
    this.service = new Uint32Array(n);
  }

  get size(): number {
    return this.rows;
  }

  /**
   * One record: its file offset and byte length, first line within the chunk, timestamp (undefined:
   * none), level rank (undefined: none), status, flags, signature index (-1: none) and service.
   */
  add(
    offset: number,
    byteLength: number,
    line: number,
    ts: number | undefined,
    level: number | undefined,
    status: number | undefined,
    flags: number,
    signature: number,
    service: string | undefined,
  ): void {
    const i = this.rows++;
    if (i === this.offset.length) this.grow(i + 1);
    this.offset[i] = offset - this.chunkStart;
    this.length[i] = byteLength;
    this.line[i] = line;
    this.ts[i] = ts ?? Number.NaN;
    this.level[i] = level ?? NO_LEVEL;
    if (status !== undefined && status > 0 && status < 65536) {
      this.status[i] = status;
      this.anyStatus = true;
    } else this.status[i] = NO_STATUS;
    this.flags[i] = flags;
    this.signature[i] = signature < 0 ? NO_INDEX : signature;
    this.service[i] = service === undefined ? NO_INDEX : this.indexOfService(service);
  }

  private indexOfService(name: string): number {
    let index = this.serviceIndex.get(name);
    if (index === undefined) {
      index = this.serviceNames.length;
      this.serviceNames.push(name);
      this.serviceIndex.set(name, index);
    }
    return index;
  }

  private grow(need: number): void {
    this.offset = grown(this.offset, need);
    this.length = grown(this.length, need);
    this.line = grown(this.line, need);
    this.ts = grown(this.ts, need);
    this.level = grown(this.level, need);
    this.status = grown(this.status, need);
    this.flags = grown(this.flags, need);
    this.signature = grown(this.signature, need);
    this.service = grown(this.service, need);
  }

  /** The columns, trimmed to the records added; `signatureKeys` is the signature dictionary. */
  finish(signatureKeys: readonly number[]): SegmentColumns {
    const n = this.rows;
    return {
      rows: n,
      offset: this.offset.slice(0, n),
      length: this.length.slice(0, n),
      line: this.line.slice(0, n),
      ts: this.ts.slice(0, n),
      level: this.level.slice(0, n),
      status: this.anyStatus ? this.status.slice(0, n) : null,
      flags: this.flags.slice(0, n),
      signature: this.signature.slice(0, n),
      signatures: Float64Array.from(signatureKeys),
      service: this.serviceNames.length > 0 ? this.service.slice(0, n) : null,
      services: [...this.serviceNames],
    };
  }
}

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Dictionary indexes in two bytes while the dictionary allows it. */
function packIndexes(indexes: Uint32Array, dictionarySize: number): Buffer {
  if (dictionarySize >= NO_INDEX_16) return bytesOf(indexes);
  const narrow = new Uint16Array(indexes.length);
  for (let i = 0; i < indexes.length; i++) {
    const v = indexes[i] as number;
    narrow[i] = v === NO_INDEX ? NO_INDEX_16 : v;
  }
  return bytesOf(narrow);
}

function unpackIndexes(bytes: Uint8Array, rows: number): Uint32Array {
  if (rows === 0) return new Uint32Array(0);
  if (bytes.byteLength === rows * 4) return copyInto(new Uint32Array(rows), bytes);
  const narrow = copyInto(new Uint16Array(rows), bytes);
  const out = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = narrow[i] as number;
    out[i] = v === NO_INDEX_16 ? NO_INDEX : v;
  }
  return out;
}

/** Copies stored bytes into an aligned typed array (a blob read back may start at any byte offset). */
function copyInto<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(
  out: T,
  bytes: Uint8Array,
): T {
  if (bytes.byteLength !== out.byteLength) {
    throw new Error(`stored column has ${bytes.byteLength} bytes where ${out.byteLength} were expected`);
  }
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes);
  return out;
}

/** The columns as stored: [name, bytes] for each column present. */
export function packColumns(c: SegmentColumns): [ColumnName, Buffer][] {
  const out: [ColumnName, Buffer][] = [
    [COLUMN.offset, bytesOf(c.offset)],
    [COLUMN.length, bytesOf(c.length)],
    [COLUMN.line, bytesOf(c.line)],
    [COLUMN.ts, bytesOf(c.ts)],
    [COLUMN.level, bytesOf(c.level)],
    [COLUMN.flags, bytesOf(c.flags)],
    [COLUMN.signature, packIndexes(c.signature, c.signatures.length)],
    [COLUMN.signatures, bytesOf(c.signatures)],
  ];
  if (c.status) out.push([COLUMN.status, bytesOf(c.status)]);
  if (c.service) {
    out.push([COLUMN.service, packIndexes(c.service, c.services.length)]);
    out.push([COLUMN.services, Buffer.from(JSON.stringify(c.services))]);
  }
  return out;
}

/** Decoders of stored columns, given the chunk's record count. */
export const unpack = {
  offset: (b: Uint8Array, rows: number) => copyInto(new Uint32Array(rows), b),
  length: (b: Uint8Array, rows: number) => copyInto(new Uint32Array(rows), b),
  line: (b: Uint8Array, rows: number) => copyInto(new Uint32Array(rows), b),
  ts: (b: Uint8Array, rows: number) => copyInto(new Float64Array(rows), b),
  level: (b: Uint8Array, rows: number) => copyInto(new Uint8Array(rows), b),
  status: (b: Uint8Array, rows: number) => copyInto(new Uint16Array(rows), b),
  flags: (b: Uint8Array, rows: number) => copyInto(new Uint8Array(rows), b),
  signature: unpackIndexes,
  signatures: (b: Uint8Array) => copyInto(new Float64Array(b.byteLength / 8), b),
  service: unpackIndexes,
  services: (b: Uint8Array) => JSON.parse(Buffer.from(b).toString('utf8')) as string[],
};

/** The flags column packed, for a rewrite of it alone (the clean stage flags records after parsing). */
export const packFlags = (flags: Uint8Array): Buffer => bytesOf(flags);
