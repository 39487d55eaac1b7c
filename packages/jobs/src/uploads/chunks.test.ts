import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitIntoChunks } from './chunks.js';

const dir = mkdtempSync(join(tmpdir(), 'logsift-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): { path: string; size: number } {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, size: Buffer.byteLength(content) };
}

describe('splitIntoChunks', () => {
  it('cuts just after newlines and covers every byte once', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`);
    const text = `${lines.join('\n')}\n`;
    const { path, size } = file('a.log', text);
    const ranges = await splitIntoChunks(path, size, 1000);
    expect(ranges[0]?.start).toBe(0);
    expect(ranges.at(-1)?.end).toBe(size);
    for (let i = 1; i < ranges.length; i++) {
      expect(ranges[i]?.start).toBe(ranges[i - 1]?.end);
      expect(text[(ranges[i]?.start ?? 0) - 1]).toBe('\n');
    }
    const rejoined = ranges.map((r) => text.slice(r.start, r.end)).join('');
    expect(rejoined).toBe(text);
    expect(ranges.flatMap((r) => text.slice(r.start, r.end).split('\n').filter(Boolean))).toEqual(lines);
  });

  it('keeps a line longer than the chunk size whole', async () => {
    const long = 'y'.repeat(200_000);
    const text = `${long}\nend\n`;
    const { path, size } = file('b.log', text);
    const ranges = await splitIntoChunks(path, size, 10);
    expect(ranges).toEqual([
      { start: 0, end: long.length + 1 },
      { start: long.length + 1, end: size },
    ]);
  });

  it('handles a last line without newline and an empty file', async () => {
    const { path, size } = file('c.log', 'a\nb\nc');
    expect(await splitIntoChunks(path, size, 2)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 5 },
    ]);
    const empty = file('d.log', '');
    expect(await splitIntoChunks(empty.path, 0, 2)).toEqual([{ start: 0, end: 0 }]);
  });
});
