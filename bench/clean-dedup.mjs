/**
 * The clean stage's exact-duplicate check alone (stages/clean.ts crossChunkDuplicates): N records' keys in
 * chunks of 14,000 (a 2 MiB chunk of access log), uniformly spread 53-bit keys like the records' hashes,
 * with about one record in ten repeating an earlier one. Its peer, in the same run on the same keys: the
 * check as it was before the keys were split on disk, one pass over every chunk per 2M keys.
 * Each read of a chunk copies its keys, as reading its blob from SQLite does.
 * Run: node bench/clean-dedup.mjs [records] [runs]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossChunkDuplicates, KEYS_PER_PASS } from '../packages/jobs/dist/stages/clean.js';
import { KeySet } from '../packages/jobs/dist/stages/dedup-keys.js';
import { median } from './lib/stack.mjs';

const records = Number(process.argv[2] ?? 10_000_000);
const runs = Number(process.argv[3] ?? 3);
const PER_CHUNK = 14_000;

let state = 7;
function random32() {
  // mulberry32
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (t ^ (t >>> 14)) >>> 0;
}
const chunks = [];
const recent = new Float64Array(4096);
for (let offset = 0; offset < records; offset += PER_CHUNK) {
  const pairs = new Float64Array(2 * Math.min(PER_CHUNK, records - offset));
  const inChunk = new Set();
  for (let i = 0; i < pairs.length; i += 2) {
    let key = (random32() % 2 ** 21) * 2 ** 32 + random32();
    const earlier = recent[random32() % recent.length];
    // A chunk lists each key once (its first occurrence), so a repeat must come from an earlier chunk.
    if (random32() % 10 === 0 && earlier && offset > 0 && !inChunk.has(earlier)) key = earlier;
    else recent[random32() % recent.length] = key;
    inChunk.add(key);
    pairs[i] = key;
    pairs[i + 1] = (offset + i / 2) * 100;
  }
  chunks.push(pairs);
}
const read = function* () {
  for (const c of chunks) yield c.slice();
};

/** The peer: every chunk read once per pass of at most 2M keys. */
function passPerTwoMillion(expectedKeys) {
  const passes = Math.max(1, Math.ceil(expectedKeys / KEYS_PER_PASS));
  const found = [];
  for (let pass = 0; pass < passes; pass++) {
    const seen = new KeySet(Math.ceil(expectedKeys / passes));
    for (const pairs of read()) {
      for (let i = 0; i < pairs.length; i += 2) {
        const key = pairs[i];
        if (passes > 1 && Math.floor(key / 4294967296) % passes !== pass) continue;
        if (!seen.add(key)) found.push(pairs[i + 1]);
      }
    }
  }
  return Float64Array.from(found).sort();
}

const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-clean-'));
const ours = [];
const peer = [];
try {
  for (let run = 1; run <= runs; run++) {
    let t = performance.now();
    const a = crossChunkDuplicates(read(), records, join(dir, 'spill'));
    ours.push(performance.now() - t);
    t = performance.now();
    const b = passPerTwoMillion(records);
    peer.push(performance.now() - t);
    if (a.length !== b.length || a.some((v, i) => v !== b[i])) throw new Error('the two checks disagree');
    console.log(
      `run ${run}: ${a.length} duplicates; split on disk ${ours.at(-1).toFixed(0)} ms, pass per 2M keys ${peer.at(-1).toFixed(0)} ms`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const [o, p] = [median(ours), median(peer)];
console.log(
  `median of ${runs}, ${records} records: split on disk ${o.toFixed(0)} ms (${((o * 1e6) / records).toFixed(0)} ns a key), ` +
    `pass per 2M keys ${p.toFixed(0)} ms (${((p * 1e6) / records).toFixed(0)} ns a key); ratio ${(o / p).toFixed(2)}`,
);
