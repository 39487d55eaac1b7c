import { AppError } from '../errors.js';
import { compileLoghubFormat } from '../formats/loghub.js';
import { BUILTIN_FORMATS, detectFormat, getFormat } from '../formats/registry.js';
import type { LogFormat, ParseContext } from '../formats/types.js';
import type { UploadOptions } from './options.js';

/** The name stored for uploads whose format is a pattern given with the upload itself. */
export const CUSTOM_FORMAT = 'custom';

export interface FormatChoice {
  name: string;
  confidence: number;
  format: LogFormat;
  /** The Loghub-style pattern behind a custom or saved format, kept with the upload so its jobs need no lookup. */
  pattern?: string;
}

/** A saved custom format: its name and pattern. */
export interface NamedPattern {
  name: string;
  pattern: string;
}

/** A Loghub-style pattern (`<Date> <Time> <Level> <Content>`) rather than a format name. */
export const isPattern = (requested: string) => /<\w+>/.test(requested);

function compile(name: string, pattern: string): LogFormat {
  try {
    return compileLoghubFormat(name, pattern);
  } catch (err) {
    throw new AppError('invalid_format', (err as Error).message);
  }
}

/**
 * The upload's format: the one asked for (a built-in name, a saved format's name, or a pattern), else the
 * best match for the sample among the built-in and saved formats. Confidence is the share of sample
 * lines the format parses.
 */
export function chooseFormat(
  requested: string | undefined,
  sample: string[],
  options: UploadOptions,
  saved: readonly NamedPattern[] = [],
): FormatChoice {
  const ctx: ParseContext = {
    ...(options.stored.tz ? { tz: options.stored.tz } : {}),
    referenceTime: Date.now(),
  };
  if (!requested) {
    const candidates = [
      ...saved.map((s) => ({ ...s, format: compile(s.name, s.pattern) })),
      ...BUILTIN_FORMATS.filter((f) => f.name !== 'raw').map((format) => ({
        name: format.name,
        format,
        pattern: undefined,
      })),
    ];
    const detected = detectFormat(
      sample,
      ctx,
      candidates.map((c) => c.format),
    );
    const pattern = candidates.find((c) => c.format === detected.format)?.pattern;
    return {
      name: detected.format.name,
      confidence: detected.confidence,
      format: detected.format,
      ...(pattern ? { pattern } : {}),
    };
  }
  let choice: Omit<FormatChoice, 'confidence'>;
  const builtin = getFormat(requested);
  const named = saved.find((s) => s.name === requested);
  if (isPattern(requested))
    choice = { name: CUSTOM_FORMAT, format: compile(CUSTOM_FORMAT, requested), pattern: requested };
  else if (builtin) choice = { name: builtin.name, format: builtin };
  else if (named)
    choice = { name: named.name, format: compile(named.name, named.pattern), pattern: named.pattern };
  else throw new AppError('invalid_format', `unknown format "${requested}"; GET /api/formats lists them`);
  return { ...choice, confidence: detectFormat(sample, ctx, [choice.format]).confidence };
}

/** Turns a stored upload's format back into a LogFormat: a built-in by name, else its kept pattern. */
export function resolveFormat(name: string, pattern: string | null): LogFormat {
  const builtin = getFormat(name);
  if (builtin) return builtin;
  if (pattern && isPattern(pattern)) return compile(name, pattern);
  throw new AppError('invalid_format', `unknown format "${name}"`);
}

/** Checks a requested format before anything is recorded: a known name or a pattern that compiles (else 422). */
export function checkRequestedFormat(requested: string | undefined, saved: readonly NamedPattern[]): void {
  if (!requested) return;
  if (isPattern(requested)) compile(CUSTOM_FORMAT, requested);
  else if (!getFormat(requested) && !saved.some((s) => s.name === requested)) {
    throw new AppError('invalid_format', `unknown format "${requested}"; GET /api/formats lists them`);
  }
}
