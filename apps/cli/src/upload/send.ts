/** Sends files one request each, with a bar per file for the bytes sent. */
import { CliError, EXIT } from '../exit-codes.js';
import type { UploadView } from '../http/api-types.js';
import type { ApiClient } from '../http/client.js';
import { type FormField, type FormFile, fileFromPath } from '../http/multipart.js';
import type { ProgressBoard } from '../progress/bars.js';

export interface SentFile {
  path: string;
  filename: string;
  /** performance.now() when sending began, for the time in the summary. */
  startedAt: number;
  /** The server's view once accepted. */
  upload?: UploadView;
  /** Why this file did not become an upload. */
  error?: CliError;
}

/** Errors that make every further request pointless: stop at the first. */
const isFatal = (err: CliError) => err.exitCode === EXIT.unreachable || err.exitCode === EXIT.auth;

/** Opens every file first, so a typo in the last name fails before anything is sent. */
export async function openFiles(paths: readonly string[]): Promise<FormFile[]> {
  return Promise.all(
    paths.map(async (path) => {
      try {
        return await fileFromPath(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new CliError(`no such file: ${path}`, EXIT.notFound);
        if (code === 'EISDIR') throw new CliError(`not a file: ${path}`, EXIT.usage);
        throw err;
      }
    }),
  );
}

export async function sendFiles(
  client: ApiClient,
  paths: readonly string[],
  files: readonly FormFile[],
  fields: FormField[],
  options: { force: boolean; board: ProgressBoard },
): Promise<SentFile[]> {
  const results: SentFile[] = [];
  for (const [i, file] of files.entries()) {
    const path = paths[i] ?? file.filename;
    const bar = options.board.bytes(file.filename, file.size);
    const result: SentFile = { path, filename: file.filename, startedAt: performance.now() };
    results.push(result);
    let sent = 0;
    try {
      const answer = await client.upload({
        file,
        fields,
        force: options.force,
        // The bar counts file bytes: the few hundred bytes of multipart framing are left out.
        onBytes: (n) => {
          sent += n;
          bar.update(Math.min(sent, file.size));
        },
      });
      const upload = answer.uploads[0];
      if (!upload) throw new CliError('the server accepted the file but returned no upload', EXIT.failure);
      result.upload = upload;
      bar.done(upload.deduplicated ? `already uploaded as ${upload.id}` : `sent, upload ${upload.id}`);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      bar.fail('not uploaded');
      result.error = err;
      if (isFatal(err)) break;
    }
  }
  return results;
}
