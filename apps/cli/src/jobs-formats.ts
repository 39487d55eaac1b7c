/**
 * The log formats of @logsift/jobs, loaded on demand through the package's `./formats` entry: it pulls in
 * the parsers only, not the queue and database code the CLI's other commands never need at start-up.
 */
import type * as Formats from '@logsift/jobs/formats';

export type FormatsModule = typeof Formats;
/** What the CLI shows of a format. */
export type FormatInfo = Pick<Formats.LogFormat, 'name' | 'description' | 'fills' | 'multiline'>;

export async function loadFormats(): Promise<FormatsModule> {
  return import('@logsift/jobs/formats');
}
