import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrossChunkWindowRepeats, crossChunkDuplicates } from './clean.js';
import { packDedup, unpackDedup } from './dedup-keys.js';

/** Chunks of [key, offset] pairs: each chunk's keys distinct, many keys repeating earlier chunks' ones. */
function chunks(count: number, perChunk: number): Float64Array[] {
  let seed = 11;
  const next = () => {
    // mulberry32: 31-bit values, a period far beyond what this draws
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) >>> 1;
  };
  const earlier: number[] = [];
  const out: Float64Array[] = [];
  let offset = 0;
  for (let c = 0; c < count; c++) {
    const keys = new Set<number>();
    while (keys.size < perChunk) {
      const repeat = earlier.length > 0 && next() % 4 === 0;
      keys.add(repeat ? (earlier[next() % earlier.length] as number) : next() * 2 ** 22 + (next() % 2 ** 22));
    }
    const offsets = [...keys].map(() => (offset += 100));
    earlier.push(...keys);
    out.push(unpackDedup(packDedup([...keys], offsets)));
  }
  return out;
}

/** What a single Set over every chunk in order finds. */
function reference(all: Float64Array[]): number[] {
  const seen = new Set<number>();
  const found: number[] = [];
  for (const pairs of all) {
    for (let i = 0; i < pairs.length; i += 2) {
      if (seen.has(pairs[i] as number)) found.push(pairs[i + 1] as number);
      seen.add(pairs[i] as number);
    }
  }
  return found.sort((a, b) => a - b);
}

describe('crossChunkDuplicates', () => {
  it('finds the same records with the keys split into parts on disk as in one pass, and leaves no file', () => {
    const all = chunks(12, 500);
    const want = reference(all);
    expect(want.length).toBeGreaterThan(1_000);
    const dir = mkdtempSync(join(tmpdir(), 'logsift-dedup-test-'));
    try {
      for (const [keysPerPass, keysPerPart, maxParts] of [
        [1_000_000, 1_000_000, 256],
        [2_000, 2_000, 256],
        [700, 700, 256],
        [700, 700, 2], // parts of 3,000 keys: the cap on open files wins
      ] as const) {
        const spillDir = join(dir, `spill-${keysPerPass}-${maxParts}`);
        let reads = 0;
        const once = (function* () {
          reads++;
          yield* all;
        })();
        const found = crossChunkDuplicates(once, 12 * 500, spillDir, { keysPerPass, keysPerPart, maxParts });
        expect([...found]).toEqual(want);
        expect(reads).toBe(1);
        expect(existsSync(spillDir)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the same records when the check splits its keys into small tables in memory, after the disk too', () => {
    const all = chunks(8, 10_000); // 80,000 keys: several tables of 16K keys
    const want = reference(all);
    expect(want.length).toBeGreaterThan(10_000);
    const dir = mkdtempSync(join(tmpdir(), 'logsift-dedup-test-'));
    try {
      expect([...crossChunkDuplicates(all, 80_000, join(dir, 'one-pass'))]).toEqual(want);
      const split = { keysPerPass: 20_000, keysPerPart: 40_000, maxParts: 256 }; // 2 parts of 4 tables each
      expect([...crossChunkDuplicates(all, 80_000, join(dir, 'split'), split)]).toEqual(want);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("empties a retried job's leftover parts first", () => {
    const all = chunks(4, 300);
    const dir = mkdtempSync(join(tmpdir(), 'logsift-dedup-test-'));
    try {
      const spillDir = join(dir, 'spill');
      mkdirSync(spillDir);
      // Every key of the first chunk in every part: counted, they would make its records duplicates.
      const stale = Buffer.from((all[0] as Float64Array).slice().buffer);
      for (let part = 0; part < 3; part++) writeFileSync(join(spillDir, `part-${part}`), stale);
      writeFileSync(join(spillDir, 'part-7'), stale);
      expect([
        ...crossChunkDuplicates(all, 1_200, spillDir, { keysPerPass: 500, keysPerPart: 500, maxParts: 256 }),
      ]).toEqual(reference(all));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CrossChunkWindowRepeats', () => {
  it("flags a chunk's first record of a key repeating the last one before it within the window", () => {
    const repeats = new CrossChunkWindowRepeats(1_000, Float64Array.from([500]));
    repeats.add({ windowHeads: [[1, 0, 0]], windowTails: [[1, 900]] });
    repeats.add({
      windowHeads: [
        [1, 1_800, 300], // 900 ms after key 1's last record: a repeat
        [2, 1_800, 400], // key 2 not seen before
      ],
      windowTails: [
        [1, 1_800],
        [2, 5_000],
      ],
    });
    repeats.add({
      windowHeads: [
        [1, 2_900, 500], // within the window, but an exact duplicate already: not counted twice
        [2, 7_000, 600], // 2 s after key 2's last record: outside the window
      ],
      windowTails: [],
    });
    expect(repeats.offsets).toEqual([300]);
  });
});
