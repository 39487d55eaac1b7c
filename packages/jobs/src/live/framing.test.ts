import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Frame, LineFramer, SyslogFramer, TOO_LONG_PREFIX_BYTES } from './framing.js';

/** Feeds `bytes` in pieces cut at `cuts` and collects every frame, the end of stream included. */
function frames(framer: LineFramer, bytes: Buffer, cuts: number[] = []): Frame[] {
  const out: Frame[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= from || cut >= bytes.length) continue;
    out.push(...framer.push(bytes.subarray(from, cut)));
    from = cut;
  }
  out.push(...framer.push(bytes.subarray(from)), ...framer.end());
  return out;
}

const lineText = fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ' '));

describe('LineFramer', () => {
  it('cuts lines (dropping a CR before the LF) wherever the chunks are cut', () => {
    fc.assert(
      fc.property(fc.array(lineText, { maxLength: 20 }), fc.array(fc.nat(2000)), (lines, cuts) => {
        const bytes = Buffer.from(lines.map((l, i) => `${l}${i % 2 ? '\r\n' : '\n'}`).join(''));
        expect(frames(new LineFramer(1024), bytes, cuts)).toEqual(lines.map((text) => ({ text })));
      }),
    );
  });

  it('skips a line over the limit, reporting its size and first bytes, and goes on', () => {
    const long = 'y'.repeat(5000);
    const bytes = Buffer.from(`short\n${long}\nnext\nlast`);
    for (const cuts of [[], [3, 10, 100, 4000], Array.from({ length: 600 }, (_, i) => i * 9)]) {
      expect(frames(new LineFramer(100), bytes, cuts)).toEqual([
        { text: 'short' },
        { tooLong: true, bytes: 5001, prefix: 'y'.repeat(TOO_LONG_PREFIX_BYTES) },
        { text: 'next' },
        { text: 'last' },
      ]);
    }
  });

  it('allows a line of exactly the limit', () => {
    expect(frames(new LineFramer(5), Buffer.from('12345\n123456\n'))).toEqual([
      { text: '12345' },
      { tooLong: true, bytes: 7, prefix: '123456' },
    ]);
  });
});

describe('SyslogFramer (RFC 6587)', () => {
  const message = fc.string({ minLength: 1, maxLength: 60 }).map((s) => `<13>1 - h app - - - ${s}`);

  it('reads octet-counted and newline-terminated frames, mixed, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(message, fc.boolean()), { maxLength: 15 }),
        fc.array(fc.nat(3000)),
        (items, cuts) => {
          const expected: Frame[] = [];
          const wire = items
            .map(([m, counted]) => {
              if (counted) {
                expected.push({ text: m });
                return `${Buffer.byteLength(m)} ${m}`;
              }
              const line = m.replace(/[\r\n]/g, ' ');
              expected.push({ text: line });
              return `${line}\n`;
            })
            .join('');
          expect(frames(new SyslogFramer(4096), Buffer.from(wire), cuts)).toEqual(expected);
        },
      ),
    );
  });

  it('keeps newlines inside an octet-counted message and ignores blank lines between frames', () => {
    const m = '<14>1 - h app - - - two\nlines';
    expect(
      frames(new SyslogFramer(4096), Buffer.from(`\n${Buffer.byteLength(m)} ${m}\n\n<13>plain\n`)),
    ).toEqual([{ text: m }, { text: '<13>plain' }]);
  });

  it('skips an octet-counted frame over the limit without holding it, and reads the next one', () => {
    const big = 'z'.repeat(10_000);
    const small = '<13>1 - h app - - - ok';
    const wire = Buffer.from(`${big.length} ${big}${small.length} ${small}`);
    for (const cuts of [[], Array.from({ length: 200 }, (_, i) => i * 53)]) {
      expect(frames(new SyslogFramer(1000), wire, cuts)).toEqual([
        { tooLong: true, bytes: 10_000, prefix: 'z'.repeat(TOO_LONG_PREFIX_BYTES) },
        { text: small },
      ]);
    }
  });

  it('treats digits not followed by a space as the start of a newline-terminated frame', () => {
    expect(frames(new SyslogFramer(100), Buffer.from('2024-05-01 plain text\n12 <13>1 - h a\n'))).toEqual([
      { text: '2024-05-01 plain text' },
      { text: '<13>1 - h a\n' },
    ]);
  });
});
