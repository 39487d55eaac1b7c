/**
 * Progress on a terminal: cli-progress bars when stdout is a TTY, a few plain lines otherwise, nothing
 * with `--json`. Commands report through these interfaces and never check which one they got.
 */
import cliProgress from 'cli-progress';
import { formatBytes } from '../output/human.js';
import type { Output } from '../output/print.js';

export interface ProgressLine {
  /** `value` out of the line's total; `label` replaces the line's text. */
  update(value: number, label?: string): void;
  /** Final state; the bar stays on screen. */
  done(label: string): void;
  /** Final state of something that did not happen; only a bar shows it, the command's summary says why. */
  fail(label: string): void;
}

export interface ProgressBoard {
  /** A bar for bytes sent (`total` bytes). */
  bytes(name: string, total: number): ProgressLine;
  /** A bar for a share 0..1 of the processing, with a stage label. */
  share(name: string): ProgressLine;
  /** Stops redrawing; later output starts on a fresh line. */
  stop(): void;
}

/** Pads a name so bars line up (cut names keep their end, where the file's distinguishing part is). */
function fitName(name: string, width: number): string {
  const chars = [...name];
  return chars.length > width ? `…${chars.slice(-(width - 1)).join('')}` : name.padEnd(width);
}

function terminalBoard(output: Output, nameWidth: number): ProgressBoard {
  const multi = new cliProgress.MultiBar(
    {
      stream: output.stdout,
      format: ' {name} {bar} {percentage}% | {label}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      // Redraw at most 10 times a second: fast uploads otherwise spend their time drawing.
      fps: 10,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  // Ctrl-C while bars are drawn: give the cursor back and end on a fresh line before exiting (128 + SIGINT).
  const interrupted = () => {
    multi.stop();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  return {
    bytes(name, total) {
      const bar = multi.create(Math.max(total, 1), 0, {
        name: fitName(name, nameWidth),
        label: `0 B / ${formatBytes(total)}`,
      });
      return {
        update(value, label) {
          bar.update(value, { label: label ?? `${formatBytes(value)} / ${formatBytes(total)}` });
        },
        done(label) {
          bar.update(Math.max(total, 1), { label });
        },
        fail(label) {
          bar.update({ label });
        },
      };
    },
    share(name) {
      const bar = multi.create(1000, 0, { name: fitName(name, nameWidth), label: 'queued' });
      return {
        update(value, label) {
          bar.update(Math.round(value * 1000), label === undefined ? {} : { label });
        },
        done(label) {
          bar.update(bar.getProgress() * 1000, { label });
        },
        fail(label) {
          bar.update({ label });
        },
      };
    },
    stop() {
      process.off('SIGINT', interrupted);
      multi.stop();
    },
  };
}

/** Without a terminal: one line when something starts and one when it ends, no redraws. */
function lineBoard(output: Output): ProgressBoard {
  return {
    bytes(name, total) {
      output.line(`${name}: sending ${formatBytes(total)}`);
      return { update() {}, done: (label) => output.line(`${name}: ${label}`), fail() {} };
    },
    share(name) {
      let last = '';
      return {
        update(_value, label) {
          // A line per stage change, not per poll.
          if (label !== undefined && label.split(' ')[0] !== last) {
            last = label.split(' ')[0] ?? '';
            output.line(`${name}: ${label}`);
          }
        },
        done: (label) => output.line(`${name}: ${label}`),
        fail() {},
      };
    },
    stop() {},
  };
}

const silentLine: ProgressLine = { update() {}, done() {}, fail() {} };
const silentBoard: ProgressBoard = { bytes: () => silentLine, share: () => silentLine, stop() {} };

/** The board that suits the output: bars on a terminal, lines in a pipe, silence in JSON mode. */
export function createProgressBoard(output: Output, names: readonly string[]): ProgressBoard {
  if (output.json) return silentBoard;
  if (!output.interactive) return lineBoard(output);
  const nameWidth = Math.min(30, Math.max(8, ...names.map((n) => [...n].length)));
  return terminalBoard(output, nameWidth);
}
