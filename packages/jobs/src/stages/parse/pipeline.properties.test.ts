import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LineSplitter, type SplitLine } from '../../formats/decode.js';
import { compileLoghubFormat } from '../../formats/loghub.js';
import { type LogRecord, RecordAssembler } from '../../formats/records.js';
import { BUILTIN_FORMATS } from '../../formats/registry.js';
import { fixtureLines } from '../../formats/test-fixtures.js';
import type { LogFormat } from '../../formats/types.js';
import { FUZZ_TIMEOUT_MS, fuzzRuns } from '../../test-support/fuzz.js';
import { splitIntoChunks } from '../../uploads/chunks.js';
import { buildEntry } from './build-entry.js';
import { type ChunkReadStats, readChunkRecords } from './read-records.js';

const formats: LogFormat[] = [
  ...BUILTIN_FORMATS,
  compileLoghubFormat('linux', '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>'),
];
const ctx = { referenceTime: 1.7e12 };
const NOW = 1.7e12;

const seeds = ['access-combined.txt', 'json-lines.ndjson', 'plain.txt', 'syslog3164.txt', 'logfmt.txt']
  .flatMap(fixtureLines)
  .map((l) => Buffer.from(l));

/**
 * Arbitrary bytes shaped like logs: real lines of every format, stack-trace and indented continuation
 * lines, CRLF, a BOM, invalid UTF-8, NUL and other control bytes, and raw random bytes.
 */
const piece = fc.oneof(
  fc.constantFrom(...seeds),
  fc
    .constantFrom(
      '\tat com.x.Y.run(Y.java:1)',
      'Caused by: java.io.IOException: x',
      '  indented',
      'Traceback (most recent call last):',
    )
    .map((s) => Buffer.from(s)),
  fc
    .constantFrom([0x0a], [0x0d, 0x0a], [0x0d], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0x00], [0x1b], [0xc3])
    .map((b) => Buffer.from(b)),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => Buffer.from(s)),
);
const logBytes = fc.array(piece, { maxLength: 40 }).map((parts) => Buffer.concat(parts));

/** Splits `bytes` at `cuts` into the pieces a stream would deliver, then assembles records with `format`. */
function records(
  bytes: Buffer,
  cuts: number[],
  format: LogFormat,
  caps: { maxLineBytes: number; maxRecordLines: number; maxRecordBytes: number },
): { lines: SplitLine[]; records: LogRecord[] } {
  const splitter = new LineSplitter({ maxLineBytes: caps.maxLineBytes });
  const assembler = new RecordAssembler({
    format,
    ctx,
    maxRecordLines: caps.maxRecordLines,
    maxRecordBytes: caps.maxRecordBytes,
  });
  const lines: SplitLine[] = [];
  const out: LogRecord[] = [];
  const take = (ls: SplitLine[]) => {
    for (const l of ls) {
      lines.push(l);
      out.push(...assembler.push(l));
    }
  };
  let prev = 0;
  for (const p of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    take(splitter.push(bytes.subarray(prev, p)));
    prev = p;
  }
  take(splitter.push(bytes.subarray(prev)));
  take(splitter.end());
  out.push(...assembler.end());
  return { lines, records: out };
}

const caps = fc.record({
  maxLineBytes: fc.integer({ min: 4, max: 300 }),
  maxRecordLines: fc.integer({ min: 1, max: 8 }),
  maxRecordBytes: fc.integer({ min: 1, max: 2000 }),
});

describe.each(formats.map((f) => [f.name, f] as const))(
  'bytes -> lines -> records -> entries (%s)',
  (_name, format) => {
    it('never throws, conserves every line and accounts for every byte', { timeout: FUZZ_TIMEOUT_MS }, () => {
      fc.assert(
        fc.property(logBytes, fc.array(fc.nat(), { maxLength: 6 }), caps, (bytes, cuts, c) => {
          const { lines, records: recs } = records(bytes, cuts, format, c);
          // Every line is in exactly one record, in order.
          expect(recs.reduce((n, r) => n + r.lineCount, 0)).toBe(lines.length);
          let next = 0;
          for (const r of recs) {
            expect(r.firstLine).toBe(next + 1);
            expect(r.offset).toBe(lines[next]?.offset);
            const last = lines[next + r.lineCount - 1] as SplitLine;
            expect(r.offset + r.byteLength).toBe(last.offset + last.byteLength);
            expect(r.text.split('\n')).toEqual(lines.slice(next, next + r.lineCount).map((l) => l.text));
            next += r.lineCount;
          }
          // Every byte: a BOM, the records' bytes, and the terminators between them (LF or CRLF).
          let covered = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
          for (const l of lines) {
            expect(l.offset).toBe(covered);
            covered = l.offset + l.byteLength;
            if (bytes[covered] === 0x0d && bytes[covered + 1] === 0x0a) covered += 2;
            else if (bytes[covered] === 0x0a) covered += 1;
          }
          expect(covered).toBe(bytes.length);
          // Every record becomes an entry with a string message and valid fields, whatever its bytes.
          for (const r of recs) {
            const entry = buildEntry({ ...r, invalidBytes: 0, truncated: false }, format, ctx, NOW);
            expect(typeof entry.fields.message).toBe('string');
            expect(entry.raw).toBe(r.text);
            // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is checked
            expect(entry.fields.message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
            if (entry.fields.ts !== undefined) expect(Number.isFinite(entry.fields.ts)).toBe(true);
          }
        }),
        { numRuns: fuzzRuns(300) },
      );
    });
  },
);

describe('a file read in chunks, on arbitrary bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logsift-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the bytes of a BOM that opens a later chunk: they are text there, not a byte order mark', async () => {
    const path = join(dir, 'bom.log');
    writeFileSync(path, Buffer.from([0x61, 0x0a, 0xef, 0xbb, 0xbf, 0x62, 0x0a]));
    const stats: ChunkReadStats = { lines: 0, skippedLeading: 0 };
    const out: { offset: number; text: string }[] = [];
    for await (const batch of readChunkRecords(path, 2, 7, { ctx }, stats)) {
      for (const r of batch) out.push({ offset: r.offset, text: r.text });
    }
    expect(out).toEqual([{ offset: 2, text: '\uFEFFb' }]);
  });

  it('gives every record to exactly one chunk: the chunks together read as the whole file', {
    timeout: FUZZ_TIMEOUT_MS,
  }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        logBytes,
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom(...formats),
        async (bytes, chunkBytes, format) => {
          const path = join(dir, `f${run++}.log`);
          writeFileSync(path, bytes);
          const read = async (start: number, end: number) => {
            const stats: ChunkReadStats = { lines: 0, skippedLeading: 0 };
            const out: { offset: number; text: string }[] = [];
            for await (const batch of readChunkRecords(path, start, end, { format, ctx }, stats)) {
              for (const r of batch) out.push({ offset: r.offset, text: r.text });
            }
            return { out, lines: stats.lines };
          };
          const whole = await read(0, bytes.length);
          const chunks = await splitIntoChunks(path, bytes.length, chunkBytes);
          const parts = await Promise.all(chunks.map((c) => read(c.start, c.end)));
          expect(parts.flatMap((p) => p.out)).toEqual(whole.out);
          expect(parts.reduce((n, p) => n + p.lines, 0)).toBe(whole.lines);
          rmSync(path);
        },
      ),
      { numRuns: fuzzRuns(300) },
    );
  });
});
