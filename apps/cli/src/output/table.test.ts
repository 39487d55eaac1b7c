import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatPercent, formatTime } from './human.js';
import { type Column, formatTable, truncate } from './table.js';

interface Row {
  id: string;
  file: string;
  lines: number;
}

const columns: Column<Row>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'FILE', value: (r) => r.file, shrink: true, minWidth: 6 },
  { header: 'LINES', value: (r) => String(r.lines), align: 'right' },
];
const rows: Row[] = [
  { id: 'a1', file: 'access-2024-01-15.log', lines: 100000 },
  { id: 'b22', file: 'app.log', lines: 7 },
];

describe('formatTable', () => {
  it('pads columns to their widest cell, numbers right-aligned, no trailing spaces', () => {
    expect(formatTable(columns, rows)).toEqual([
      'ID   FILE                    LINES',
      'a1   access-2024-01-15.log  100000',
      'b22  app.log                     7',
    ]);
  });

  it('narrows the shrinkable column to fit the terminal, marking cuts with …', () => {
    const lines = formatTable(columns, rows, 25);
    expect(lines).toEqual([
      'ID   FILE           LINES',
      'a1   access-2024…  100000',
      'b22  app.log            7',
    ]);
    expect(Math.max(...lines.map((l) => l.length))).toBe(25);
  });

  it('stops at the minimum width and lets the terminal wrap what still does not fit', () => {
    expect(formatTable(columns, rows, 10)).toEqual([
      'ID   FILE     LINES',
      'a1   acces…  100000',
      'b22  app.l…       7',
    ]);
  });

  it('prints only the header for no rows', () => {
    expect(formatTable(columns, [])).toEqual(['ID  FILE  LINES']);
  });

  it('truncates by characters, not bytes', () => {
    expect(truncate('été-journal', 5)).toBe('été-…');
    expect(truncate('short', 5)).toBe('short');
  });
});

describe('human formats', () => {
  it('formats sizes, durations, counts, shares and times', () => {
    expect([
      formatBytes(512),
      formatBytes(1536),
      formatBytes(32_400_000),
      formatBytes(3 * 1024 ** 3),
    ]).toEqual(['512 B', '1.50 KiB', '30.9 MiB', '3.00 GiB']);
    expect([
      formatDuration(850),
      formatDuration(4200),
      formatDuration(42_000),
      formatDuration(125_000),
    ]).toEqual(['850 ms', '4.20 s', '42.0 s', '2 min 5 s']);
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatPercent(0.999)).toBe('99%');
    expect(formatTime('2024-01-15T10:00:00.123Z')).toBe('2024-01-15 10:00:00');
    expect(formatTime(null)).toBe('-');
  });
});

describe('formatTable on a narrow terminal', () => {
  const wide: Column<Row>[] = [
    ...columns,
    { header: 'CREATED', value: () => '2024-01-15 10:00', hideOrder: 2 },
    { header: 'TIME', value: () => '4.20 s', align: 'right', hideOrder: 1 },
  ];

  it('leaves out hideable columns, lowest order first, when narrowing is not enough', () => {
    expect(formatTable(wide, rows)[0]).toBe('ID   FILE                    LINES  CREATED             TIME');
    expect(formatTable(wide, rows, 40)).toEqual([
      'ID   FILE        LINES  CREATED',
      'a1   access-2…  100000  2024-01-15 10:00',
      'b22  app.log         7  2024-01-15 10:00',
    ]);
    expect(formatTable(wide, rows, 24)).toEqual([
      'ID   FILE          LINES',
      'a1   access-202…  100000',
      'b22  app.log           7',
    ]);
  });
});
