import { Command } from 'commander';
import { contextFor } from '../context.js';
import { STAGE_NAMES, type StageName, type StageView, type UploadView } from '../http/api-types.js';
import { formatBytes, formatCount, formatDuration, formatPercent, formatTime } from '../output/human.js';
import type { Column } from '../output/table.js';
import { overallProgress } from '../progress/stage-progress.js';

/** The one-line counts: "100,000 lines, 99,990 parsed, 10 unparsed, 0 dropped". */
export function countsLine(counts: UploadView['counts']): string {
  if (!counts) return 'not counted yet';
  const n = (v: number | null) => (v === null ? '-' : formatCount(v));
  return `${n(counts.lines)} lines, ${n(counts.parsed)} parsed, ${n(counts.unparsed)} unparsed, ${n(counts.dropped)} dropped`;
}

const stageColumns: Column<[StageName, StageView | undefined]>[] = [
  { header: 'STAGE', value: ([name]) => name },
  { header: 'STATE', value: ([, s]) => s?.state ?? '-' },
  { header: 'PROGRESS', value: ([, s]) => (s ? formatPercent(s.progress) : '-'), align: 'right' },
  { header: 'JOBS', value: ([, s]) => (s ? String(s.jobs) : '-'), align: 'right' },
  {
    header: 'TIME',
    value: ([, s]) => (s?.durationMs == null ? '-' : formatDuration(s.durationMs)),
    align: 'right',
  },
  { header: 'ERROR', value: ([, s]) => s?.error ?? '', shrink: true },
];

export function statusCommand(): Command {
  return new Command('status')
    .description("show an upload's status, counts and per-stage progress")
    .argument('<id>', 'upload id (as printed by logsift upload or logsift uploads)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { output, withClient } = contextFor(command);
      const upload = await withClient((client) => client.getUpload(id));
      output.data(upload);
      const confidence =
        upload.formatConfidence == null ? '' : `, confidence ${upload.formatConfidence.toFixed(2)}`;
      output.line(`upload   ${upload.id}  ${upload.status} (${formatPercent(overallProgress(upload))})`);
      output.line(
        `file     ${upload.filename} (${formatBytes(upload.sizeBytes)}, ${upload.format ?? '?'}${confidence})`,
      );
      output.line(`counts   ${countsLine(upload.counts)}`);
      output.line(`created  ${formatTime(upload.createdAt)}`);
      if (upload.timings.totalMs != null) output.line(`total    ${formatDuration(upload.timings.totalMs)}`);
      if (upload.error) output.line(`error    ${upload.error}`);
      output.line();
      output.table(
        stageColumns,
        STAGE_NAMES.map((name) => [name, upload.stages[name]] as [StageName, StageView | undefined]),
      );
    });
}
