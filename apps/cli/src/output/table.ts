/**
 * Plain-text tables that fit the terminal: columns marked `shrink` give up width first (cells cut with
 * "…"); if that is not enough, columns with a `hideOrder` are left out, lowest first.
 */

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Numbers read best right-aligned. Default left. */
  align?: 'left' | 'right';
  /** May be narrowed (down to `minWidth`) when the table is wider than the terminal. */
  shrink?: boolean;
  /** Default: the header's width. */
  minWidth?: number;
  /** May be left out when narrowing is not enough; the lowest order goes first. Default: always shown. */
  hideOrder?: number;
}

const GAP = '  ';

/** Display width: one column per code point (logs and file names are mostly narrow characters). */
export const displayWidth = (s: string): number => [...s].length;

/** Cuts `s` to `width` columns, marking the cut with "…". */
export function truncate(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width <= 0) return '';
  return `${chars.slice(0, width - 1).join('')}…`;
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

/**
 * Column widths: each column's widest cell; when the total passes `maxWidth`, the shrinkable columns are
 * narrowed, widest first, until it fits or each is at its minimum. `maxWidth` undefined: never narrowed
 * (output going to a file or a pipe).
 */
export function columnWidths<Row>(
  columns: readonly Column<Row>[],
  cells: string[][],
  maxWidth?: number,
): number[] {
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...cells.map((r) => displayWidth(r[i] ?? ''))),
  );
  if (maxWidth === undefined) return widths;
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
  const floor = (i: number) => columns[i]?.minWidth ?? displayWidth(columns[i]?.header ?? '');
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < columns.length; i++) {
      const w = widths[i] ?? 0;
      if (columns[i]?.shrink && w > floor(i) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    }
    if (widest < 0) break; // nothing left to give: let the terminal wrap
    widths[widest] = Math.max(floor(widest), (widths[widest] ?? 0) - (total() - maxWidth));
  }
  return widths;
}

/** The columns that fit `maxWidth` once narrowed, leaving out hideable ones (lowest `hideOrder` first) as needed. */
function visibleColumns<Row>(
  columns: readonly Column<Row>[],
  cells: string[][],
  maxWidth?: number,
): number[] {
  let kept = columns.map((_, i) => i);
  for (;;) {
    const widths = columnWidths(
      kept.map((i) => columns[i] as Column<Row>),
      cells.map((r) => kept.map((i) => r[i] ?? '')),
      maxWidth,
    );
    const total = widths.reduce((a, b) => a + b, 0) + GAP.length * (kept.length - 1);
    if (maxWidth === undefined || total <= maxWidth) return kept;
    const hideable = kept.filter((i) => columns[i]?.hideOrder !== undefined);
    if (hideable.length === 0) return kept;
    const first = hideable.reduce((a, b) =>
      (columns[b]?.hideOrder ?? 0) < (columns[a]?.hideOrder ?? 0) ? b : a,
    );
    kept = kept.filter((i) => i !== first);
  }
}

/** The table as lines (header first), without trailing spaces. */
export function formatTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  maxWidth?: number,
): string[] {
  const allCells = rows.map((row) => columns.map((c) => c.value(row)));
  const kept = visibleColumns(columns, allCells, maxWidth);
  const shown = kept.map((i) => columns[i] as Column<Row>);
  const cells = allCells.map((r) => kept.map((i) => r[i] ?? ''));
  const widths = columnWidths(shown, cells, maxWidth);
  const line = (values: string[]) =>
    values
      .map((v, i) => pad(truncate(v, widths[i] ?? 0), widths[i] ?? 0, shown[i]?.align ?? 'left'))
      .join(GAP)
      .trimEnd();
  return [line(shown.map((c) => c.header)), ...cells.map(line)];
}
