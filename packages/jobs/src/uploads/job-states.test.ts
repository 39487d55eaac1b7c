import { applyMigrations, openStore, type Store } from '@logsift/db';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testUpload } from '../test-support/upload.js';
import { JobStateLog, jobStateLog } from './job-states.js';
import { insertUpload, listUploadJobs, markJobStarted } from './repository.js';

let store: Store;
let log: JobStateLog;

beforeEach(() => {
  store = openStore(':memory:');
  store.sqlite.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
  log = new JobStateLog(store);
});
afterEach(() => store.close());

const put = (k: string, v: string) => () => {
  store.sqlite
    .prepare('INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v')
    .run(k, v);
};
const rows = () => store.sqlite.prepare('SELECT k, v FROM t ORDER BY k').all();
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('job-state log', () => {
  it('commits the writes of one turn in one transaction; a finish resolves once it is committed', async () => {
    const transactions = vi.spyOn(store.sqlite, 'transaction');
    log.record(put('a', 'started'));
    const finishes = [log.commit(put('b', 'finished')), log.commit(put('c', 'finished'))];
    expect(rows()).toEqual([]);
    await Promise.all(finishes);
    expect(rows()).toEqual([
      { k: 'a', v: 'started' },
      { k: 'b', v: 'finished' },
      { k: 'c', v: 'finished' },
    ]);
    expect(transactions).toHaveBeenCalledTimes(1);
  });

  it('a group that fails rejects its finishes and leaves none of its writes', async () => {
    log.record(put('a', 'started'));
    const failing = log.commit(() => {
      store.sqlite.prepare('INSERT INTO t (k, v) VALUES (?, NULL)').run('b');
    });
    await expect(failing).rejects.toThrow(/NOT NULL/);
    expect(rows()).toEqual([]);
    // The next group is unaffected.
    await log.commit(put('c', 'finished'));
    expect(rows()).toEqual([{ k: 'c', v: 'finished' }]);
  });

  it('flush commits what is pending at once, so a write made after it is not overwritten', async () => {
    log.record(put('job', 'active'));
    log.flush();
    put('job', 'failed')();
    await nextTurn();
    expect(rows()).toEqual([{ k: 'job', v: 'failed' }]);
  });
});

describe('job rows through the log', () => {
  it("a new upload's job rows come with it; they include the starts this process did not commit yet", () => {
    const jobs = openStore(':memory:');
    try {
      applyMigrations(jobs);
      const row = insertUpload(jobs, testUpload({ storedPath: '/dev/null', sizeBytes: 1 }), 1);
      const waiting = listUploadJobs(jobs, row.id).map((j) => `${j.stage} ${j.part} ${j.state}`);
      expect(waiting.sort()).toEqual([
        'analyze 0 waiting',
        'clean 0 waiting',
        'parse 0 waiting',
        'report 0 waiting',
      ]);
      const started = { uploadId: row.id, stage: 'parse' as const, part: 0, attempt: 1, now: 1_000 };
      jobStateLog(jobs).record(() => markJobStarted(jobs, started, true));
      const parse = listUploadJobs(jobs, row.id).find((j) => j.stage === 'parse');
      expect(parse).toMatchObject({ state: 'active', attempts: 1, startedAt: 1_000 });
    } finally {
      jobs.close();
    }
  });
});
