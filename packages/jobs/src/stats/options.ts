import { DEFAULT_HEAVY_HITTERS_CAPACITY } from './heavy-hitters.js';
import { DEFAULT_RELATIVE_ACCURACY } from './quantile-sketch.js';
import { DEFAULT_RESERVOIR_SIZE } from './reservoir.js';

export interface ChunkStatsOptions {
  /** Counters of each top list (messages, paths): items above 1/topK of the stream are always listed. Default 100. */
  topK?: number;
  /** Entries kept in the uniform sample. Default 100. */
  reservoirSize?: number;
  /** Seed of the sample's generator; give each chunk its own (e.g. derived from the chunk index). Default 1. */
  seed?: number;
  /** Relative accuracy of latency quantiles. Default 0.01 (1%). */
  relativeAccuracy?: number;
  /** Paths with their own latency summary; later paths share "(other)". Default 100. */
  maxLatencyPaths?: number;
  /** Services with their own success series; later services share "(other)". Default 50. */
  maxServices?: number;
  /** Non-empty minutes kept per series before buckets widen to 2, 4, ... minutes. Default 20,160 (14 days). */
  maxMinutes?: number;
  /** Non-empty seconds kept for the failure window before buckets widen to 2, 4, ... s. Default 172,800 (2 days). */
  maxSeconds?: number;
  /** Characters kept of a message or path in the top lists and the sample. Default 200. */
  maxKeyLength?: number;
}

export type ResolvedChunkStatsOptions = Required<ChunkStatsOptions>;

export const DEFAULT_CHUNK_STATS_OPTIONS: ResolvedChunkStatsOptions = {
  topK: DEFAULT_HEAVY_HITTERS_CAPACITY,
  reservoirSize: DEFAULT_RESERVOIR_SIZE,
  seed: 1,
  relativeAccuracy: DEFAULT_RELATIVE_ACCURACY,
  maxLatencyPaths: 100,
  maxServices: 50,
  maxMinutes: 14 * 24 * 60,
  maxSeconds: 2 * 24 * 60 * 60,
  maxKeyLength: 200,
};

export function resolveOptions(options: ChunkStatsOptions): ResolvedChunkStatsOptions {
  const resolved = { ...DEFAULT_CHUNK_STATS_OPTIONS };
  for (const key of Object.keys(resolved) as (keyof ResolvedChunkStatsOptions)[]) {
    const value = options[key];
    if (value !== undefined) resolved[key] = value;
  }
  for (const key of [
    'topK',
    'reservoirSize',
    'maxLatencyPaths',
    'maxServices',
    'maxMinutes',
    'maxSeconds',
    'maxKeyLength',
  ] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new RangeError(`ChunkStats option ${key} must be a positive integer: ${resolved[key]}`);
    }
  }
  return resolved;
}
