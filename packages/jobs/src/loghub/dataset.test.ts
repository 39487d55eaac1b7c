import { describe, expect, it } from 'vitest';
import { LOGHUB_SYSTEMS, loadLoghubDataset } from './dataset.js';

describe('loadLoghubDataset', () => {
  it.each(LOGHUB_SYSTEMS)('%s has 2000 lines, 2000 labelled rows and a format', (system) => {
    const ds = loadLoghubDataset(system);
    expect(ds.lines).toHaveLength(2000);
    expect(ds.rows).toHaveLength(2000);
    expect(ds.rows[0]?.lineId).toBe(1);
    expect(ds.rows[1999]?.lineId).toBe(2000);
    expect(ds.format).toContain('<Content>');
  });

  it('keeps quoted CSV content intact', () => {
    const ds = loadLoghubDataset('HDFS');
    expect(ds.rows[0]?.content).toBe('PacketResponder 1 for block blk_38865049064139660 terminating');
    expect(ds.rows[0]?.fields.Level).toBe('INFO');
  });
});
