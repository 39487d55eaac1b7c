/**
 * Fast non-cryptographic 32-bit string hashes over the UTF-8 bytes of a string, so the values match the
 * published test vectors of each algorithm and stay stable across runtimes (a serialised Bloom filter
 * must hash the same way when it is read back).
 */

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);

/** Encodes `text` as UTF-8 into a shared buffer; returns the byte length. Valid until the next call. */
function encodeUtf8(text: string): number {
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  return encoder.encodeInto(text, scratch).written;
}

function fnv1aBytes(bytes: Uint8Array, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) {
    hash ^= bytes[i]!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function murmur3Bytes(bytes: Uint8Array, length: number, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let hash = seed | 0;
  const blockEnd = length & ~3;
  for (let i = 0; i < blockEnd; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    hash ^= k;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blockEnd + 2]! << 16;
    if (tail >= 2) k ^= bytes[blockEnd + 1]! << 8;
    k ^= bytes[blockEnd]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    hash ^= k;
  }
  return fmix32(hash ^ length);
}

/** MurmurHash3's 32-bit finaliser: mixes every input bit into every output bit. Unsigned result. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a, 32-bit, of the UTF-8 bytes of `text`. Unsigned result. */
export function fnv1a32(text: string): number {
  const length = encodeUtf8(text); // may replace `scratch`, so it is read after
  return fnv1aBytes(scratch, length);
}

/** MurmurHash3 x86_32 of the UTF-8 bytes of `text`. Unsigned result. */
export function murmur3_32(text: string, seed = 0): number {
  const length = encodeUtf8(text); // may replace `scratch`, so it is read after
  return murmur3Bytes(scratch, length, seed);
}

/**
 * Two independent 32-bit hashes of `text` (Murmur3 and FNV-1a) from one UTF-8 encoding, for double
 * hashing. Writes into `out` to avoid allocating on hot paths.
 */
export function hashPair(text: string, out: [number, number]): [number, number] {
  const length = encodeUtf8(text);
  out[0] = murmur3Bytes(scratch, length, 0);
  out[1] = fnv1aBytes(scratch, length);
  return out;
}

/**
 * The view of the last byte array hashed: the lines of one read share theirs, so it is made once (with a
 * view made for every call, a hash took more than twice as long). It keeps that one array alive until the
 * next array is hashed: at most one read's buffer.
 */
let viewed: Uint8Array | undefined;
let view: DataView | undefined;

function viewOf(bytes: Uint8Array): DataView {
  if (bytes !== viewed || view === undefined) {
    view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    viewed = bytes;
  }
  return view;
}

/**
 * A 53-bit hash (a safe integer, exact in a float64) of `bytes[start, end)`: MurmurHash3 x86_128's block
 * loop cut to two lanes over 8-byte blocks, each lane finalised with Murmur's fmix and the length. About
 * 0.5 ns a byte, where `hashPair`'s FNV lane alone costs a multiplication a byte. For keys that stay
 * inside logsift (record and signature identities), not values to match with other implementations; two
 * different inputs share a key with probability about n^2 / 2^54. Blocks are read as little-endian
 * words through a DataView: about two thirds of the time of assembling them from single bytes.
 */
export function hash53Bytes(bytes: Uint8Array, start: number, end: number): number {
  let h1 = 0x3c6ef372;
  let h2 = 0x1b873593;
  const blocks = start + ((end - start) & ~7);
  const words = viewOf(bytes);
  let i = start;
  for (; i < blocks; i += 8) {
    let k1 = words.getInt32(i, true);
    let k2 = words.getInt32(i + 4, true);
    k1 = Math.imul(k1, 0x239b961b);
    k1 = Math.imul((k1 << 15) | (k1 >>> 17), 0xab0e9789);
    h1 ^= k1;
    h1 = (h1 << 19) | (h1 >>> 13);
    h1 = (Math.imul(h1 + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(k2, 0xab0e9789);
    k2 = Math.imul((k2 << 16) | (k2 >>> 16), 0x38b34ae5);
    h2 ^= k2;
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (Math.imul(h2 + h1, 5) + 0x0bcaa747) | 0;
  }
  let k1 = 0;
  let k2 = 0;
  for (let shift = 0; i < end; i++, shift += 8) {
    if (shift < 32) k1 |= bytes[i]! << shift;
    else k2 |= bytes[i]! << (shift - 32);
  }
  h1 ^= Math.imul((Math.imul(k1, 0x239b961b) << 15) | (Math.imul(k1, 0x239b961b) >>> 17), 0xab0e9789);
  h2 ^= Math.imul((Math.imul(k2, 0xab0e9789) << 16) | (Math.imul(k2, 0xab0e9789) >>> 16), 0x38b34ae5);
  const length = end - start;
  h1 ^= length;
  h2 ^= length;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  const a = fmix32(h1);
  const b = fmix32(h2);
  return a * 2097152 + (b >>> 11);
}

/** hash53Bytes of the UTF-8 bytes of `text`. */
export function hash53(text: string): number {
  const length = encodeUtf8(text); // may replace `scratch`, so it is read after
  return hash53Bytes(scratch, 0, length);
}
