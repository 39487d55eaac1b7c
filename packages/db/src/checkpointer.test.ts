import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKSTOP_CHECKPOINT_PAGES } from './checkpointer.js';
import { openStore, type Store } from './client.js';

/** 300 commits of a 10 kB row each: about 5 MB of WAL, far below the backstop. */
function writeRows(store: Store): void {
  store.sqlite.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = store.sqlite.prepare('INSERT INTO blobs (body) VALUES (?)');
  for (let i = 0; i < 300; i++) insert.run('x'.repeat(10_000));
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe('background checkpoint', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'logsift-checkpoint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed pages into the database file without any commit checkpointing', async () => {
    const path = join(dir, 'bg.db');
    const errors: string[] = [];
    const store = openStore(`file:${path}`, {
      backgroundCheckpoint: true,
      onCheckpointError: (m) => errors.push(m),
    });
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_CHECKPOINT_PAGES);
    writeRows(store);
    expect(await eventually(() => statSync(path).size > 3_000_000)).toBe(true);
    // Every frame of the WAL is in the database: a checkpoint now has nothing left to copy.
    const [result] = store.sqlite.pragma('wal_checkpoint(PASSIVE)') as {
      log: number;
      checkpointed: number;
    }[];
    expect(result?.checkpointed).toBe(result?.log);
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM blobs').get()).toEqual({ n: 300 });
    store.close();
    expect(errors).toEqual([]);
  });

  it('leaves the pages in the WAL when the same writes run with only the backstop', async () => {
    const path = join(dir, 'fg.db');
    const store = openStore(`file:${path}`);
    store.sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    writeRows(store);
    await new Promise((r) => setTimeout(r, 500));
    expect(statSync(path).size).toBeLessThan(1_000_000);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(3_000_000);
    store.close();
  });
});
