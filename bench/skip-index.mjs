/**
 * The cost of a chunk's skip index (segments/skip-index.ts: time span, level, flag and status sets, and text filter),
 * per record, on the messages of a generated access log cut into chunks as the parse stage cuts them, and
 * the size it stores. Run: npm run build && node bench/skip-index.mjs [--lines 200000] [--runs 5]
 */
import { parseArgs } from 'node:util';
import { generateLines } from '../packages/jobs/dist/index.js';
import { SkipIndexBuilder } from '../packages/jobs/dist/segments/skip-index.js';
import { median } from './lib/stack.mjs';

const { values: args } = parseArgs({
  options: { lines: { type: 'string', default: '200000' }, runs: { type: 'string', default: '5' } },
});
/** Records in a 2 MiB chunk of this log (about 155 bytes a line). */
const CHUNK_RECORDS = 13_500;
const lines = [...generateLines({ format: 'access', lines: Number(args.lines) })];
const rows = lines.map((line, i) => ({
  ts: 1_705_312_800_000 + i,
  status: Number(/" (\d{3}) /.exec(line)?.[1] ?? 200),
  message: /"([^"]*)"/.exec(line)?.[1] ?? line,
}));
const chunks = [];
for (let i = 0; i < rows.length; i += CHUNK_RECORDS) chunks.push(rows.slice(i, i + CHUNK_RECORDS));

const times = [];
let bytes = 0;
for (let r = 0; r < Number(args.runs); r++) {
  bytes = 0;
  const t = process.cpuUsage();
  for (const chunk of chunks) {
    const skip = new SkipIndexBuilder();
    for (const r of chunk) skip.add(r.ts, 2, r.status, 0, r.message);
    bytes += skip.finish().textFilter?.length ?? 0;
  }
  const used = process.cpuUsage(t);
  times.push((used.user + used.system) / rows.length);
}
console.log(`sample message: ${rows[1000].message}`);
console.log(
  `skip index: ${median(times).toFixed(2)} us of CPU a record (median of ${times.length}), ${(bytes / chunks.length / 1024).toFixed(1)} KiB a chunk of ${CHUNK_RECORDS} records`,
);
