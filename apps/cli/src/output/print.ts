/**
 * Where command output goes. With `--json` only the machine-readable value reaches stdout; messages
 * for people are suppressed and errors go to stderr as JSON.
 */
import type { Writable } from 'node:stream';
import { type Column, formatTable } from './table.js';

export interface Output {
  readonly json: boolean;
  /** Whether stdout is a terminal: progress bars are drawn only then. */
  readonly interactive: boolean;
  /** A line for people; nothing in JSON mode. */
  line(text?: string): void;
  /** The machine-readable result; printed only in JSON mode. */
  data(value: unknown): void;
  table<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): void;
  /** A message on stderr, shown in both modes (a warning or a hint that must not pollute stdout). */
  note(text: string): void;
  readonly stdout: Writable & { columns?: number; isTTY?: boolean };
}

export function createOutput(
  json: boolean,
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Output {
  return {
    json,
    interactive: !json && stdout.isTTY === true,
    stdout,
    line(text = '') {
      if (!json) stdout.write(`${text}\n`);
    },
    data(value) {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    table(columns, rows) {
      if (json) return;
      // Tables fit the terminal; sent to a file or pipe they keep every character.
      const width = stdout.isTTY ? stdout.columns : undefined;
      for (const l of formatTable(columns, rows, width)) stdout.write(`${l}\n`);
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
  };
}
