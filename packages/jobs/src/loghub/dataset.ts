import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCsv } from '../csv.js';

/** The eight Loghub 2k systems shipped with the project's shared data. */
export const LOGHUB_SYSTEMS = [
  'HDFS',
  'Hadoop',
  'BGL',
  'HPC',
  'Linux',
  'Apache',
  'OpenSSH',
  'HealthApp',
] as const;
export type LoghubSystem = (typeof LOGHUB_SYSTEMS)[number];

/** Drain's grouping accuracy on these samples as published in the Loghub-2.0 paper (see the data README). */
export const DRAIN_PUBLISHED_GA: Record<LoghubSystem, number> = {
  HDFS: 0.998,
  Hadoop: 0.948,
  BGL: 0.963,
  HPC: 0.887,
  Linux: 0.69,
  Apache: 1.0,
  OpenSSH: 0.789,
  HealthApp: 0.78,
};

export interface LoghubRow {
  lineId: number;
  /** Header fields by name, as labelled in the structured CSV (Date, Time, Level, Component, ...). */
  fields: Record<string, string>;
  content: string;
  eventId: string;
  eventTemplate: string;
}

export interface LoghubDataset {
  system: LoghubSystem;
  /** The Loghub line format string from formats.json. */
  format: string;
  /** Raw lines of `<S>_2k.log`, line endings removed. */
  lines: string[];
  rows: LoghubRow[];
}

/** Where the datasets live: `LOGHUB_DIR`, else `shared/data/loghub` beside the repository. */
export function loghubDir(): string {
  return process.env.LOGHUB_DIR ?? resolve(import.meta.dirname, '../../../../../shared/data/loghub');
}

/** Each system's line format string, from formats.json (`{ "<S>": { "log_format": "..." } }`). */
export function loadLoghubFormats(dir = loghubDir()): Record<LoghubSystem, string> {
  const raw: Record<string, { log_format: string }> = JSON.parse(
    readFileSync(join(dir, 'formats.json'), 'utf8'),
  );
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.log_format])) as Record<
    LoghubSystem,
    string
  >;
}

export function loadLoghubDataset(system: LoghubSystem, dir = loghubDir()): LoghubDataset {
  const text = readFileSync(join(dir, system, `${system}_2k.log`), 'utf8');
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const [header, ...body] = parseCsv(
    readFileSync(join(dir, system, `${system}_2k.log_structured_corrected.csv`), 'utf8'),
  );
  if (!header) throw new Error(`${system}: empty structured CSV`);
  const col = (name: string) => header.indexOf(name);
  const rows = body
    .filter((r) => r.length === header.length)
    .map((r) => {
      const fields: Record<string, string> = {};
      header.forEach((h, i) => {
        if (!['LineId', 'Content', 'EventId', 'EventTemplate'].includes(h)) fields[h] = r[i] ?? '';
      });
      return {
        lineId: Number(r[col('LineId')]),
        fields,
        content: r[col('Content')] ?? '',
        eventId: r[col('EventId')] ?? '',
        eventTemplate: r[col('EventTemplate')] ?? '',
      };
    });
  return { system, format: loadLoghubFormats(dir)[system], lines, rows };
}
