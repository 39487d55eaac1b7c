import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload, waitForUpload } from '../support/client.js';
import { countRows, filesIn, generateLog, lineRanges, storedRanges } from '../support/files.js';
import { pick } from '../support/mode.js';
import { Stack, waitUntil } from '../support/processes.js';

describe('the API killed while an upload body is streaming in', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await (await Stack.create({ chunkBytes: 64 * 1024 })).start(1);
  });
  afterAll(() => stack.close());

  it('leaves no file and no row, the client sees an error, and the retried upload succeeds', async () => {
    const file = generateLog(pick(20_000, 100_000), 3);
    const uploadsDir = join(stack.dataDir, 'uploads');
    let partSeen: string[] = [];
    const attempt = upload(stack.url, 'app.log', file, {
      pieceBytes: 64 * 1024,
      pauseMs: 5,
      onSent: {
        bytes: Math.floor(file.length / 2),
        run: async () => {
          // The body is half in: the API is writing it to a partial file.
          partSeen = await waitUntil(
            'a partial file',
            () => {
              const parts = filesIn(uploadsDir).filter((n) => n.endsWith('.part'));
              return parts.length > 0 ? parts : undefined;
            },
            5_000,
            10,
          );
          await stack.api.kill();
        },
      },
    });
    await expect(attempt).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/) });
    expect(partSeen).toHaveLength(1);
    expect(filesIn(uploadsDir)).toEqual(partSeen); // left behind by the kill...

    await stack.startApi();
    expect(filesIn(uploadsDir)).toEqual([]); // ...and removed when the API starts again
    expect(countRows(stack.dataDir, 'uploads')).toBe(0);

    const retried = await upload(stack.url, 'app.log', file);
    expect(retried.status).toBe(202);
    const id = retried.json().uploads[0].id;
    expect((await waitForUpload(stack.url, id)).status).toBe('completed');
    expect(storedRanges(stack.dataDir, id)).toEqual(lineRanges(file));
    expect(filesIn(uploadsDir)).toEqual([`${id}.log`]);
    console.log(
      `API killed after ${Math.floor(file.length / 2)} of ${file.length} bytes; retry stored ${lineRanges(file).length} records`,
    );
  });
});
