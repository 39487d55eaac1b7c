export { DEFAULT_BATCH_BYTES, generateLines, generateLogBuffers } from './generate.js';
export { PINO_LEVELS } from './json.js';
export {
  type CompiledTemplate,
  compileTemplate,
  MESSAGE_TEMPLATES,
  type MessageTemplate,
} from './messages.js';
export {
  DEFAULT_SEED,
  DEFAULT_SERVICES,
  DEFAULT_START,
  type ErrorBurst,
  GENERATE_FORMATS,
  type GenerateFormat,
  type GenerateOptions,
  type NewTemplate,
  type ResolvedOptions,
  resolveGenerateOptions,
} from './options.js';
export { type WriteResult, writeGeneratedLog } from './write.js';
