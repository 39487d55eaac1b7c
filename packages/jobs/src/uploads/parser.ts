import type { LogFormat, ParseContext } from '../formats/types.js';
import { resolveFormat } from './format-choice.js';
import type { StoredOptions } from './options.js';
import type { UploadRow } from './repository.js';

/** Below this detection confidence, lines the format does not parse are not treated as continuations. */
const MULTILINE_MIN_CONFIDENCE = 0.8;

/** How an upload's records are read: the same when they are parsed and when they are shown again. */
export interface UploadParser {
  format: LogFormat;
  ctx: ParseContext;
  /** The format that decides continuation lines, when detection was sure enough of it. */
  multilineFormat: LogFormat | undefined;
  options: StoredOptions;
}

export type ParserSource = Pick<
  UploadRow,
  'format' | 'requestedFormat' | 'options' | 'createdAt' | 'formatConfidence'
>;

/** Throws AppError('invalid_format') when the upload's format no longer resolves. */
export function uploadParser(upload: ParserSource): UploadParser {
  const options = JSON.parse(upload.options) as StoredOptions;
  const format = resolveFormat(upload.format ?? 'raw', upload.requestedFormat);
  return {
    format,
    ctx: { ...(options.tz ? { tz: options.tz } : {}), referenceTime: upload.createdAt },
    multilineFormat: (upload.formatConfidence ?? 0) >= MULTILINE_MIN_CONFIDENCE ? format : undefined,
    options,
  };
}
