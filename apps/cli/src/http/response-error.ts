/** Turns the API's error answers and network failures into messages for the terminal. */
import { CliError, EXIT, exitCodeForStatus, isUnreachable } from '../exit-codes.js';

/** The `{ "error": { "code", "message" } }` the API answers with, or undefined for any other body. */
export function parseErrorBody(text: string): { code: string; message: string } | undefined {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code === 'string' && typeof error.message === 'string') {
      return { code: error.code, message: error.message };
    }
  } catch {
    // not JSON: a proxy's error page, say
  }
  return undefined;
}

/** The CliError for an HTTP error answer; `hadToken` tells "refused" from "none was sent". */
export function errorFromResponse(status: number, text: string, hadToken: boolean): CliError {
  const parsed = parseErrorBody(text);
  const exitCode = exitCodeForStatus(status);
  if (exitCode === EXIT.auth) {
    const message = hadToken
      ? status === 403
        ? `the server refused the token (${parsed?.message ?? 'forbidden'}): run logsift login`
        : 'the server refused the token: run logsift login'
      : 'no token: run logsift login, pass --token, or set LOGSIFT_TOKEN';
    return new CliError(message, exitCode, { code: parsed?.code });
  }
  if (parsed) return new CliError(parsed.message, exitCode, { code: parsed.code });
  const snippet = text.trim().slice(0, 200);
  return new CliError(`the server answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`, exitCode);
}

/** A network failure: "unreachable" when no connection could be made, else the failure as it was. */
export function errorFromNetwork(err: unknown, url: string): CliError {
  if (isUnreachable(err))
    return new CliError(`cannot reach logsift at ${url}: is it running? (npm start)`, EXIT.unreachable);
  const message = err instanceof Error ? err.message : String(err);
  return new CliError(`the connection to ${url} failed: ${message}`, EXIT.failure);
}
