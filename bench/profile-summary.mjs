/**
 * Summarises `node --cpu-prof` profiles: self time by function and by file, largest first.
 * Run: node bench/profile-summary.mjs <dir-or-.cpuprofile>... [--top 25]
 * (`npm run bench:e2e -- --prof <dir>` writes one profile per worker process into <dir>.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const topAt = argv.indexOf('--top');
const top = topAt >= 0 ? Number(argv.splice(topAt, 2)[1]) : 25;
const files = argv.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(p, f))
    : [p],
);

const byFn = new Map();
const byFile = new Map();
let total = 0;
for (const file of files) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  for (const [id, us] of dt) {
    const n = nodes.get(id);
    const cf = n.callFrame;
    const url = cf.url.replace(/^.*\/(node_modules|packages|apps)\//, '$1/') || '(native)';
    const fn = `${cf.functionName || '(anonymous)'} ${url}:${cf.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    byFile.set(url, (byFile.get(url) ?? 0) + us);
    total += us;
  }
}
const show = (title, map) => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s sampled in ${files.length} profiles)`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `  ${(us / 1e6).toFixed(2).padStart(7)} s ${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`,
    );
  }
};
show('self time by file', byFile);
show('self time by function', byFn);
