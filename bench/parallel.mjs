/**
 * What two processes at once get out of this machine's two cores, against one alone: the ceiling for
 * "two workers against one". `node bench/parallel.mjs [--rounds 5] [--lines 1000000]`. Needs `npm run
 * build`; lnav is used where it is installed.
 *
 * Two CPU-bound tasks, each run alone and then as two copies at once, the order alternating round by
 * round:
 * - lnav's query of bench:e2e over a generated access log of `--lines` lines (a peer: C++, one process);
 * - logsift's parse stage alone (`bench/parse-chunk.mjs`, its own wall time of the parse handler over
 *   300,000 lines, median of 3 runs a process).
 * The speed-up of a pair is 2 x (one alone) / (the pair's slower copy), in each round: 2.00 if the cores
 * do not slow each other down. Medians of the rounds.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeneratedLog } from '@logsift/jobs';
import { args, LNAV_QUERY, median, timePeer } from './lib/stack.mjs';

const opts = args({ rounds: 5, lines: 1_000_000 });
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-parallel-'));
const file = join(dir, 'access.log');

const tasks = {
  lnav: async () => (await timePeer('lnav', ['-n', '-c', LNAV_QUERY, file])).ms,
  'logsift parse': async () => {
    const { stdout } = await timePeer(process.execPath, [
      join(here, 'parse-chunk.mjs'),
      '--lines',
      '300000',
      '--runs',
      '3',
    ]);
    const wall = /median of \d+: .* wall (\d+) ms/.exec(stdout)?.[1];
    if (!wall) throw new Error(`parse-chunk printed no median: ${stdout.slice(-300)}`);
    return Number(wall);
  },
};
const hasLnav = spawnSync('lnav', ['-V']).status === 0;
if (!hasLnav) delete tasks.lnav;

try {
  console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}`);
  if (hasLnav) {
    const out = createWriteStream(file);
    await writeGeneratedLog({ format: 'access', lines: opts.lines }, out);
    await new Promise((r) => out.end(r));
  } else console.log('lnav is not installed: only logsift parse is measured');
  const results = Object.fromEntries(Object.keys(tasks).map((name) => [name, { alone: [], pair: [] }]));
  for (let round = 1; round <= opts.rounds; round++) {
    for (const [name, task] of Object.entries(tasks)) {
      const r = results[name];
      const alone = async () => r.alone.push(await task());
      const pair = async () => r.pair.push(Math.max(...(await Promise.all([task(), task()]))));
      if (round % 2) await alone().then(pair);
      else await pair().then(alone);
      console.log(
        `round ${round} ${name}: alone ${r.alone.at(-1).toFixed(0)} ms, two at once ${r.pair.at(-1).toFixed(0)} ms`,
      );
    }
  }
  // The machine's speed drifts from round to round: each round's pair is set against that round's run alone.
  console.log(`\nmedians of ${opts.rounds} rounds:`);
  for (const [name, r] of Object.entries(results)) {
    const speedUps = r.alone.map((alone, i) => (2 * alone) / r.pair[i]);
    console.log(
      `  ${name.padEnd(14)} alone ${median(r.alone).toFixed(0)} ms, two at once ${median(r.pair).toFixed(0)} ms; ` +
        `speed-up ${median(speedUps).toFixed(2)}x (rounds ${speedUps.map((x) => x.toFixed(2)).join(', ')})`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
