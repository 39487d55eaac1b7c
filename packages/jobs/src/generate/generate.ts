/**
 * The generator's core: decides, line by line, whether a line is ordinary, part of an error burst or
 * a new message shape, stamps it with a steadily increasing time and hands it to the format's writer.
 */
import { createAccessLines } from './access.js';
import { ApplicationModel } from './application.js';
import { createJsonLines } from './json.js';
import type { LineMaker } from './line-maker.js';
import { type CompiledTemplate, compileTemplate } from './messages.js';
import { type GenerateOptions, type ResolvedOptions, resolveGenerateOptions } from './options.js';
import { createPlainLines } from './plain.js';
import { Random } from './random.js';
import { TrafficModel } from './traffic.js';

/** Size of the buffers `generateLogBuffers` fills (1 MiB): large enough that per-write overhead vanishes. */
export const DEFAULT_BATCH_BYTES = 1 << 20;

function createLineMaker(options: ResolvedOptions, random: Random): LineMaker {
  const traffic = new TrafficModel(random);
  const app = new ApplicationModel(random, traffic, options.services);
  switch (options.format) {
    case 'access':
      return createAccessLines(traffic, app, options.withRequestTime);
    case 'json':
      return createJsonLines(random, traffic, app, options.services);
    case 'plain':
      return createPlainLines(app);
  }
}

/** Returns a function producing line `i` (0-based, called in order), without its "\n". */
function createLineSource(options: ResolvedOptions): (i: number) => string {
  const random = new Random(options.seed);
  const maker = createLineMaker(options, random);
  const msPerLine = 1000 / options.linesPerSecond;
  const { burst, newTemplate } = options;
  const novel: CompiledTemplate | undefined = newTemplate
    ? compileTemplate({ level: 'INFO', text: newTemplate.message })
    : undefined;

  return (i) => {
    const epochMs = options.start + Math.floor(i * msPerLine);
    if (newTemplate && novel && i >= newTemplate.atLine) {
      const offset = i - newTemplate.atLine;
      if (offset % newTemplate.every === 0 && offset / newTemplate.every < newTemplate.count) {
        return maker.novel(epochMs, novel);
      }
    }
    if (burst && i >= burst.from && i < burst.to && random.chance(burst.rate)) {
      return maker.error(epochMs, burst.service);
    }
    return maker.normal(epochMs);
  };
}

/** Every line in order, without "\n". Convenient for tests; `generateLogBuffers` is faster for files. */
export function* generateLines(options: GenerateOptions): Generator<string> {
  const resolved = resolveGenerateOptions(options);
  const lineAt = createLineSource(resolved);
  for (let i = 0; i < resolved.lines; i++) yield lineAt(i);
}

/**
 * The log as buffers of UTF-8 text, each about `batchBytes` long (never more) and ending on a line
 * boundary; every line ends with "\n". Concatenated they hold the same bytes as `generateLines` joined
 * with "\n" after each line. Lines are encoded into the buffer as they are made, so each line's
 * string dies young: collecting thousands of lines into one string first made garbage collection
 * the main cost.
 */
export function* generateLogBuffers(
  options: GenerateOptions,
  batchBytes = DEFAULT_BATCH_BYTES,
): Generator<Buffer> {
  if (!Number.isInteger(batchBytes) || batchBytes < 1024) {
    throw new RangeError(`batchBytes must be an integer >= 1024, got ${batchBytes}`);
  }
  const resolved = resolveGenerateOptions(options);
  const lineAt = createLineSource(resolved);
  let buffer = Buffer.allocUnsafe(batchBytes);
  let used = 0;
  for (let i = 0; i < resolved.lines; i++) {
    const line = lineAt(i);
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes, so this bound is safe without measuring.
    const worst = line.length * 3 + 1;
    if (used + worst > buffer.length) {
      if (used > 0) yield buffer.subarray(0, used);
      buffer = Buffer.allocUnsafe(Math.max(batchBytes, worst));
      used = 0;
    }
    used += buffer.write(line, used, 'utf8');
    buffer[used++] = 0x0a;
  }
  if (used > 0) yield buffer.subarray(0, used);
}
