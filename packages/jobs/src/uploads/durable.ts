import { open } from 'node:fs/promises';

/**
 * Flushes a file's (or a directory's) data and metadata to the disk, so what was written survives an OS
 * crash or power loss, not only the death of this process. A directory is synced after a rename into it,
 * so the new name is on disk too.
 */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
