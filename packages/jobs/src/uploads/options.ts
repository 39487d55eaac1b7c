import { z } from 'zod';
import { LEVELS } from '../entry.js';
import { AppError } from '../errors.js';

function validTimeZone(tz: string): boolean {
  if (/^(Z|UTC|[+-]\d{2}:?\d{2})$/i.test(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function validRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** Per-upload clean rules (the `clean` option, JSON). Each rule's removals are counted in the report. */
export const cleanRules = z
  .object({
    /** Drop entries below this level (entries without a level are kept). */
    minLevel: z.enum(LEVELS).optional(),
    /** Drop entries of these services. */
    dropServices: z.array(z.string().min(1)).max(1000).optional(),
    /** Drop entries whose message matches any of these regular expressions. */
    dropPatterns: z
      .array(z.string().min(1).max(1000).refine(validRegExp, 'not a valid regular expression'))
      .max(100)
      .optional(),
    /** Drop an entry whose message repeats one seen within this many seconds (same service). */
    dedupWindowSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();
export type CleanRules = z.infer<typeof cleanRules>;

export const watchlistOption = z
  .object({
    terms: z.array(z.string().min(1).max(10_000)).min(1).max(100_000),
    /** Target false-positive rate of the Bloom filter in front of the exact check. Default 1%. */
    falsePositiveRate: z.number().gt(0).lt(0.5).default(0.01),
  })
  .strict();
export type WatchlistOption = z.infer<typeof watchlistOption>;

/** What is kept with the upload and read by its jobs. */
export interface StoredOptions {
  tz?: string;
  clean?: CleanRules;
  watchlist?: WatchlistOption;
}

export interface UploadOptions {
  /** A format name or a custom Loghub-style pattern. */
  format?: string;
  service?: string;
  /** A saved watchlist to apply (its terms are copied into `stored.watchlist` when the upload is recorded). */
  watchlistId?: string;
  stored: StoredOptions;
}

/** Saved watchlists are named `wl_` + 12 hex digits. */
export const WATCHLIST_ID = /^wl_[0-9a-f]{12}$/;

const fieldsSchema = z.object({
  format: z.string().trim().min(1).max(2000).optional(),
  service: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[\w.\-/:@]+$/, 'service may hold letters, digits and . - _ / : @ only')
    .optional(),
  tz: z
    .string()
    .trim()
    .refine(validTimeZone, 'not a time zone (an IANA name like Europe/Paris, or +02:00)')
    .optional(),
  clean: z.string().optional(),
  watchlist: z.string().optional(),
});

function parseJsonOption<T>(name: string, text: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_option', `${name} must be JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'invalid_option',
      `${name}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Validates the upload's form fields into options; bad values are 422 with the field named. */
export function parseUploadOptions(fields: Record<string, string>): UploadOptions {
  const parsed = fieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'invalid_option',
      `${issue?.path.join('.') ?? 'field'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const f = parsed.data;
  const watchlistId = f.watchlist && WATCHLIST_ID.test(f.watchlist.trim()) ? f.watchlist.trim() : undefined;
  // A plain list of terms (one per line) is accepted as a watchlist too.
  const watchlist =
    watchlistId !== undefined
      ? undefined
      : f.watchlist && !f.watchlist.trim().startsWith('{')
        ? parseJsonOption(
            'watchlist',
            JSON.stringify({
              terms: f.watchlist
                .split('\n')
                .map((t) => t.trim())
                .filter(Boolean),
            }),
            watchlistOption,
          )
        : parseJsonOption('watchlist', f.watchlist, watchlistOption);
  const stored: StoredOptions = {};
  if (f.tz) stored.tz = f.tz;
  const clean = parseJsonOption('clean', f.clean, cleanRules);
  if (clean) stored.clean = clean;
  if (watchlist) stored.watchlist = watchlist;
  return {
    ...(f.format ? { format: f.format } : {}),
    ...(f.service ? { service: f.service } : {}),
    ...(watchlistId ? { watchlistId } : {}),
    stored,
  };
}
