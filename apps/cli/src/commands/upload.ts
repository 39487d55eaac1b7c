import { Command } from 'commander';
import { contextFor } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import type { UploadView } from '../http/api-types.js';
import type { FormField } from '../http/multipart.js';
import { formatDuration } from '../output/human.js';
import type { Output } from '../output/print.js';
import { createProgressBoard } from '../progress/bars.js';
import { openFiles, sendFiles } from '../upload/send.js';
import { waitForUploads } from '../upload/wait.js';
import { parseJsonText } from './arguments.js';
import { countsLine } from './status.js';

interface UploadFlags {
  wait?: boolean;
  format?: string;
  service?: string;
  tz?: string;
  clean?: string;
  watchlist?: string;
  force?: boolean;
}

/** The multipart fields for the options given, in the API's names. */
export function uploadFields(flags: UploadFlags): FormField[] {
  const fields: FormField[] = [];
  for (const name of ['format', 'service', 'tz', 'clean', 'watchlist'] as const) {
    const value = flags[name];
    if (value !== undefined) fields.push({ name, value });
  }
  return fields;
}

/** "app.log: completed, 100,000 lines, ... in 4.2 s" and where the report is. */
function summarize(output: Output, baseUrl: string, upload: UploadView, ms: number | undefined): void {
  const time = ms === undefined ? '' : ` in ${formatDuration(ms)}`;
  if (upload.status === 'failed') {
    output.line(`${upload.filename}: failed${time}: ${upload.error ?? 'no reason given'}`);
    output.line(`  details: logsift status ${upload.id}`);
    return;
  }
  output.line(`${upload.filename}: ${upload.status}, ${countsLine(upload.counts)}${time}`);
  if (upload.deduplicated)
    output.line('  the same bytes were uploaded before: this is that upload (--force processes them again)');
  if (upload.status === 'completed') {
    output.line(`  report: logsift report ${upload.id} -o report.html`);
    output.line(`          ${baseUrl}${upload.links.reportHtml}`);
  } else {
    output.line(`  follow: logsift status ${upload.id}`);
  }
}

export function uploadCommand(): Command {
  return new Command('upload')
    .description('upload log files (plain or gzip), optionally waiting for their reports')
    .argument('<files...>', 'log files')
    .option('-w, --wait', 'follow each upload until its report is ready (exit 1 if one failed)')
    .option(
      '-f, --format <format>',
      'format name (see logsift formats) or a Loghub pattern; default: detected',
    )
    .option('--service <name>', 'service the lines come from, when they do not say')
    .option('--tz <zone>', 'time zone of timestamps written without one (Europe/Paris, +02:00)')
    .option(
      '--clean <json>',
      'clean rules, e.g. \'{"minLevel":"INFO","dedupWindowSeconds":60}\'',
      parseJsonText('--clean'),
    )
    .option(
      '--watchlist <json>',
      'terms to count, e.g. \'{"terms":["10.0.0.7"]}\'',
      parseJsonText('--watchlist'),
    )
    .option('--force', 'upload again even if the same file was uploaded before')
    .action(async (paths: string[], flags: UploadFlags, command: Command) => {
      const { output, withClient } = contextFor(command);
      const files = await openFiles(paths);
      const fields = uploadFields(flags);
      const board = createProgressBoard(
        output,
        files.map((f) => f.filename),
      );
      const { sent, followed, baseUrl } = await withClient(async (client) => {
        try {
          const sent = await sendFiles(client, paths, files, fields, { force: flags.force === true, board });
          const accepted = sent.flatMap((s) => (s.upload ? [s.upload] : []));
          const followed =
            flags.wait && accepted.length > 0 ? await waitForUploads(client, accepted, board) : [];
          return { sent, followed, baseUrl: client.url };
        } finally {
          board.stop();
        }
      });

      const outcomes = sent.map((s) => {
        const last = followed.find((f) => f.upload.id === s.upload?.id);
        const upload = last?.upload ?? s.upload;
        const ms = last?.finishedAt !== undefined ? last.finishedAt - s.startedAt : undefined;
        return { ...s, upload, ms };
      });
      const uploads = outcomes.flatMap((o) => (o.upload ? [o.upload] : []));
      output.data({
        uploads,
        errors: outcomes.flatMap((o) =>
          o.error ? [{ file: o.path, error: { code: o.error.code ?? null, message: o.error.message } }] : [],
        ),
      });
      output.line();
      for (const o of outcomes) {
        if (o.error) output.line(`${o.path}: not uploaded: ${o.error.message}`);
        else if (o.upload) summarize(output, baseUrl, o.upload, o.ms);
      }

      const firstError = outcomes.find((o) => o.error)?.error;
      if (firstError)
        throw new CliError(firstError.message, firstError.exitCode, { code: firstError.code, shown: true });
      const failed = uploads.filter((u) => u.status === 'failed').length;
      if (failed > 0) throw new CliError(`${failed} of ${uploads.length} uploads failed`, EXIT.failure);
    });
}
