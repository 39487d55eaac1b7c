import { fmix32 } from '../stats/hash.js';

/**
 * A chunk's text skip index: Bloom filters of what its records' messages contain, so a text search
 * (`message LIKE '%q%'`, ASCII letters folded as LIKE folds them) skips the chunks that cannot hold `q`.
 * A false positive only costs reading the chunk; a chunk holding `q` is never skipped.
 *
 * Two parts, stored one after the other in one blob:
 *
 * - Trigrams (three consecutive UTF-16 code units) of every message, 2^16 bits (8 KiB). A message holds
 *   `q` only if it holds every trigram of `q`. A 2 MiB chunk of access log has about 2,500 distinct
 *   trigrams, which fill 7% of the bits (a false positive per trigram 0.5%). Words and names are told
 *   apart well this way; numbers are not, as a chunk holds every three-digit sequence.
 * - 5-grams of identifiers: runs of ASCII letters and digits with a digit in them (order numbers, request
 *   and trace ids, block ids), at least five long. An identifier in `q` lies inside an identifier of the
 *   message, so each of its 5-grams is in the chunk's part. Identifiers are mostly distinct, so this part
 *   is sized by how many grams the chunk's distinct messages hold (10 bits each, up to 256 KiB; none past that).
 *
 * Its own small hashes rather than stats/BloomFilter's string hashes: a chunk adds tens of grams per
 * record, and hashing each as a string (a substring and its UTF-8 bytes) would cost more than the parse.
 */
export const TRIGRAM_BYTES = 8192;
const TRIGRAM_MASK = TRIGRAM_BYTES * 8 - 1;
const MAX_ID_BYTES = 256 * 1024;
const MIN_ID_BYTES = 1024;
/** Bits per identifier 5-gram added: two bit positions each, under 20% of the bits set. */
const ID_BITS_PER_GRAM = 10;
/** Above this share of bits set, trigrams rule out too little: that part is stored as all ones. */
const MAX_FILL = 0.6;
const GRAM = 5;
/**
 * Distinct messages a builder remembers so that a repeated one is not hashed again (adding it twice sets
 * the same bits). Access logs repeat their request lines: a 2 MiB chunk of 13,500 records has about 2,300
 * distinct ones. Past this many, messages are hashed whether seen or not, which bounds the memory.
 */
const MAX_REMEMBERED = 16_384;

const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnum = (c: number) => isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** A trigram's hash; its two bit positions are the low and high 16 bits. */
function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The hash of the 5-gram of (folded) `text` starting at `at`. */
function hash5(text: string, at: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + GRAM; i++) h = Math.imul(h ^ fold(text.charCodeAt(i)), 0x01000193);
  return fmix32(h);
}

/** Calls `each(start, end)` for every run of ASCII letters and digits in `text` that has a digit in it. */
function forEachIdentifier(text: string, each: (start: number, end: number) => void): void {
  let start = -1;
  let digit = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    if (isAlnum(c)) {
      if (start < 0) start = i;
      if (isDigit(c)) digit = true;
    } else if (start >= 0) {
      if (digit && i - start >= GRAM) each(start, i);
      start = -1;
      digit = false;
    }
  }
}

function setBit(bits: Uint8Array, bit: number): void {
  bits[bit >>> 3] = (bits[bit >>> 3] as number) | (1 << (bit & 7));
}

const hasBit = (bits: Uint8Array, bit: number) => ((bits[bit >>> 3] as number) & (1 << (bit & 7))) !== 0;

/** An identifier 5-gram's two bit positions in a part of `mask + 1` bits. */
const idBits = (h: number, mask: number): [number, number] => [h & mask, fmix32(h ^ 0x9e3779b9) & mask];

export class TextFilterBuilder {
  private readonly trigrams = new Uint8Array(TRIGRAM_BYTES);
  private idGrams = new Uint32Array(1024);
  private idCount = 0;
  private readonly added = new Set<string>();

  add(text: string): void {
    if (text.length < 3 || this.added.has(text)) return;
    if (this.added.size < MAX_REMEMBERED) this.added.add(text);
    const bits = this.trigrams;
    let a = fold(text.charCodeAt(0));
    let b = fold(text.charCodeAt(1));
    let digits = isDigit(a) || isDigit(b);
    for (let i = 2; i < text.length; i++) {
      const c = fold(text.charCodeAt(i));
      const h = hash3(a, b, c);
      setBit(bits, h & TRIGRAM_MASK);
      setBit(bits, (h >>> 16) & TRIGRAM_MASK);
      if (isDigit(c)) digits = true;
      a = b;
      b = c;
    }
    if (digits && text.length >= GRAM)
      forEachIdentifier(text, (start, end) => this.addIdentifier(text, start, end));
  }

  private addIdentifier(text: string, start: number, end: number): void {
    for (let i = start; i + GRAM <= end; i++) {
      if (this.idCount === this.idGrams.length) {
        const grown = new Uint32Array(this.idGrams.length * 2);
        grown.set(this.idGrams);
        this.idGrams = grown;
      }
      this.idGrams[this.idCount++] = hash5(text, i);
    }
  }

  /** The filter to store, or null when it could rule nothing out. */
  finish(): Buffer | null {
    const trigramFill = fill(this.trigrams);
    const trigramsUseful = trigramFill > 0 && trigramFill <= MAX_FILL;
    const idBytes = Math.min(
      MAX_ID_BYTES,
      Math.max(MIN_ID_BYTES, 2 ** Math.ceil(Math.log2((this.idCount * ID_BITS_PER_GRAM) / 8 || 1))),
    );
    const idsUseful = this.idCount > 0 && this.idCount * ID_BITS_PER_GRAM <= idBytes * 8;
    if (!trigramsUseful && !idsUseful) return null;
    const out = Buffer.alloc(TRIGRAM_BYTES + (idsUseful ? idBytes : 0));
    if (trigramsUseful) out.set(this.trigrams);
    else out.fill(0xff, 0, TRIGRAM_BYTES);
    if (idsUseful) {
      const ids = out.subarray(TRIGRAM_BYTES);
      const mask = idBytes * 8 - 1;
      for (let i = 0; i < this.idCount; i++) {
        for (const bit of idBits(this.idGrams[i] as number, mask)) setBit(ids, bit);
      }
    }
    return out;
  }
}

function fill(bits: Uint8Array): number {
  let set = 0;
  for (const byte of bits) set += POPCOUNT[byte] as number;
  return set / (bits.length * 8);
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, n) => {
  let c = 0;
  for (let v = n; v > 0; v >>>= 1) c += v & 1;
  return c;
});

/** What a filter is asked about a text: the hashes of its trigrams and of its identifiers' 5-grams. */
export interface TextProbe {
  trigrams: number[];
  idGrams: number[];
}

export function textProbe(q: string): TextProbe {
  const trigrams = new Set<number>();
  for (let i = 2; i < q.length; i++) {
    trigrams.add(hash3(fold(q.charCodeAt(i - 2)), fold(q.charCodeAt(i - 1)), fold(q.charCodeAt(i))));
  }
  const idGrams = new Set<number>();
  forEachIdentifier(q, (start, end) => {
    for (let i = start; i + GRAM <= end; i++) idGrams.add(hash5(q, i));
  });
  return { trigrams: [...trigrams], idGrams: [...idGrams] };
}

/** True when the probe can rule chunks out at all (the text has a trigram). */
export const canRuleOut = (probe: TextProbe) => probe.trigrams.length > 0;

/** False when no message the filter was built from can contain the probed text. */
export function mayContain(filter: Uint8Array, probe: TextProbe): boolean {
  if (filter.length < TRIGRAM_BYTES) return true; // not a filter this code wrote: cannot rule out
  for (const h of probe.trigrams) {
    if (!hasBit(filter, h & TRIGRAM_MASK) || !hasBit(filter, (h >>> 16) & TRIGRAM_MASK)) return false;
  }
  const ids = filter.subarray(TRIGRAM_BYTES);
  if (ids.length === 0 || (ids.length & (ids.length - 1)) !== 0) return true;
  const mask = ids.length * 8 - 1;
  for (const h of probe.idGrams) {
    for (const bit of idBits(h, mask)) if (!hasBit(ids, bit)) return false;
  }
  return true;
}
