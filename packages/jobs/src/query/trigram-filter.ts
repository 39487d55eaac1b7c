/**
 * A chunk's text skip index: a Bloom filter of the trigrams (three consecutive UTF-16 code units, ASCII
 * letters folded to lower case, as SQLite's LIKE compares) of its records' messages. A message contains
 * `q` only if it holds every trigram of `q`, so a chunk whose filter lacks one of them cannot match
 * `message LIKE '%q%'` and a text search skips it; a false positive only costs reading the chunk.
 *
 * Its own small hash rather than stats/BloomFilter's string hashes: a chunk adds some hundred trigrams per
 * record, and hashing each as a string (a substring and its UTF-8 bytes) would cost more than the rest of
 * the parse. Fixed size, 2^16 bits (8 KiB) and 2 bit positions per trigram: a 2 MiB chunk of access log
 * holds about 2,500 distinct trigrams, which fill 7% of the bits (a false positive per trigram 0.5%).
 */
export const TRIGRAM_FILTER_BYTES = 8192;
const MASK = TRIGRAM_FILTER_BYTES * 8 - 1;
/** Above this share of bits set, a filter rejects too little to be worth its read: none is stored. */
const MAX_FILL = 0.6;

const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** A trigram's hash; its two bit positions are the low and high 16 bits. */
function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

export class TrigramFilterBuilder {
  private readonly bits = new Uint8Array(TRIGRAM_FILTER_BYTES);

  add(text: string): void {
    const bits = this.bits;
    if (text.length < 3) return;
    let a = fold(text.charCodeAt(0));
    let b = fold(text.charCodeAt(1));
    for (let i = 2; i < text.length; i++) {
      const c = fold(text.charCodeAt(i));
      const h = hash3(a, b, c);
      const lo = h & MASK;
      const hi = (h >>> 16) & MASK;
      bits[lo >>> 3] = (bits[lo >>> 3] as number) | (1 << (lo & 7));
      bits[hi >>> 3] = (bits[hi >>> 3] as number) | (1 << (hi & 7));
      a = b;
      b = c;
    }
  }

  /** The filter to store, or null when it is too full to skip anything (or nothing was added). */
  finish(): Buffer | null {
    let set = 0;
    for (const byte of this.bits) set += POPCOUNT[byte] as number;
    if (set === 0 || set > MAX_FILL * this.bits.length * 8) return null;
    return Buffer.from(this.bits.buffer, this.bits.byteOffset, this.bits.byteLength);
  }
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, n) => {
  let c = 0;
  for (let v = n; v > 0; v >>>= 1) c += v & 1;
  return c;
});

/** The hashes of `q`'s trigrams, to test filters with; empty when `q` is shorter than a trigram. */
export function trigramHashes(q: string): number[] {
  const out = new Set<number>();
  for (let i = 2; i < q.length; i++) {
    out.add(hash3(fold(q.charCodeAt(i - 2)), fold(q.charCodeAt(i - 1)), fold(q.charCodeAt(i))));
  }
  return [...out];
}

/** False when no message the filter was built from can contain the text whose trigram hashes these are. */
export function mayContain(filter: Uint8Array, hashes: readonly number[]): boolean {
  if (filter.length !== TRIGRAM_FILTER_BYTES) return true; // not a filter this code wrote: cannot skip
  for (const h of hashes) {
    const lo = h & MASK;
    const hi = (h >>> 16) & MASK;
    if (((filter[lo >>> 3] as number) & (1 << (lo & 7))) === 0) return false;
    if (((filter[hi >>> 3] as number) & (1 << (hi & 7))) === 0) return false;
  }
  return true;
}
