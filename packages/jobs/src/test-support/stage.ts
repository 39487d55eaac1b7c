import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openStore, type Store } from '@logsift/db';
import type { Job } from 'bullmq';
import { pino } from 'pino';
import { loadConfig } from '../config.js';
import type { StageContext } from '../stages/context.js';

/** A temporary directory and migrated database, with the context a stage handler runs in. */
export interface StageTestBed {
  dir: string;
  store: Store;
  ctx: StageContext;
  close(): void;
}

export function openStageTestBed(name: string): StageTestBed {
  const dir = mkdtempSync(join(tmpdir(), `logsift-${name}-`));
  const store = openStore(`file:${join(dir, 'db.sqlite')}`);
  applyMigrations(store);
  const ctx = { store, config: loadConfig({ DATA_DIR: dir }), logger: pino({ level: 'silent' }) };
  return {
    dir,
    store,
    ctx,
    close: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A job as the stage handlers read it: its data, the attempts made before, and a progress sink. */
export function fakeJob<D>(data: D, attemptsMade = 0): Job<D> {
  return { data, attemptsMade, updateProgress: async () => {} } as unknown as Job<D>;
}
