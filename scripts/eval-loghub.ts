/**
 * Grouping accuracy of the template miner on the eight Loghub 2k samples, against Drain's published
 * figures. Each sample's Content column is mined in line order with the default options.
 * Run: npx tsx scripts/eval-loghub.ts   (LOGHUB_DIR overrides where the samples are)
 */
import {
  DRAIN_PUBLISHED_GA,
  LOGHUB_SYSTEMS,
  loadLoghubDataset,
} from '../packages/jobs/src/loghub/dataset.js';
import { groupingAccuracy, mineTemplates } from '../packages/jobs/src/templates/index.js';

const rows: string[][] = [];
let totalGa = 0;
let totalDrain = 0;
for (const system of LOGHUB_SYSTEMS) {
  const data = loadLoghubDataset(system);
  const mined = mineTemplates(data.rows.map((r) => r.content));
  const truth = data.rows.map((r) => r.eventTemplate);
  const ga = groupingAccuracy(mined.ids, truth);
  const drain = DRAIN_PUBLISHED_GA[system];
  totalGa += ga;
  totalDrain += drain;
  rows.push([
    system,
    String(data.rows.length),
    String(new Set(mined.ids).size),
    String(new Set(truth).size),
    ga.toFixed(3),
    drain.toFixed(3),
    (ga - drain >= 0 ? '+' : '') + (ga - drain).toFixed(3),
  ]);
}
const n = LOGHUB_SYSTEMS.length;
const avg = totalGa / n;
const avgDrain = totalDrain / n;
rows.push([
  'average',
  '',
  '',
  '',
  avg.toFixed(3),
  avgDrain.toFixed(3),
  (avg - avgDrain >= 0 ? '+' : '') + (avg - avgDrain).toFixed(3),
]);

const header = ['system', 'lines', 'templates', 'true', 'GA', 'Drain', 'diff'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(0, -1)) console.log(line(r));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
console.log(line(rows.at(-1) ?? []));
