/** The CLI's exit codes, one per kind of outcome a script may want to tell apart. */
export const EXIT = {
  ok: 0,
  /** The work failed: an upload failed, the server answered with an error, a report is not ready. */
  failure: 1,
  /** The command was asked wrongly: unknown option, bad value, or the server rejected the request as invalid. */
  usage: 2,
  /** Nothing answered at the server's address. */
  unreachable: 3,
  /** The server refused the token (401 or 403). */
  auth: 4,
  /** The upload (or a local file) does not exist. */
  notFound: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Shown by `logsift --help`. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  failure (an upload failed, a report is not ready, the server answered with an error)
  2  usage error (unknown option, bad value, a request the server rejected as invalid)
  3  server unreachable (is it running? npm start)
  4  authentication refused (run logsift login)
  5  not found (no such upload or file)`;

/** An error meant for the person at the terminal: its message is printed as is, then the process exits with `exitCode`. */
export class CliError extends Error {
  override name = 'CliError';
  /** The server's error code, when the server gave one. */
  readonly code: string | undefined;
  /** The command already showed the problem; only the exit code remains to be set. */
  readonly shown: boolean;

  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options: { code?: string | undefined; shown?: boolean } = {},
  ) {
    super(message);
    this.code = options.code;
    this.shown = options.shown ?? false;
  }
}

/** Statuses that mean the request itself was wrong (bad query, bad option, not multipart). */
const USAGE_STATUSES = new Set([400, 415, 422]);

/** The exit code for an HTTP error answer. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (USAGE_STATUSES.has(status)) return EXIT.usage;
  return EXIT.failure;
}

/**
 * Network error codes (Node and undici) that mean no connection could be made. A connection cut later
 * (ECONNRESET, UND_ERR_SOCKET) is a failure of its own, not "unreachable".
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Whether `err` (or its cause, as undici wraps socket errors) says the server could not be reached. */
export function isUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    // Node reports a refused connection to a multi-address host as an AggregateError of ECONNREFUSED.
    if (e instanceof AggregateError && e.errors.some((inner) => isUnreachable(inner))) return true;
  }
  return false;
}

/** The exit code for anything thrown by a command. */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode;
  if (isUnreachable(err)) return EXIT.unreachable;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return EXIT.notFound;
  return EXIT.failure;
}
