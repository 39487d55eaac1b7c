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

/** The key's low 32 bits, mixed (keys are hashes already; this only spreads runs of nearby values). */
function slot(key: number): number {
  return Math.imul(key >>> 0, 0x9e3779b1) ^ Math.floor(key / 4294967296);
}
