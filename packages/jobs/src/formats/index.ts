/** Log formats: line parsers, detection, byte decoding and multi-line records. */
export { combinedFormat, combinedTimedFormat, commonFormat } from './access.js';
export { apacheErrorFormat } from './apache-error.js';
export {
  createUtf16ToUtf8,
  DEFAULT_MAX_LINE_BYTES,
  decodeUtf8,
  detectEncoding,
  LineSplitter,
  type SplitLine,
  type TextEncoding,
} from './decode.js';
export { flattenJson, jsonFormat, MAX_FIELDS, MAX_FLATTEN_DEPTH } from './json.js';
export { levelFromPinoNumber, levelFromStatus, levelFromSyslogSeverity, normalizeLevel } from './level.js';
export { durationToMs, logfmtFormat, scanLogfmt } from './logfmt.js';
export { compileLoghubFormat } from './loghub.js';
export { plainFormat } from './plain.js';
export { rawFormat } from './raw.js';
export {
  isContinuation,
  isStructuralContinuation,
  type LineInput,
  type LogRecord,
  RecordAssembler,
  type RecordAssemblerOptions,
  startsRecord,
} from './records.js';
export {
  BUILTIN_FORMATS,
  type DetectedFormat,
  detectFormat,
  FORMAT_ALIASES,
  type FormatShare,
  getFormat,
  listFormats,
} from './registry.js';
export { rfc3164Format } from './syslog3164.js';
export { rfc5424Format } from './syslog5424.js';
export {
  civilToEpochMs,
  epochNumberToMs,
  isValidZone,
  parseOffsetMinutes,
  wallClockToUtc,
  zoneOffsetMs,
} from './time.js';
export { type ParsedTime, parseTimestamp, resolveYearless } from './timestamp.js';
export type { LogFormat, ParseContext } from './types.js';
