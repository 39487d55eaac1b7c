/**
 * The exact-duplicate keys a parse job hands to the clean stage, and the set the clean stage checks them
 * against: compact on purpose, since a file has one key per distinct record (10 million for a 10-million-
 * line file). Keys are 53-bit hashes (parse/duplicates.ts): safe integers, exact in a float64.
 */

/** Keys with their byte offsets as float64 pairs [key, offset, key, offset, ...] (platform byte order). */
export function packDedup(keys: readonly number[], offsets: readonly number[]): Buffer {
  const pairs = new Float64Array(keys.length * 2);
  for (let i = 0; i < keys.length; i++) {
    pairs[2 * i] = keys[i] as number;
    pairs[2 * i + 1] = offsets[i] as number;
  }
  return Buffer.from(pairs.buffer, pairs.byteOffset, pairs.byteLength);
}

/** The pairs of a packed buffer (copied, so the array is aligned whatever the buffer's offset). */
export function unpackDedup(packed: Uint8Array | null): Float64Array {
  if (!packed || packed.byteLength === 0) return new Float64Array(0);
  const pairs = new Float64Array(packed.byteLength / 8);
  new Uint8Array(pairs.buffer).set(packed);
  return pairs;
}

const MAX_LOAD = 0.7;

/**
 * A set of non-negative safe integers in one Float64Array with open addressing (8 bytes a slot, at most
 * 70% full): about 11 bytes a key, where a `Set<number>` of millions of keys takes several times that.
 */
export class KeySet {
  private table: Float64Array;
  private mask: number;
  private count = 0;

  constructor(expected = 0) {
    let capacity = 16;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.table = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds `key`; false when it was in the set already. */
  add(key: number): boolean {
    if (this.count + 1 > this.table.length * MAX_LOAD) this.grow();
    const stored = key + 1; // 0 marks an empty slot
    let i = slot(key) & this.mask;
    for (;;) {
      const v = this.table[i];
      if (v === 0) {
        this.table[i] = stored;
        this.count++;
        return true;
      }
      if (v === stored) return false;
      i = (i + 1) & this.mask;
    }
  }

  has(key: number): boolean {
    const stored = key + 1;
    let i = slot(key) & this.mask;
    for (;;) {
      const v = this.table[i];
      if (v === 0) return false;
      if (v === stored) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = this.table.length - 1;
    this.count = 0;
    for (const v of old) if (v !== 0) this.add(v - 1);
  }
}

/** Keys a table of the in-memory split holds: 16K keys in 32K slots (256 KiB), small enough to stay in cache. */
const KEYS_PER_TABLE = 16_384;
/** Most tables of the in-memory split (a power of two). */
const MAX_TABLES = 256;
const TWO_32 = 4294967296;

/**
 * Pushes to `found` the offsets of the pairs whose key came earlier in `pairs` (blocks of [key, offset, ...],
 * read once, in order; `keys`: how many pairs at most). One table of millions of keys misses the CPU's cache
 * on nearly every probe, so the pairs are first routed by key into blocks of about KEYS_PER_TABLE keys in
 * memory, each keeping its pairs' order, and each block is then checked against a small table of its own:
 * the same answer, in about half the time at 2M keys. `divisor`: routing skips the key bits a caller split
 * by already (the disk parts, `key / 2^32 % divisor`), so each block still gets a share of its keys.
 */
export function findRepeats(pairs: Iterable<Float64Array>, keys: number, found: number[], divisor = 1): void {
  let tables = 1;
  while (tables < MAX_TABLES && tables * KEYS_PER_TABLE < keys) tables *= 2;
  if (tables === 1) {
    checkBlocks(pairs, keys, found);
    return;
  }
  const initial = 2 * Math.ceil((keys / tables) * 1.1 + 32);
  const blocks = Array.from({ length: tables }, () => new Float64Array(initial));
  const fill = new Int32Array(tables);
  const route = TWO_32 * divisor;
  for (const block of pairs) {
    for (let i = 0; i < block.length; i += 2) {
      const key = block[i] as number;
      const t = Math.floor(key / route) & (tables - 1);
      let target = blocks[t] as Float64Array;
      const n = fill[t] as number;
      if (n === target.length) {
        const grown = new Float64Array(target.length * 2);
        grown.set(target);
        blocks[t] = target = grown;
      }
      target[n] = key;
      target[n + 1] = block[i + 1] as number;
      fill[t] = n + 2;
    }
  }
  for (let t = 0; t < tables; t++) {
    const n = fill[t] as number;
    checkBlocks([(blocks[t] as Float64Array).subarray(0, n)], n / 2, found);
    blocks[t] = new Float64Array(0); // checked: its memory can go
  }
}

function checkBlocks(pairs: Iterable<Float64Array>, keys: number, found: number[]): void {
  const seen = new KeySet(keys);
  for (const block of pairs) {
    for (let i = 0; i < block.length; i += 2) {
      if (!seen.add(block[i] as number)) found.push(block[i + 1] as number);
    }
  }
}

/** The key's low 32 bits, mixed (keys are hashes already; this only spreads runs of nearby values). */
function slot(key: number): number {
  return Math.imul(key >>> 0, 0x9e3779b1) ^ Math.floor(key / 4294967296);
}
