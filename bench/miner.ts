/**
 * Template miner throughput on one core.
 * Run: npx tsx bench/miner.ts [lines]   (default 1,000,000)
 *
 * Messages are the Loghub 2k samples' Content column (eight systems, 16,000 real messages) with every run
 * of digits redrawn at random for each line, so the numbers vary as in a real log and almost no message
 * repeats verbatim (the message cache cannot help). Reported: `add` alone (masking and counting, the
 * per-line work), `resolve` (clustering the distinct signatures), and the chunked path (4 miners, merge,
 * resolve, relabel) on the same lines. A second run replays the samples unchanged, where repeats are common.
 *
 * Times are CPU time of this process (user + system, `process.cpuUsage`), which is what "lines a second on
 * one core" means and stays meaningful on a shared machine; wall-clock time is printed beside it.
 */
import { LOGHUB_SYSTEMS, loadLoghubDataset } from '../packages/jobs/src/loghub/dataset.js';
import { TemplateMiner } from '../packages/jobs/src/templates/index.js';

const total = Number(process.argv[2] ?? 1_000_000);
const samples = LOGHUB_SYSTEMS.flatMap((s) => loadLoghubDataset(s).rows.map((r) => r.content));

/** Deterministic PRNG (mulberry32) so every run mines the same lines. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function redrawDigits(lines: number): string[] {
  const rand = random(42);
  const out: string[] = new Array(lines);
  for (let i = 0; i < lines; i++) {
    const base = samples[Math.floor(rand() * samples.length)] as string;
    out[i] = base.replace(/\d+/g, (d) => String(Math.floor(rand() * 10 ** Math.min(d.length, 15))));
  }
  // As read from a file: one text split into lines.
  return out.join('\n').split('\n');
}

/** CPU and wall milliseconds spent in `work`. */
function timed(work: () => void): { cpu: number; wall: number } {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  work();
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1000, wall: performance.now() - wall0 };
}

function measure(label: string, lines: string[]): void {
  const bytes = lines.reduce((n, l) => n + l.length, 0);
  // Warm-up on a separate miner so the JIT has compiled the hot path.
  const warm = new TemplateMiner();
  for (let i = 0; i < Math.min(lines.length, 200_000); i++) warm.add(lines[i] as string);

  const miner = new TemplateMiner();
  const add = timed(() => {
    for (const line of lines) miner.add(line);
  });
  let templates = 0;
  const resolve = timed(() => {
    templates = miner.resolve().templates.length;
  });

  const chunked = timed(() => {
    const size = Math.ceil(lines.length / 4);
    const chunks = [0, 1, 2, 3].map((k) => {
      const chunk = new TemplateMiner();
      for (let i = k * size; i < Math.min(lines.length, (k + 1) * size); i++) chunk.add(lines[i] as string);
      return chunk;
    });
    const global = new TemplateMiner();
    for (const c of chunks) global.merge(c);
    global.resolve();
    for (const c of chunks) global.relabelling(c);
  });

  const rate = (ms: number) => Math.round(lines.length / (ms / 1000)).toLocaleString('en-US');
  const show = (t: { cpu: number; wall: number }) =>
    `${t.cpu.toFixed(0)} ms CPU (${rate(t.cpu)} lines/s), ${t.wall.toFixed(0)} ms wall (${rate(t.wall)} lines/s)`;
  console.log(
    `${label}: ${lines.length.toLocaleString('en-US')} lines, ${(bytes / lines.length).toFixed(0)} chars/line`,
  );
  console.log(`  add:         ${show(add)}, ${(bytes / 1e6 / (add.cpu / 1000)).toFixed(0)} MB/s CPU`);
  console.log(
    `  resolve:     ${show(resolve)}; ${miner.size.toLocaleString('en-US')} signatures -> ${templates} templates`,
  );
  console.log(`  add+resolve: ${rate(add.cpu + resolve.cpu)} lines/s CPU`);
  console.log(`  chunked (4 miners, merge, resolve, relabel): ${show(chunked)}`);
}

measure('Loghub messages, digits redrawn', redrawDigits(total));
measure(
  'Loghub messages replayed verbatim',
  Array.from({ length: total }, (_, i) => samples[i % samples.length] as string)
    .join('\n')
    .split('\n'),
);
