/**
 * Measures ChunkStats on the hot path of parsing: add() throughput and the JSON size of one partial.
 * Run from packages/jobs: npx tsx src/stats/bench/measure-chunk-stats.ts [entries] [linesPerSecond]
 * Defaults: 1,000,000 entries of a synthetic access log at 50 lines per second (a 5.6-hour span).
 */
import { ChunkStats } from '../chunk-stats.js';
import { syntheticAccessLog } from '../synthetic-access-log.js';

const count = Number(process.argv[2] ?? 1_000_000);
const linesPerSecond = Number(process.argv[3] ?? 50);
const entries = [...syntheticAccessLog({ count, linesPerSecond })];
const spanHours = (entries[entries.length - 1]!.ts! - entries[0]!.ts!) / 3_600_000;
console.log(`${count} entries at ${linesPerSecond} lines/s, spanning ${spanHours.toFixed(1)} h`);

const rounds = 5;
const rates: number[] = [];
let stats = new ChunkStats();
for (let round = 0; round < rounds; round++) {
  stats = new ChunkStats();
  const start = performance.now();
  for (const entry of entries) stats.add(entry);
  rates.push(count / ((performance.now() - start) / 1000));
}
rates.sort((a, b) => a - b);
console.log(`add(): median ${Math.round(rates[rates.length >> 1]!)} entries/s over ${rounds} rounds`);
console.log(`  (slowest ${Math.round(rates[0]!)}, fastest ${Math.round(rates[rates.length - 1]!)})`);

const json = JSON.stringify(stats);
console.log(`toJSON(): ${(Buffer.byteLength(json) / 1024).toFixed(1)} KiB`);
const parts = stats.toJSON() as unknown as Record<string, unknown>;
for (const [key, value] of Object.entries(parts)) {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > 1024) console.log(`  ${key}: ${(bytes / 1024).toFixed(1)} KiB`);
}
