import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WalSync } from './wal-sync.js';

type HandleMethods = { sync(): Promise<void> };

let dir: string;
let wal: string;
let proto: HandleMethods;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'logsift-wal-sync-'));
  wal = join(dir, 'db.sqlite-wal');
  const probe: FileHandle = await open(dir, 'r');
  proto = Object.getPrototypeOf(probe) as HandleMethods;
  await probe.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Makes each FileHandle.sync wait until released, recording the order of starts and ends. */
function gatedSyncs() {
  const events: string[] = [];
  const gates: (() => void)[] = [];
  let started = 0;
  vi.spyOn(proto, 'sync').mockImplementation(() => {
    const n = ++started;
    events.push(`start ${n}`);
    return new Promise<void>((resolve) => {
      gates.push(() => {
        events.push(`end ${n}`);
        resolve();
      });
    });
  });
  return { events, release: () => gates.shift()?.(), started: () => started };
}

/** How many of this process's open files are the log (Linux's /proc). */
function openLogs(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === wal) n++;
    } catch {
      // the directory's own descriptor, closed by now
    }
  }
  return n;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('WalSync', () => {
  it('makes callers that arrive during a flush share the next one, and runs one flush at a time', async () => {
    writeFileSync(wal, 'frames');
    const syncs = gatedSyncs();
    const log = new WalSync(wal);
    const settled: string[] = [];
    const first = log.sync().then(() => settled.push('first'));
    await tick();
    const later = [log.sync(), log.sync(), log.sync()].map((p, i) =>
      p.then(() => settled.push(`later ${i}`)),
    );
    await tick();
    expect(syncs.started()).toBe(1);
    syncs.release();
    await first;
    await tick();
    expect(settled).toEqual(['first']);
    expect(syncs.started()).toBe(2);
    syncs.release();
    await Promise.all(later);
    expect(settled).toEqual(['first', 'later 0', 'later 1', 'later 2']);
    expect(syncs.events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    log.close();
  });

  it('has nothing to flush before the log exists, and flushes it once it does', async () => {
    const sync = vi.spyOn(proto, 'sync');
    const log = new WalSync(wal);
    await log.sync();
    expect(sync).not.toHaveBeenCalled();
    writeFileSync(wal, 'frames');
    await log.sync();
    await log.sync();
    expect(sync).toHaveBeenCalledTimes(2);
    log.close();
  });

  it('fails the callers of a failed flush, and the next flush runs', async () => {
    writeFileSync(wal, 'frames');
    const sync = vi
      .spyOn(proto, 'sync')
      .mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    const log = new WalSync(wal);
    await expect(log.sync()).rejects.toThrow('EIO');
    await expect(log.sync()).resolves.toBeUndefined();
    expect(sync).toHaveBeenCalledTimes(2);
    log.close();
  });

  it('closes the log only after the flushes asked for before close have run', async () => {
    writeFileSync(wal, 'frames');
    const syncs = gatedSyncs();
    const log = new WalSync(wal);
    const first = log.sync();
    await tick();
    const second = log.sync();
    log.close();
    expect(openLogs()).toBe(1);
    syncs.release();
    await first;
    await tick();
    expect(openLogs()).toBe(1);
    syncs.release();
    await second;
    await tick();
    expect(openLogs()).toBe(0);
  });
});
