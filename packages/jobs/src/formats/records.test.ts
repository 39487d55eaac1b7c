import { describe, expect, it } from 'vitest';
import { combinedFormat } from './access.js';
import { LineSplitter } from './decode.js';
import { plainFormat } from './plain.js';
import { isContinuation, type LogRecord, RecordAssembler } from './records.js';
import { fixtureBytes } from './test-fixtures.js';
import type { LogFormat } from './types.js';

function recordsOf(bytes: Buffer, format?: LogFormat): LogRecord[] {
  const splitter = new LineSplitter();
  const assembler = new RecordAssembler(format ? { format } : {});
  const lines = [...splitter.push(bytes), ...splitter.end()];
  return [...lines.flatMap((l) => assembler.push(l)), ...assembler.end()];
}

describe('RecordAssembler', () => {
  const java = fixtureBytes('java-stack.txt');

  it.each([
    ['with the plain format', plainFormat],
    ['without a format', undefined],
  ])('joins each Java exception to its log line %s, with exact spans', (_, format) => {
    const records = recordsOf(java, format);
    expect(records.map((r) => [r.firstLine, r.lineCount])).toEqual([
      [1, 1],
      [2, 8],
      [10, 1],
      [11, 3],
      [14, 1],
    ]);
    for (const r of records)
      expect(java.subarray(r.offset, r.offset + r.byteLength).toString('utf8')).toBe(r.text);
    expect(records[1]?.text.split('\n')).toEqual([
      '2024-03-01 10:00:01,002 ERROR [http-1] app.Handler: request failed',
      'java.lang.IllegalStateException: order 42 is closed',
      '\tat app.orders.Order.close(Order.java:88)',
      '\tat app.Handler.handle(Handler.java:31)',
      '\t... 12 more',
      'Caused by: java.sql.SQLException: connection reset',
      '\tat org.db.Conn.exec(Conn.java:120)',
      '\t... 14 more',
    ]);
  });

  it('keeps a Python traceback with its log line, final exception line included', () => {
    const records = recordsOf(fixtureBytes('python-traceback.txt'));
    expect(records.map((r) => [r.firstLine, r.lineCount])).toEqual([
      [1, 1],
      [2, 7],
      [9, 1],
    ]);
    expect(records[1]?.text.endsWith('ValueError: bad input')).toBe(true);
  });

  it('spans CRLF line ends exactly', () => {
    const bytes = Buffer.from(
      '2024-03-01T10:00:00Z ERROR boom\r\n\tat a.b(C.java:1)\r\n2024-03-01T10:00:01Z INFO ok\r\n',
    );
    const records = recordsOf(bytes, plainFormat);
    expect(records.map((r) => [r.offset, r.byteLength, r.lineCount])).toEqual([
      [0, 50, 2],
      [52, 28, 1],
    ]);
    expect(bytes.subarray(0, 50).toString()).toBe('2024-03-01T10:00:00Z ERROR boom\r\n\tat a.b(C.java:1)');
  });

  it('closes a record at its line cap and starts numbering at firstLineNumber', () => {
    const assembler = new RecordAssembler({ maxRecordLines: 2, firstLineNumber: 101 });
    const lines = ['head', '  one', '  two', '  three'].map((text, i) => ({
      text,
      offset: i * 10,
      byteLength: text.length,
    }));
    const records = [...lines.flatMap((l) => assembler.push(l)), ...assembler.end()];
    expect(records.map((r) => [r.firstLine, r.lineCount, r.text])).toEqual([
      [101, 2, 'head\n  one'],
      [103, 2, '  two\n  three'],
    ]);
  });

  it('lets a chunk that starts mid-record skip to its first record and read past its end', () => {
    const lines = java.toString('utf8').trimEnd().split('\n');
    const whole = new Set(recordsOf(java).map((r) => `${r.firstLine}:${r.lineCount}`));
    for (let cut = 1; cut < lines.length; cut++) {
      const found: string[] = [];
      for (const [from, to] of [
        [0, cut],
        [cut, lines.length],
      ] as const) {
        let start = from;
        while (from > 0 && start < to && isContinuation(lines[start] ?? '')) start++;
        let end = to;
        while (end < lines.length && isContinuation(lines[end] ?? '')) end++;
        const assembler = new RecordAssembler({ firstLineNumber: start + 1 });
        const pushed = lines.slice(start, end).map((text) => ({ text, offset: 0, byteLength: 0 }));
        for (const r of [...pushed.flatMap((l) => assembler.push(l)), ...assembler.end()]) {
          found.push(`${r.firstLine}:${r.lineCount}`);
        }
      }
      expect(found.sort()).toEqual([...whole].sort());
    }
  });
});

describe('isContinuation', () => {
  it('recognises indentation, Java and Python trace lines', () => {
    for (const line of [
      '    at x.y(Z.java:1)',
      'at x.y(Z.java:1)',
      '... 3 more',
      'Caused by: java.io.IOException: x',
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in <module>',
      'KeyError: 1',
      'During handling of the above exception, another exception occurred:',
    ]) {
      expect(isContinuation(line)).toBe(true);
    }
    expect(isContinuation('2024-03-01T10:00:00Z INFO x')).toBe(false);
    expect(isContinuation('an ordinary line')).toBe(false);
  });

  it('with a format, a line it does not parse continues the record; never for single-line formats', () => {
    expect(isContinuation('wrapped text of the previous message', plainFormat)).toBe(true);
    expect(isContinuation('2024-03-01T10:00:00Z INFO x', plainFormat)).toBe(false);
    expect(isContinuation('  indented', combinedFormat)).toBe(false);
    expect(isContinuation('garbage', combinedFormat)).toBe(false);
  });
});
