import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hash53 } from '../stats/hash.js';
import { createUtf16ToUtf8, decodeUtf8, detectEncoding, LineSplitter, type SplitLine } from './decode.js';

/** The lines without their keys, once each key is checked: hash53 of the text, unless bytes were invalid. */
function checkedKeys(lines: SplitLine[]): SplitLine[] {
  return lines.map(({ key, ...line }) => {
    expect(key, line.text).toBe(line.invalidBytes === 0 ? hash53(line.text) : undefined);
    return line;
  });
}

function splitAll(chunks: Buffer[], maxLineBytes?: number): SplitLine[] {
  const splitter = new LineSplitter(maxLineBytes === undefined ? {} : { maxLineBytes });
  return checkedKeys([...chunks.flatMap((c) => splitter.push(c)), ...splitter.end()]);
}

describe('LineSplitter', () => {
  it('splits LF and CRLF lines with their byte offsets and lengths', () => {
    const lines = splitAll([Buffer.from('alpha\r\nbeta\n\ngamma')]);
    expect(lines).toEqual([
      { text: 'alpha', offset: 0, byteLength: 5, invalidBytes: 0 },
      { text: 'beta', offset: 7, byteLength: 4, invalidBytes: 0 },
      { text: '', offset: 12, byteLength: 0, invalidBytes: 0 },
      { text: 'gamma', offset: 13, byteLength: 5, invalidBytes: 0 },
    ]);
  });

  it('gives the same lines whatever the chunking, CR and multi-byte characters split across chunks', () => {
    const input = Buffer.from('héllo wörld\r\n€uro\r\nend\n');
    const whole = splitAll([input]);
    for (let cut = 1; cut < input.length; cut++) {
      expect(splitAll([input.subarray(0, cut), input.subarray(cut)])).toEqual(whole);
    }
    expect(whole.map((l) => [l.text, l.offset, l.byteLength])).toEqual([
      ['héllo wörld', 0, 13],
      ['€uro', 15, 6],
      ['end', 23, 3],
    ]);
  });

  it('strips a UTF-8 BOM at offset 0 only', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const lines = splitAll([
      bom.subarray(0, 1),
      Buffer.concat([bom.subarray(1), Buffer.from('a\n'), bom, Buffer.from('b')]),
    ]);
    expect(lines).toEqual([
      { text: 'a', offset: 3, byteLength: 1, invalidBytes: 0 },
      { text: '\uFEFFb', offset: 5, byteLength: 4, invalidBytes: 0 },
    ]);
  });

  it('does not count the BOM against the line cap', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('éé\nx')]);
    expect(splitAll([bytes], 4)[0]).toEqual({ text: 'éé', offset: 3, byteLength: 4, invalidBytes: 0 });
  });

  it('counts offsets from startOffset and leaves a BOM in the middle of a file alone', () => {
    const splitter = new LineSplitter({ startOffset: 1000 });
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\r\nb')]);
    expect(checkedKeys([...splitter.push(bytes), ...splitter.end()])).toEqual([
      { text: '\uFEFFa', offset: 1000, byteLength: 4, invalidBytes: 0 },
      { text: 'b', offset: 1006, byteLength: 1, invalidBytes: 0 },
    ]);
  });

  it('replaces each invalid byte with U+FFFD and counts it', () => {
    const lines = splitAll([
      Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x0a, 0xe2, 0x82, 0xac, 0xed, 0xa0, 0x80, 0x0a]),
    ]);
    expect(lines).toEqual([
      { text: 'a\uFFFDb\uFFFD', offset: 0, byteLength: 4, invalidBytes: 2 },
      // A UTF-16 surrogate encoded in UTF-8 (ED A0 80) is three invalid bytes.
      { text: '€\uFFFD\uFFFD\uFFFD', offset: 5, byteLength: 6, invalidBytes: 3 },
    ]);
  });

  it('cuts an overlong line at a character boundary and skips the rest up to the newline', () => {
    const long = `${'é'.repeat(10)}\nnext\n`; // é is 2 bytes: the line is 20 bytes
    const lines = splitAll([Buffer.from(long)], 7);
    expect(lines).toEqual([
      { text: 'ééé', offset: 0, byteLength: 20, invalidBytes: 0, truncated: true },
      { text: 'next', offset: 21, byteLength: 4, invalidBytes: 0 },
    ]);
  });

  it('keys ASCII runs, cut lines and multi-byte lines by their bytes, and no line with invalid bytes', () => {
    const ascii = Buffer.from('second line\r\nthird, much longer than the cap\nx\n'); // a run of its own
    const rest = Buffer.concat([
      Buffer.from('naïve €\n'),
      Buffer.from([0x62, 0xff, 0x0a]),
      Buffer.from('last'),
    ]);
    const first = Buffer.from('first\n');
    const input = Buffer.concat([first, ascii, rest]);
    for (const chunks of [[first, ascii, rest], [input], [input.subarray(0, 9), input.subarray(9)]]) {
      const lines = splitAll(chunks, 12);
      expect(lines.map((l) => l.text)).toEqual([
        'first',
        'second line',
        'third, much ',
        'x',
        'naïve €',
        'b\uFFFD',
        'last',
      ]);
    }
  });

  it('does not mark a line of exactly the cap as truncated, with or without CR', () => {
    expect(splitAll([Buffer.from('abcd\r\nabcd\nabcde\n')], 4).map((l) => [l.text, l.truncated])).toEqual([
      ['abcd', undefined],
      ['abcd', undefined],
      ['abcd', true],
    ]);
  });

  it('holds at most the cap of a 10 MB line without newline fed in 64 KiB chunks', () => {
    const splitter = new LineSplitter({ maxLineBytes: 1024 });
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    for (let i = 0; i < 160; i++) expect(splitter.push(chunk)).toEqual([]);
    const [tail] = splitter.end();
    expect(tail?.text.length).toBe(1024);
    expect(tail?.byteLength).toBe(160 * 64 * 1024);
    expect(tail?.truncated).toBe(true);
    expect(splitter.end()).toEqual([]);
  });
});

describe('decodeUtf8', () => {
  it('rejects overlong encodings and code points past U+10FFFF', () => {
    expect(decodeUtf8(Buffer.from([0xc0, 0xaf]))).toEqual({ text: '\uFFFD\uFFFD', invalidBytes: 2 });
    expect(decodeUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toEqual({
      text: '\uFFFD'.repeat(4),
      invalidBytes: 4,
    });
    expect(decodeUtf8(Buffer.from('😀 ok'))).toEqual({ text: '😀 ok', invalidBytes: 0 });
  });
});

describe('detectEncoding', () => {
  it('reads BOMs and BOM-less UTF-16 of ASCII text', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('utf8');
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]))).toBe('utf16le');
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x61]))).toBe('utf16be');
    expect(detectEncoding(Buffer.from('hello world', 'utf16le'))).toBe('utf16le');
    expect(detectEncoding(Buffer.from('hello world', 'utf16le').swap16())).toBe('utf16be');
    expect(detectEncoding(Buffer.from('hello world'))).toBe('utf8');
    expect(detectEncoding(Buffer.alloc(0))).toBe('utf8');
  });
});

async function convert(chunks: Buffer[], encoding?: 'utf16le' | 'utf16be'): Promise<string> {
  const out: Buffer[] = [];
  for await (const piece of Readable.from(chunks).pipe(createUtf16ToUtf8(encoding)))
    out.push(piece as Buffer);
  return Buffer.concat(out).toString('utf8');
}

describe('createUtf16ToUtf8', () => {
  const text = 'line one €\r\nline two 😀\n';

  it('converts UTF-16LE with BOM split at every byte into UTF-8 without BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    for (let cut = 1; cut < bytes.length; cut += 3) {
      expect(await convert([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe(text);
    }
  });

  it('converts UTF-16BE given or detected, and passes UTF-8 through', async () => {
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    expect(await convert([be])).toBe(text);
    expect(await convert([Buffer.from(text, 'utf16le').swap16()], 'utf16be')).toBe(text);
    expect(await convert([Buffer.from(text)])).toBe(text);
  });

  it('marks a dangling last byte with U+FFFD', async () => {
    expect(await convert([Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x62])])).toBe('a\uFFFD');
    expect(await convert([Buffer.from([0xfe, 0xff, 0x00, 0x61, 0x62])])).toBe('a\uFFFD');
  });
});
