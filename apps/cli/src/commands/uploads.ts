import { Command } from 'commander';
import { contextFor } from '../context.js';
import type { UploadView } from '../http/api-types.js';
import { formatBytes, formatCount, formatDuration, formatTime } from '../output/human.js';
import type { Column } from '../output/table.js';
import { stageLabel } from '../progress/stage-progress.js';
import { parseCount } from './arguments.js';

/** The API answers at most this many per page; longer lists are fetched page by page. */
const PAGE_MAX = 200;

export const uploadColumns: Column<UploadView>[] = [
  { header: 'ID', value: (u) => u.id },
  {
    header: 'STATUS',
    value: (u) => (u.status === 'processing' ? stageLabel(u) : u.status),
    shrink: true,
    minWidth: 9,
  },
  { header: 'FILE', value: (u) => u.filename, shrink: true, minWidth: 8 },
  { header: 'SIZE', value: (u) => formatBytes(u.sizeBytes), align: 'right', hideOrder: 4 },
  { header: 'LINES', value: (u) => (u.counts ? formatCount(u.counts.lines) : '-'), align: 'right' },
  { header: 'FORMAT', value: (u) => u.format ?? '-', shrink: true, hideOrder: 3 },
  // Minutes are enough to tell uploads apart in a list; `logsift status` shows the seconds.
  { header: 'CREATED', value: (u) => formatTime(u.createdAt).slice(0, 16), hideOrder: 2 },
  {
    header: 'TIME',
    value: (u) => (u.timings.totalMs == null ? '-' : formatDuration(u.timings.totalMs)),
    align: 'right',
    hideOrder: 1,
  },
];

export function uploadsCommand(): Command {
  return new Command('uploads')
    .description('list uploads, newest first')
    .option('-n, --limit <n>', 'how many to list', parseCount('--limit', 1), 20)
    .action(async (options: { limit: number }, command: Command) => {
      const { output, withClient } = contextFor(command);
      const uploads = await withClient(async (client) => {
        const all: UploadView[] = [];
        let cursor: string | undefined;
        while (all.length < options.limit) {
          const page = await client.listUploads(Math.min(PAGE_MAX, options.limit - all.length), cursor);
          all.push(...page.uploads);
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        return all;
      });
      output.data({ uploads });
      if (uploads.length === 0) output.line('no uploads yet: send one with logsift upload <file>');
      else output.table(uploadColumns, uploads);
    });
}
