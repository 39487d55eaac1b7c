/**
 * Live event validation alone, per event, on batches of 500 well-formed events (as bench/live-ingest.mjs
 * sends): the plain shape check that well-formed events take against the zod schema it stands in for,
 * and the whole of checkEvent (shape, time, level, attributes). JSON.parse of the batch is measured on
 * its own and subtracted. Run: npm run build && node bench/validate.mjs [--runs 7]
 */
import { parseArgs } from 'node:util';
import { checkEvent, hasEventShape, liveEventSchema } from '../packages/jobs/dist/live/event-schema.js';
import { median } from './lib/stack.mjs';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(args.runs);
const now = Date.now();
const sender = { caller: 'payments', admin: false };
const checks = { now, oldestTs: now - 30 * 86_400_000 };
const LEVELS = ['info', 'warn', 'error'];
const batch = JSON.stringify(
  Array.from({ length: 500 }, (_, i) => ({
    timestamp: new Date(now - i * 1000).toISOString(),
    level: LEVELS[i % 3],
    service: 'payments',
    message: `payment ${i} processed for order ${i * 7}`,
    event_id: `e-${i}-${now}`,
    host: 'web-1',
    attributes: { order: i, region: 'eu' },
  })),
);
const BATCHES = 200;

/** Microseconds per event of parsing each batch and calling `fn` on every event, median of `runs`. */
function measure(fn) {
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    for (let k = 0; k < BATCHES; k++) for (const e of JSON.parse(batch)) fn(e);
    times.push(Number(process.hrtime.bigint() - t) / 1e3 / (BATCHES * 500));
  }
  return median(times);
}

let sink = 0;
const cases = [
  ['shape check (hasEventShape)', (e) => (sink += hasEventShape(e) ? 1 : 0)],
  ['zod schema (liveEventSchema.safeParse)', (e) => (sink += liveEventSchema.safeParse(e).success ? 1 : 0)],
  ['checkEvent, whole validation', (e) => (sink += 'ts' in checkEvent(e, sender, checks) ? 1 : 0)],
];
measure(() => {}); // warm up
const parse = measure(() => {});
console.log(
  `JSON.parse of the batch: ${parse.toFixed(2)} us an event (subtracted below); median of ${runs} runs`,
);
for (const [name, fn] of cases) {
  measure(fn);
  console.log(`  ${name.padEnd(40)} ${(measure(fn) - parse).toFixed(2)} us an event`);
}
if (sink === 0) throw new Error('no event was valid: nothing was measured');
