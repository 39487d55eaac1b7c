import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyMigrations, DEFAULT_PAGE_CACHE_MIB, durably, openStore, PAGE_SIZE } from './client.js';

describe('openStore page size', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'logsift-client-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const pageSize = (path: string) => {
    const store = openStore(`file:${path}`);
    try {
      return store.sqlite.pragma('page_size', { simple: true });
    } finally {
      store.close();
    }
  };

  it('makes a new database with PAGE_SIZE pages, in WAL mode, and keeps them on reopening', () => {
    const path = join(dir, 'new.db');
    const store = openStore(`file:${path}`);
    applyMigrations(store);
    expect(store.sqlite.pragma('page_size', { simple: true })).toBe(PAGE_SIZE);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
    expect(pageSize(path)).toBe(PAGE_SIZE);
  });

  it('leaves the page size of an existing database as it was made', () => {
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (v INTEGER)');
    const before = old.pragma('page_size', { simple: true });
    old.close();
    expect(before).not.toBe(PAGE_SIZE);
    expect(pageSize(path)).toBe(before);
  });
});

describe('openStore page cache', () => {
  it('keeps DEFAULT_PAGE_CACHE_MIB unless told a size, in MiB', () => {
    const standard = openStore(':memory:');
    const small = openStore(':memory:', { pageCacheMiB: 8 });
    expect(standard.sqlite.pragma('cache_size', { simple: true })).toBe(-DEFAULT_PAGE_CACHE_MIB * 1024);
    expect(small.sqlite.pragma('cache_size', { simple: true })).toBe(-8 * 1024);
    standard.close();
    small.close();
  });
});

describe('durably', () => {
  const SYNC_NORMAL = 1;
  const SYNC_FULL = 2;

  it('commits its write with synchronous=FULL and puts NORMAL back after it, even when the write throws', () => {
    const store = openStore(':memory:');
    store.sqlite.exec('CREATE TABLE t (v INTEGER)');
    const during = durably(store, () => {
      store.sqlite.prepare('INSERT INTO t VALUES (1)').run();
      return store.sqlite.pragma('synchronous', { simple: true });
    });
    expect(during).toBe(SYNC_FULL);
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(SYNC_NORMAL);
    expect(() =>
      durably(store, () => {
        throw new Error('constraint');
      }),
    ).toThrow('constraint');
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(SYNC_NORMAL);
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    store.close();
  });
});

describe('syncLog', () => {
  it('flushes the write-ahead log after commits, and is a no-op for a database in memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logsift-client-'));
    const store = openStore(`file:${join(dir, 'a.db')}`);
    store.sqlite.exec('CREATE TABLE t (v INTEGER)');
    store.sqlite.prepare('INSERT INTO t VALUES (1)').run();
    const probe = await open(dir, 'r');
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { sync(): Promise<void> }, 'sync');
    await probe.close();
    await store.syncLog();
    expect(sync).toHaveBeenCalledTimes(1);
    const memory = openStore(':memory:');
    await memory.syncLog();
    expect(sync).toHaveBeenCalledTimes(1);
    sync.mockRestore();
    memory.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
