import { hash53 } from '../../stats/hash.js';

/**
 * Identities as 53-bit hashes (stats/hash.ts), safe integers so sets of them stay cheap. Two different
 * texts share a key with probability about n^2 / 2^54: under one in ten thousand for two million records.
 */

/**
 * The identity of a record for exact-duplicate detection: its raw text. It must stay hash53 of the text:
 * one-line records bring the same value from the line splitter, hashed from their bytes (SplitLine.key).
 */
export function exactDuplicateKey(raw: string): number {
  return hash53(raw);
}

/** The identity of a message for the dedup window: its service and message text. */
export function messageKey(service: string, message: string): number {
  return hash53(`${service}\u0000${message}`);
}

/** The stored identity of a masked message (a template miner signature), the same in every chunk. */
export function signatureKey(signature: string): number {
  return hash53(signature);
}
