import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLoghubDataset, loghubDir, parseCsv } from '@logsift/jobs';
import { groupingAccuracy } from '@logsift/jobs/templates';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../program.js';

const dir = mkdtempSync(join(tmpdir(), 'logsift-patterns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logsift patterns', () => {
  it('writes one Loghub-shaped row per record, grouped like the labelled truth', async () => {
    const ds = loadLoghubDataset('HDFS');
    const out = join(dir, 'hdfs.csv');
    const file = join(loghubDir(), 'HDFS', 'HDFS_2k.log');
    const code = await run(['patterns', file, '--format', ds.format, '-o', out, '--json']);
    expect(code).toBe(0);
    const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
    expect(header).toEqual(['LineId', 'EventId', 'EventTemplate']);
    expect(rows).toHaveLength(2000);
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    // A regression floor only: the miner's real figures come from `npm run eval:loghub`.
    const ga = groupingAccuracy(
      rows.map((r) => r[1] as string),
      ds.rows.map((r) => r.eventId),
    );
    expect(ga).toBeGreaterThan(0.95);
  });
});
