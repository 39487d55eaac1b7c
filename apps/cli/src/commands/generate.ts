import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { contextFor } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { formatBytes, formatCount, formatDuration } from '../output/human.js';
import { parseCount, parsePositive } from './arguments.js';
import { ERROR_BURST_HELP, type ErrorBurstSpec, parseErrorBurst } from './error-burst.js';

interface GenerateFlags {
  format: 'access' | 'json' | 'plain';
  lines: number;
  seed: number;
  output?: string;
  start?: string;
  rate?: number;
  services?: string;
  requestTime?: boolean;
  errorBurst?: ErrorBurstSpec;
}

export function generateCommand(): Command {
  return new Command('generate')
    .description('write a realistic, reproducible log file (no server needed)')
    .addOption(
      new Option('-f, --format <format>', 'log format')
        .choices(['access', 'json', 'plain'])
        .default('access'),
    )
    .option('-n, --lines <n>', 'number of lines', parseCount('--lines', 0), 10_000)
    .option('-s, --seed <n>', 'same seed and options, same bytes', parseCount('--seed', 0), 1)
    .option('-o, --output <file>', 'file to write (default: stdout)')
    .option('--start <iso>', 'timestamp of the first line (default 2024-01-15T10:00:00Z)')
    .option(
      '--rate <n>',
      'lines per second of log time (default 1000 for access, 100 otherwise)',
      parsePositive('--rate'),
    )
    .option(
      '--services <names>',
      'comma-separated services for json and plain logs (default api,auth,payments,search)',
    )
    .option('--request-time', "access logs: append nginx's $request_time")
    .option('--error-burst <spec>', `a stretch of errors: ${ERROR_BURST_HELP}`, parseErrorBurst)
    .action(async (flags: GenerateFlags, command: Command) => {
      const { output } = contextFor(command);
      const { writeGeneratedLog, resolveGenerateOptions } = await import('@logsift/jobs');
      const options = {
        format: flags.format,
        lines: flags.lines,
        seed: flags.seed,
        ...(flags.start ? { start: flags.start } : {}),
        ...(flags.rate ? { linesPerSecond: flags.rate } : {}),
        ...(flags.services ? { services: flags.services.split(',').map((s) => s.trim()) } : {}),
        ...(flags.requestTime ? { withRequestTime: true } : {}),
        ...(flags.errorBurst ? { errorBurst: flags.errorBurst } : {}),
      };
      try {
        resolveGenerateOptions(options); // checks every range before a file is created
      } catch (err) {
        if (err instanceof RangeError) throw new CliError(err.message, EXIT.usage);
        throw err;
      }
      const toFile = flags.output !== undefined && flags.output !== '-';
      const started = performance.now();
      const target = toFile ? createWriteStream(flags.output as string) : process.stdout;
      const written = toFile ? finished(target) : undefined; // listens for errors from the start
      const result = await writeGeneratedLog(options, target);
      if (toFile) {
        target.end();
        await written;
      }
      const ms = Math.round(performance.now() - started);
      const summary = {
        file: toFile ? resolve(flags.output as string) : null,
        format: flags.format,
        ...result,
        ms,
      };
      const text =
        `wrote ${formatCount(result.lines)} ${flags.format} lines (${formatBytes(result.bytes)}) ` +
        `${toFile ? `to ${flags.output} ` : ''}in ${formatDuration(ms)}`;
      // With the log itself on stdout, the summary goes to stderr so the log stays clean.
      if (toFile) {
        output.data(summary);
        output.line(text);
      } else output.note(output.json ? JSON.stringify(summary) : text);
    });
}
