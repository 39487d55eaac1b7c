import { describe, expect, it } from 'vitest';
import { LOGHUB_SYSTEMS, type LoghubSystem, loadLoghubDataset } from '../loghub/dataset.js';
import { groupingAccuracy } from './grouping-accuracy.js';
import { mineTemplates } from './mine.js';

/**
 * Regression guard only: each floor sits a few points under the grouping accuracy measured when it was set.
 * The figures themselves come from `npm run eval:loghub`.
 */
const FLOOR: Record<LoghubSystem, number> = {
  HDFS: 0.97,
  Hadoop: 0.96,
  BGL: 0.95,
  HPC: 0.92,
  Linux: 0.84,
  Apache: 0.97,
  OpenSSH: 0.96,
  HealthApp: 0.97,
};

describe('template mining on the Loghub 2k samples', () => {
  it.each(LOGHUB_SYSTEMS)('%s keeps its grouping accuracy', (system) => {
    const rows = loadLoghubDataset(system).rows;
    const mined = mineTemplates(rows.map((r) => r.content));
    const ga = groupingAccuracy(
      mined.ids,
      rows.map((r) => r.eventTemplate),
    );
    expect(ga).toBeGreaterThanOrEqual(FLOOR[system]);
  });
});
