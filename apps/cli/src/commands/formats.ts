import { Command } from 'commander';
import { contextFor } from '../context.js';
import { type FormatInfo, loadFormats } from '../jobs-formats.js';
import type { Column } from '../output/table.js';

const columns: Column<FormatInfo & { aliases: string[] }>[] = [
  { header: 'NAME', value: (f) => f.name },
  { header: 'ALIASES', value: (f) => f.aliases.join(', ') || '-', shrink: true, minWidth: 7 },
  { header: 'FIELDS', value: (f) => f.fills.join(', ') || '-', shrink: true, minWidth: 6 },
  { header: 'DESCRIPTION', value: (f) => f.description, shrink: true, minWidth: 11 },
];

export function formatsCommand(): Command {
  return new Command('formats')
    .description('list the built-in log formats (no server needed)')
    .addHelpText(
      'after',
      '\nA custom format is a Loghub-style pattern: --format "<Date> <Time> <Level> <Content>".',
    )
    .action(async (_options: unknown, command: Command) => {
      const { output } = contextFor(command);
      const { listFormats, FORMAT_ALIASES } = await loadFormats();
      const formats = listFormats().map((f) => ({
        name: f.name,
        aliases: Object.keys(FORMAT_ALIASES).filter((alias) => FORMAT_ALIASES[alias] === f.name),
        description: f.description,
        fills: [...f.fills],
        multiline: f.multiline ?? true,
      }));
      output.data({ formats });
      output.table(columns, formats);
    });
}
