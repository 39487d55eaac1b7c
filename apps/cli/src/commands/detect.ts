import { Command } from 'commander';
import { contextFor } from '../context.js';
import { loadFormats } from '../jobs-formats.js';
import { formatBytes, formatPercent } from '../output/human.js';
import { readHead, sampleLines } from '../sample.js';

export function detectCommand(): Command {
  return new Command('detect')
    .description("guess a file's log format from its first 64 KiB, as the server would (no server needed)")
    .argument('<file>', 'a log file, plain or gzip')
    .option('--tz <zone>', 'time zone for timestamps written without one (IANA name or +02:00)')
    .action(async (file: string, options: { tz?: string }, command: Command) => {
      const { output } = contextFor(command);
      const head = await readHead(file);
      const lines = sampleLines(head);
      const { detectFormat } = await loadFormats();
      const detected = detectFormat(lines, {
        ...(options.tz ? { tz: options.tz } : {}),
        referenceTime: Date.now(),
      });
      output.data({
        file,
        format: detected.format.name,
        confidence: detected.confidence,
        sample: { bytes: head.bytes.length, lines: lines.length, gzip: head.gzip },
        ranking: detected.ranking,
      });
      output.line(`${file}: ${detected.format.name} (confidence ${formatPercent(detected.confidence)})`);
      output.line(
        `sample: ${lines.length} lines from the first ${formatBytes(head.bytes.length)}${head.gzip ? ' (decompressed)' : ''}`,
      );
      output.line();
      output.table(
        [
          { header: 'FORMAT', value: (r: { name: string; share: number }) => r.name },
          { header: 'PARSES', value: (r) => formatPercent(r.share), align: 'right' },
        ],
        detected.ranking,
      );
    });
}
