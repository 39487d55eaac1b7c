import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from './event-schema.js';
import { Spool } from './spool.js';

const dir = mkdtempSync(join(tmpdir(), 'logsift-spool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event: LiveEvent = {
  ts: Date.UTC(2026, 0, 1),
  tz: null,
  level: 2,
  service: 'orders',
  message: 'order placed',
  eventId: 'e1',
  host: null,
  fields: null,
};

describe('Spool durability', () => {
  it('commits a write without a flush on the calling thread, and syncLog flushes its log file', async () => {
    const spool = new Spool(join(dir, 'spool.db'));
    const db = (spool as unknown as { db: { pragma(source: string): unknown } }).db;
    const pragma = vi.spyOn(db, 'pragma');
    spool.write({ claim: 'c1', receivedAt: Date.now(), caller: 't', transport: 'http', events: [event] });
    expect(pragma).not.toHaveBeenCalled(); // the commit stays synchronous=NORMAL
    const probe = await open(dir, 'r');
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { sync(): Promise<void> }, 'sync');
    await probe.close();
    await spool.syncLog();
    expect(sync).toHaveBeenCalledTimes(1);
    expect(spool.durableClaims(['c1'])).toEqual(new Set(['c1']));
    sync.mockRestore();
    pragma.mockRestore();
    spool.close();
  });
});
