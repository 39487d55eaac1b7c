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
