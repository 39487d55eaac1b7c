/**
 * Line parser throughput, one core: `npx tsx bench/parse-formats.ts [lines]` (default 300,000 per format).
 * Lines are synthesised here (varied IPs, paths, statuses, times) so the figures do not depend on a data set.
 * Prints lines/second per format (best of three passes) and the LineSplitter's rate over combined-log bytes.
 */
import { LineSplitter } from '../packages/jobs/src/formats/decode.js';
import {
  combinedFormat,
  combinedTimedFormat,
  commonFormat,
  compileLoghubFormat,
  jsonFormat,
  logfmtFormat,
  plainFormat,
  rfc3164Format,
  rfc5424Format,
} from '../packages/jobs/src/formats/index.js';
import type { LogFormat } from '../packages/jobs/src/formats/types.js';

const COUNT = Number(process.argv[2] ?? 300_000);
const paths = ['/api/items', '/api/orders/42?x=1', '/static/app.js', '/health', '/login'];
const levels = ['INFO', 'WARN', 'ERROR', 'DEBUG'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

function lineFor(kind: string, i: number): string {
  const ip = `10.${i % 256}.${(i >> 8) % 256}.${i % 7}`;
  const path = paths[i % paths.length];
  const status = [200, 200, 200, 304, 404, 500][i % 6];
  const s = i % 60;
  const m = Math.floor(i / 60) % 60;
  const iso = `2024-03-${pad(1 + (i % 28))}T10:${pad(m)}:${pad(s)}.${String(i % 1000).padStart(3, '0')}Z`;
  const clf = `[${pad(1 + (i % 28))}/Mar/2024:10:${pad(m)}:${pad(s)} +0000]`;
  const level = levels[i % levels.length];
  switch (kind) {
    case 'common':
      return `${ip} - - ${clf} "GET ${path} HTTP/1.1" ${status} ${i % 5000}`;
    case 'combined':
      return `${ip} - - ${clf} "GET ${path} HTTP/1.1" ${status} ${i % 5000} "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/${i % 120}"`;
    case 'combined-timed':
      return `${ip} - - ${clf} "GET ${path} HTTP/1.1" ${status} ${i % 5000} "-" "curl/8.4.0" 0.${pad(i % 100)}3 0.0${i % 10}1`;
    case 'json':
      return `{"level":${30 + (i % 3) * 10},"time":${1_709_287_200_000 + i},"pid":${i % 90},"hostname":"api-${i % 4}","name":"orders","msg":"order ${i} created","req":{"method":"GET","url":"${path}"}}`;
    case 'logfmt':
      return `time=${iso} level=${level.toLowerCase()} msg="request done" service=api path=${path} status=${status} duration=${i % 900}ms`;
    case 'plain':
      return `${iso} ${level} [worker-${i % 8}] job ${i} finished in ${i % 900}ms`;
    case 'syslog3164':
      return `<${(i % 24) * 8 + (i % 8)}>${months[i % 12]} ${String(1 + (i % 28)).padStart(2, ' ')} 10:${pad(m)}:${pad(s)} web-${i % 5} sshd[${1000 + (i % 9000)}]: Accepted publickey for user${i % 50} from ${ip} port ${40000 + (i % 20000)} ssh2`;
    case 'syslog5424':
      return `<165>1 ${iso} host-${i % 5} app ${i % 999} ID${i % 50} [meta seq="${i}" zone="eu"] message number ${i}`;
    default:
      return `081109 ${pad(20 + (i % 4))}${pad(m)}${pad(s)} ${i % 300} INFO dfs.DataNode$PacketResponder: PacketResponder ${i % 3} for block blk_${i}${i} terminating`;
  }
}

const hdfs = compileLoghubFormat('loghub-hdfs', '<Date> <Time> <Pid> <Level> <Component>: <Content>');
const formats: LogFormat[] = [
  commonFormat,
  combinedFormat,
  combinedTimedFormat,
  jsonFormat,
  logfmtFormat,
  plainFormat,
  rfc3164Format,
  rfc5424Format,
  hdfs,
];
const ctx = { referenceTime: Date.UTC(2024, 5, 1) };

for (const format of formats) {
  const lines = Array.from({ length: COUNT }, (_, i) => lineFor(format.name, i));
  // Best of three passes: the first also pays for JIT compilation and the arrays' first GC.
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 3; pass++) {
    let parsed = 0;
    const t0 = performance.now();
    for (const line of lines) if (format.parse(line, ctx)) parsed++;
    best = Math.min(best, (performance.now() - t0) / 1000);
    if (parsed !== COUNT) throw new Error(`${format.name}: parsed ${parsed} of ${COUNT}`);
  }
  const seconds = best;
  console.log(
    `${format.name.padEnd(16)} ${Math.round(COUNT / seconds)
      .toLocaleString('en-US')
      .padStart(12)} lines/s`,
  );
}

const bytes = Buffer.from(`${Array.from({ length: COUNT }, (_, i) => lineFor('combined', i)).join('\n')}\n`);
let bestSplit = Number.POSITIVE_INFINITY;
let count = 0;
for (let pass = 0; pass < 3; pass++) {
  const t0 = performance.now();
  const splitter = new LineSplitter();
  count = 0;
  for (let off = 0; off < bytes.length; off += 64 * 1024)
    count += splitter.push(bytes.subarray(off, off + 64 * 1024)).length;
  count += splitter.end().length;
  bestSplit = Math.min(bestSplit, (performance.now() - t0) / 1000);
}
console.log(
  `LineSplitter     ${Math.round(count / bestSplit)
    .toLocaleString('en-US')
    .padStart(12)} lines/s, ${(bytes.length / 1e6 / bestSplit).toFixed(0)} MB/s`,
);
