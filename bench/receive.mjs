/**
 * The API's receive step on its own: a multipart upload sent by curl over loopback to a Fastify server with
 * @fastify/multipart, as the API has it, stored by `receiveFile` (hashed, counted and written by one
 * coalescing sink that flushes the file while it grows and syncs it at the end), beside the same upload
 * stored by the stream-per-step peer (a hashing Transform piped into fs.createWriteStream, what receiveFile
 * did before, with the write stream's sync before close), and the floor: the parsed upload thrown away.
 * Rounds alternate the order; medians of `--runs`.
 * Run: npm run build && npm run bench:receive -- [--lines 2000000] [--runs 5]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import { receiveFile, writeGeneratedLog } from '../packages/jobs/dist/index.js';
import { args, mb, median } from './lib/stack.mjs';

const opts = args({ lines: 2_000_000, runs: 5 });
const dir = mkdtempSync(join(tmpdir(), 'logsift-bench-receive-'));
const file = join(dir, 'access.log');
const out = createWriteStream(file);
await writeGeneratedLog({ format: 'access', lines: opts.lines }, out);
await new Promise((r) => out.end(r));
const bytes = statSync(file).size;
console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model}), Node ${process.version}`);
console.log(`log: ${opts.lines} access lines, ${mb(bytes)}`);

/** The peer: what receiveFile's first step was, one stream step per job; it syncs the file as receiveFile does. */
async function streamPerStep(source, path) {
  const hash = createHash('sha256');
  let n = 0;
  const counter = new Transform({
    transform(chunk, _enc, done) {
      hash.update(chunk);
      n += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(source, counter, createWriteStream(path, { flush: true }));
  return { path, sha256: hash.digest('hex'), receivedBytes: n };
}

const store = join(dir, 'store');
const app = Fastify({ bodyLimit: 1024 * 1024 });
await app.register(multipart, { limits: { fileSize: 1024 ** 4 } });
let uploads = 0;
app.post('/:way', async (request) => {
  const part = await request.file();
  const name = `r${uploads++}`;
  if (request.params.way === 'discard') {
    let n = 0;
    for await (const piece of part.file) n += piece.length;
    return { sha256: null, receivedBytes: n };
  }
  const stored =
    request.params.way === 'sink'
      ? await receiveFile(part.file, { dir: store, id: name })
      : await streamPerStep(part.file, join(dir, `${name}.part`));
  rmSync(stored.path, { force: true });
  return { sha256: stored.sha256, receivedBytes: stored.receivedBytes };
});
const base = await app.listen({ port: 0, host: '127.0.0.1' });

function upload(way) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const curl = spawn('curl', ['-sS', '--fail-with-body', '-F', `file=@${file}`, `${base}/${way}`]);
    let body = '';
    curl.stdout.on('data', (d) => {
      body += d;
    });
    curl.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`curl exited ${code}: ${body}`));
      else resolve({ ms, body: JSON.parse(body) });
    });
  });
}

const ways = ['sink', 'streams', 'discard'];
const times = { sink: [], streams: [], discard: [] };
const hashes = new Set();
for (let r = 0; r < opts.runs; r++) {
  for (const way of r % 2 ? [...ways].reverse() : ways) {
    const { ms, body } = await upload(way);
    if (body.receivedBytes !== bytes)
      throw new Error(`${way}: received ${body.receivedBytes} of ${bytes} bytes`);
    if (body.sha256) hashes.add(body.sha256);
    times[way].push(ms);
    console.log(`run ${r + 1} ${way}: ${(ms / 1000).toFixed(3)} s`);
  }
}
if (hashes.size !== 1) throw new Error('the two ways stored different bytes');
const sink = median(times.sink);
const streams = median(times.streams);
const discard = median(times.discard);
console.log(
  `receiveFile (coalescing sink): ${(sink / 1000).toFixed(3)} s; stream per step: ${(streams / 1000).toFixed(3)} s; ratio ${(sink / streams).toFixed(2)}; parse and discard: ${(discard / 1000).toFixed(3)} s (medians of ${opts.runs})`,
);
await app.close();
rmSync(dir, { recursive: true, force: true });
