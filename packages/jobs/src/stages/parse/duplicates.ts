import { hashPair } from '../../stats/hash.js';

const pair: [number, number] = [0, 0];

/**
 * 53 bits of two independent 32-bit hashes (Murmur3 and FNV-1a), a safe integer so sets of them stay
 * cheap. Two different texts share a key with probability about n^2 / 2^54: under one in ten thousand
 * for two million records.
 */
function key53(text: string): number {
  hashPair(text, pair);
  return pair[0] * 2 ** 21 + (pair[1] >>> 11);
}

/** The identity of a record for exact-duplicate detection: its raw text. */
export function exactDuplicateKey(raw: string): number {
  return key53(raw);
}

/** The identity of a message for the dedup window: its service and message text. */
export function messageKey(service: string, message: string): number {
  return key53(`${service}\u0000${message}`);
}

/** The stored identity of a masked message (a template miner signature), the same in every chunk. */
export function signatureKey(signature: string): number {
  return key53(signature);
}
