import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { contextFor } from '../context.js';
import type { ReportFormat } from '../http/client.js';
import { formatBytes } from '../output/human.js';

const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'md', 'html'];
const BY_EXTENSION: Record<string, ReportFormat> = {
  '.json': 'json',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
};

/** `--format` when given; else the output file's extension; else JSON in JSON mode and Markdown for people. */
export function chooseReportFormat(
  format: ReportFormat | undefined,
  file: string | undefined,
  json: boolean,
): ReportFormat {
  if (format) return format;
  const fromFile = file ? BY_EXTENSION[extname(file).toLowerCase()] : undefined;
  return fromFile ?? (json ? 'json' : 'md');
}

function parseReportFormat(value: string): ReportFormat {
  const v = value === 'markdown' ? 'md' : value;
  if (!REPORT_FORMATS.includes(v as ReportFormat))
    throw new InvalidArgumentError(`use one of ${REPORT_FORMATS.join(', ')}`);
  return v as ReportFormat;
}

export function reportCommand(): Command {
  return new Command('report')
    .description("print an upload's report, or write it to a file")
    .argument('<id>', 'upload id')
    .addOption(
      new Option(
        '-f, --format <format>',
        'json, md or html (default: from -o, else md; json with --json)',
      ).argParser(parseReportFormat),
    )
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .action(async (id: string, options: { format?: ReportFormat; output?: string }, command: Command) => {
      const { output, withClient } = contextFor(command);
      const format = chooseReportFormat(options.format, options.output, output.json);
      const body = await withClient((client) => client.report(id, format));
      if (!options.output) {
        // The report is the output, in either mode.
        output.stdout.write(body.endsWith('\n') ? body : `${body}\n`);
        return;
      }
      await writeFile(options.output, body);
      const bytes = Buffer.byteLength(body);
      output.data({ id, format, file: resolve(options.output), bytes });
      output.line(`wrote the ${format} report of ${id} to ${options.output} (${formatBytes(bytes)})`);
    });
}
