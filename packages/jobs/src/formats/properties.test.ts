import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUZZ_TIMEOUT_MS, fuzzRuns } from '../test-support/fuzz.js';
import { decodeUtf8, LineSplitter, type SplitLine } from './decode.js';
import { compileLoghubFormat } from './loghub.js';
import { BUILTIN_FORMATS } from './registry.js';
import { fixtureLines } from './test-fixtures.js';

const loghubLinux = compileLoghubFormat(
  'linux',
  '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>',
);
const formats = [...BUILTIN_FORMATS, loghubLinux];

/** Real lines of every format, to mutate: random strings alone rarely get past a parser's first check. */
const seeds = [
  'access-combined.txt',
  'access-timed.txt',
  'json-lines.ndjson',
  'plain.txt',
  'syslog3164.txt',
  'syslog5424.txt',
  'apache-error.txt',
  'logfmt.txt',
].flatMap(fixtureLines);

const mutatedLine = fc
  .tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 12 }))
  .map(([seed, a, b, insert]) => {
    const from = a % (seed.length + 1);
    const to = from + (b % 8);
    return seed.slice(0, from) + insert + seed.slice(to);
  });

const anyLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
  mutatedLine,
);

describe('every format on arbitrary input', () => {
  it('never throws, always returns null or fields with a string message and no NaN', {
    timeout: FUZZ_TIMEOUT_MS,
  }, () => {
    fc.assert(
      fc.property(anyLine, fc.constantFrom(undefined, 'Europe/Paris', '+05:30'), (line, tz) => {
        const ctx = tz === undefined ? { referenceTime: 1.7e12 } : { referenceTime: 1.7e12, tz };
        for (const format of formats) {
          const parsed = format.parse(line, ctx);
          if (parsed === null) continue;
          expect(typeof parsed.message).toBe('string');
          for (const key of ['ts', 'status', 'bytes', 'latencyMs'] as const) {
            const v = parsed[key];
            if (v !== undefined) expect(Number.isFinite(v)).toBe(true);
          }
        }
      }),
      { numRuns: fuzzRuns(3000) },
    );
  });
});

/** Bytes heavy in newlines, CRs, BOMs, whole multi-byte characters and stray invalid bytes. */
const byteSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom([0x0a], [0x0d], [0x0d, 0x0a], [0xef, 0xbb, 0xbf], [0xff], [0xc3], [0x82]),
      fc.constantFrom([0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80]),
      fc.integer({ min: 0x20, max: 0x7e }).map((b) => [b]),
    ),
    { maxLength: 150 },
  )
  .map((pieces) => pieces.flat());

function split(bytes: Buffer, cuts: number[], maxLineBytes: number): SplitLine[] {
  const splitter = new LineSplitter({ maxLineBytes });
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const lines: SplitLine[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    lines.push(...splitter.push(bytes.subarray(prev, p)));
    prev = p;
  }
  return [...lines, ...splitter.end()];
}

describe('LineSplitter on arbitrary bytes split at arbitrary points', () => {
  it('accounts for every byte exactly once and decodes each line as a whole', {
    timeout: FUZZ_TIMEOUT_MS,
  }, () => {
    fc.assert(
      fc.property(
        byteSoup,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 4, max: 40 }),
        (arr, cuts, max) => {
          const bytes = Buffer.from(arr);
          const lines = split(bytes, cuts, max);
          // A UTF-8 BOM opening the stream is not part of the first line.
          let expected = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
          for (const [i, line] of lines.entries()) {
            expect(line.offset).toBe(expected);
            const end = line.offset + line.byteLength;
            const isLast = i === lines.length - 1;
            if (end < bytes.length || !isLast) {
              const eol = bytes[end] === 0x0d ? 2 : 1;
              expect(bytes[end + eol - 1]).toBe(0x0a);
              expected = end + eol;
            } else expected = end;
            const content = bytes.subarray(line.offset, end);
            if (line.truncated) {
              // Cut at the cap, stepping back at most three bytes to a character boundary.
              expect(line.byteLength).toBeGreaterThan(max);
              const cuts = [max, max - 1, max - 2, max - 3].map((c) => decodeUtf8(content.subarray(0, c)));
              expect(cuts).toContainEqual({ text: line.text, invalidBytes: line.invalidBytes });
              // ...so a valid line never gains a replacement character from the cut.
              if (decodeUtf8(content).invalidBytes === 0) expect(line.invalidBytes).toBe(0);
            } else {
              expect(line.byteLength).toBeLessThanOrEqual(max);
              expect({ text: line.text, invalidBytes: line.invalidBytes }).toEqual(decodeUtf8(content));
            }
          }
          expect(expected).toBe(bytes.length);
          expect(lines).toEqual(split(bytes, [], max));
        },
      ),
      { numRuns: fuzzRuns(3000) },
    );
  });
});
