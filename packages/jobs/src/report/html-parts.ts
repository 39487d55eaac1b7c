/** Small HTML builders the report page is assembled from; every untrusted string goes through escapeHtml. */
import { escapeHtml } from './escape.js';
import { formatCount, formatShare, truncate } from './format.js';
import { BOUNDED_COUNTS_SENTENCE, withShares } from './summary.js';
import type { CountRow } from './types.js';

/** Longest log text shown in a table cell, in characters; the full text is in the JSON report. */
export const CELL_CHARS = 300;

/** A table cell: text (escaped here), numeric (right-aligned) or long log text (wraps anywhere). */
export interface Cell {
  text: string;
  kind?: 'num' | 'text' | 'mono';
}

export type CellInput = string | Cell;

function td(input: CellInput, header: boolean): string {
  const cell = typeof input === 'string' ? { text: input } : input;
  const cls = cell.kind === 'num' ? ' class="num"' : cell.kind === 'text' ? ' class="text"' : '';
  const content = cell.kind === 'mono' ? `<code>${escapeHtml(cell.text)}</code>` : escapeHtml(cell.text);
  return header ? `<th scope="row"${cls}>${content}</th>` : `<td${cls}>${content}</td>`;
}

export function num(text: string): Cell {
  return { text, kind: 'num' };
}

export function longText(text: string): Cell {
  return { text, kind: 'text' };
}

/**
 * A data table: column headers with scope="col", the first cell of each row a row header
 * (scope="row"), wrapped so a wide table scrolls sideways on a narrow screen instead of the page.
 */
export function table(
  caption: string,
  headers: readonly CellInput[],
  rows: readonly (readonly CellInput[])[],
): string {
  const head = headers
    .map((h) => {
      const cell = typeof h === 'string' ? { text: h } : h;
      return `<th scope="col"${cell.kind === 'num' ? ' class="num"' : ''}>${escapeHtml(cell.text)}</th>`;
    })
    .join('');
  const body = rows.map((row) => `<tr>${row.map((c, i) => td(c, i === 0)).join('')}</tr>`).join('\n');
  return (
    `<div class="table-wrap"><table><caption>${escapeHtml(caption)}</caption>` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`
  );
}

/** A section with a heading whose id is its anchor. `body` is markup. */
export function section(id: string, title: string, body: string): string {
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

/** A chart with its caption, and its data as a table behind a disclosure: the chart's text alternative. */
export function figure(svg: string, caption: string, dataTable?: string): string {
  const data = dataTable
    ? `\n<details><summary>Show the data as a table</summary>\n${dataTable}\n</details>`
    : '';
  return `<figure>\n<div class="chart-scroll">${svg}</div>\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>${data}`;
}

export function paragraph(text: string, cls?: string): string {
  return `<p${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</p>`;
}

export function empty(text: string): string {
  return paragraph(text, 'empty');
}

/** Untrusted lines shown verbatim, as evidence. */
export function pre(lines: readonly string[]): string {
  return `<pre>${escapeHtml(lines.join('\n'))}</pre>`;
}

/** A count list; shares of the list's total only mean something for complete lists (levels, statuses). */
export function countTable(
  caption: string,
  label: string,
  rows: readonly CountRow[],
  withShare = true,
): string {
  if (!withShare) {
    if (rows.some((r) => r.atLeast !== undefined)) {
      return (
        table(
          caption,
          [label, num('At least'), num('At most')],
          rows.map((r) => [
            longText(truncate(r.value, CELL_CHARS)),
            num(formatCount(r.atLeast ?? r.count)),
            num(formatCount(r.count)),
          ]),
        ) + paragraph(BOUNDED_COUNTS_SENTENCE, 'note')
      );
    }
    return table(
      caption,
      [label, num('Count')],
      rows.map((r) => [longText(truncate(r.value, CELL_CHARS)), num(formatCount(r.count))]),
    );
  }
  return table(
    caption,
    [label, num('Count'), num('Share')],
    withShares(rows).map((r) => [
      longText(truncate(r.value, CELL_CHARS)),
      num(formatCount(r.count)),
      num(formatShare(r.share)),
    ]),
  );
}
