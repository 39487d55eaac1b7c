import { Buffer } from 'node:buffer';
import { hashPair } from './hash.js';

/** Serialised form: the bit array as base64 (bit i is bit i%8 of byte i/8). */
export interface BloomFilterJSON {
  bitCount: number;
  hashCount: number;
  /** Items added, summed over merged filters: an upper bound on the distinct items held. */
  added: number;
  bits: string;
}

/**
 * A Bloom filter: `has` never answers false for an added item, and answers true for an item never added
 * with probability about (1 - e^(-k n / m))^k, k hashes, m bits, n items.
 *
 * The k bit positions come from double hashing (Kirsch & Mitzenmacher): g_i(x) = h1(x) + i * h2(x) mod m,
 * with h1 = Murmur3 and h2 = FNV-1a, which keeps the false-positive rate of k independent hashes at the
 * cost of two.
 */
export class BloomFilter {
  readonly bitCount: number;
  readonly hashCount: number;
  private readonly bits: Uint8Array;
  private addedCount = 0;
  private readonly hashes: [number, number] = [0, 0];

  constructor(bitCount: number, hashCount: number, bits?: Uint8Array) {
    if (!Number.isInteger(bitCount) || bitCount < 1)
      throw new RangeError(`bitCount must be >= 1: ${bitCount}`);
    if (!Number.isInteger(hashCount) || hashCount < 1) {
      throw new RangeError(`hashCount must be >= 1: ${hashCount}`);
    }
    const byteLength = Math.ceil(bitCount / 8);
    if (bits && bits.length !== byteLength) throw new RangeError('bit array does not match bitCount');
    this.bitCount = bitCount;
    this.hashCount = hashCount;
    this.bits = bits ?? new Uint8Array(byteLength);
  }

  /**
   * Sizes a filter for `expectedItems` at `falsePositiveRate` (for example 0.01 for 1%):
   * m = -n ln p / (ln 2)^2 bits and k = (m / n) ln 2 hashes, the optimum for that m and n.
   */
  static forCapacity(expectedItems: number, falsePositiveRate: number): BloomFilter {
    if (!(expectedItems >= 1)) throw new RangeError(`expectedItems must be >= 1: ${expectedItems}`);
    if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
      throw new RangeError(`falsePositiveRate must be in (0, 1): ${falsePositiveRate}`);
    }
    const bitCount = Math.ceil((-expectedItems * Math.log(falsePositiveRate)) / Math.LN2 ** 2);
    const hashCount = Math.max(1, Math.round((bitCount / expectedItems) * Math.LN2));
    return new BloomFilter(bitCount, hashCount);
  }

  static fromJSON(json: BloomFilterJSON): BloomFilter {
    const filter = new BloomFilter(
      json.bitCount,
      json.hashCount,
      new Uint8Array(Buffer.from(json.bits, 'base64')),
    );
    filter.addedCount = json.added;
    return filter;
  }

  /** Items added so far (summed over merges, so repeated or shared items count more than once). */
  get added(): number {
    return this.addedCount;
  }

  add(item: string): void {
    const [h1, h2] = hashPair(item, this.hashes);
    for (let i = 0; i < this.hashCount; i++) {
      const bit = (h1 + i * h2) % this.bitCount;
      this.bits[bit >>> 3]! |= 1 << (bit & 7);
    }
    this.addedCount++;
  }

  /** False means certainly never added; true means added, or a false positive. */
  has(item: string): boolean {
    const [h1, h2] = hashPair(item, this.hashes);
    for (let i = 0; i < this.hashCount; i++) {
      const bit = (h1 + i * h2) % this.bitCount;
      if ((this.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }

  /** Union: afterwards `has` is true for everything added to either filter. Shapes must match. */
  merge(other: BloomFilter): void {
    if (other.bitCount !== this.bitCount || other.hashCount !== this.hashCount) {
      throw new Error(
        `cannot merge Bloom filters of different shapes: ${this.bitCount}/${this.hashCount} and ${other.bitCount}/${other.hashCount}`,
      );
    }
    for (let i = 0; i < this.bits.length; i++) this.bits[i]! |= other.bits[i]!;
    this.addedCount += other.addedCount;
  }

  /** The false-positive rate expected for the items added so far: (1 - e^(-k n / m))^k. */
  expectedFalsePositiveRate(): number {
    return (1 - Math.exp((-this.hashCount * this.addedCount) / this.bitCount)) ** this.hashCount;
  }

  toJSON(): BloomFilterJSON {
    return {
      bitCount: this.bitCount,
      hashCount: this.hashCount,
      added: this.addedCount,
      bits: Buffer.from(this.bits.buffer, this.bits.byteOffset, this.bits.byteLength).toString('base64'),
    };
  }
}
