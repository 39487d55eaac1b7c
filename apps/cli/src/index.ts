/** The CLI's building blocks, for scripts that would rather call them than spawn `logsift`. */
export { CliError, EXIT, type ExitCode, exitCodeFor } from './exit-codes.js';
export type { StageView, UploadList, UploadView } from './http/api-types.js';
export { ApiClient, type ReportFormat, type UploadAnswer, type UploadRequest } from './http/client.js';
export {
  buildMultipartBody,
  type FormField,
  type FormFile,
  fileFromPath,
  type MultipartBody,
} from './http/multipart.js';
export { loadSettings } from './login-file.js';
export { buildProgram, run } from './program.js';
export { overallProgress } from './progress/stage-progress.js';
export { DEFAULT_URL, resolveSettings, type ServerSettings } from './settings.js';
