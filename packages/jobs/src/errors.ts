/**
 * Every error a caller can see, with its HTTP status. Handlers throw these; the API's one error handler
 * renders them as `{ "error": { "code", "message" } }`.
 */
export const ERRORS = {
  bad_request: 400,
  invalid_query: 400,
  unauthorized: 401,
  forbidden: 403,
  csrf_rejected: 403,
  not_found: 404,
  upload_not_found: 404,
  report_not_ready: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_format: 422,
  invalid_option: 422,
  empty_file: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  storage_full: 507,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  /** Seconds the client should wait before retrying (503 and 429 answers). */
  readonly retryAfter: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { cause?: unknown; retryAfter?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = ERRORS[code];
    this.retryAfter = options.retryAfter;
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('not_found', `${what} ${id} does not exist`);
