import { join } from 'node:path';
import { openStore } from '@logsift/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, upload, waitForUpload } from '../support/client.js';
import { countRows, filesIn, generateLog, lineRanges, storedRanges } from '../support/files.js';
import { Stack } from '../support/processes.js';
import { mountTmpfs, type Tmpfs } from '../support/tmpfs.js';

describe('the disk filling up during an upload', () => {
  let disk: Tmpfs;
  let stack: Stack;
  beforeAll(async () => {
    // The whole data directory (database, uploads, reports) on an 8 MiB file system.
    disk = mountTmpfs(8 * 1024 * 1024);
    stack = await (await Stack.create({ dataDir: disk.dir, chunkBytes: 64 * 1024 })).start(1);
  });
  afterAll(async () => {
    await stack?.close();
    disk?.unmount();
  });

  it('answers 507 storage_full, leaves nothing behind, corrupts nothing, and works again', async () => {
    const first = generateLog(2_000, 21);
    const ok = await upload(stack.url, 'first.log', first);
    const firstId = ok.json().uploads[0].id;
    expect((await waitForUpload(stack.url, firstId)).status).toBe('completed');

    const big = generateLog(120_000, 22); // about 9.5 MB: cannot fit
    const full = await upload(stack.url, 'big.log', big, { pieceBytes: 256 * 1024 });
    expect(full.status).toBe(507);
    expect(full.headers['retry-after']).toBe('60');
    expect(full.json()).toEqual({
      error: { code: 'storage_full', message: expect.stringContaining('disk') },
    });

    const uploadsDir = join(stack.dataDir, 'uploads');
    expect(filesIn(uploadsDir)).toEqual([`${firstId}.log`]);
    expect(countRows(stack.dataDir, 'uploads')).toBe(1);
    const store = openStore(`file:${stack.dataDir}/logsift.db`, { readonly: true });
    try {
      expect(store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
    expect(storedRanges(stack.dataDir, firstId)).toEqual(lineRanges(first));
    expect((await get(stack.url, '/ready')).status).toBe(200);

    const after = generateLog(2_000, 23);
    const again = await upload(stack.url, 'after.log', after);
    expect(again.status).toBe(202);
    const id = again.json().uploads[0].id;
    expect((await waitForUpload(stack.url, id)).status, stack.outputs()).toBe('completed');
    expect(storedRanges(stack.dataDir, id)).toEqual(lineRanges(after));
    console.log(
      `${big.length} bytes refused with 507 on an 8 MiB file system; ${lineRanges(first).length + lineRanges(after).length} records of the other uploads intact`,
    );
  });
});
