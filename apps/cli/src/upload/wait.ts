/** Follows uploads until each completes or fails, with a bar per upload for its stages. */
import { setTimeout as sleep } from 'node:timers/promises';
import { isFinished, type UploadView } from '../http/api-types.js';
import type { ApiClient } from '../http/client.js';
import type { ProgressBoard, ProgressLine } from '../progress/bars.js';
import { overallProgress, stageLabel } from '../progress/stage-progress.js';

/** Time between two looks at an upload, in ms: quick enough for a lively bar, light on the server. */
export const POLL_INTERVAL_MS = 400;

export interface Followed {
  upload: UploadView;
  /** performance.now() when the upload was first seen finished. */
  finishedAt?: number;
}

/** Polls every unfinished upload each `intervalMs` until all are finished; returns them in the order given. */
export async function waitForUploads(
  client: ApiClient,
  uploads: readonly UploadView[],
  board: ProgressBoard,
  intervalMs = POLL_INTERVAL_MS,
): Promise<Followed[]> {
  const followed = uploads.map((upload): Followed & { bar: ProgressLine } => ({
    upload,
    bar: board.share(upload.filename),
  }));
  for (;;) {
    for (const f of followed) {
      if (f.finishedAt !== undefined) continue;
      if (isFinished(f.upload)) {
        f.finishedAt = performance.now();
        f.bar.update(overallProgress(f.upload));
        f.bar.done(stageLabel(f.upload));
      } else {
        f.bar.update(overallProgress(f.upload), stageLabel(f.upload));
      }
    }
    if (followed.every((f) => f.finishedAt !== undefined)) break;
    await sleep(intervalMs);
    await Promise.all(
      followed
        .filter((f) => f.finishedAt === undefined)
        .map(async (f) => {
          f.upload = await client.getUpload(f.upload.id);
        }),
    );
  }
  return followed.map(({ upload, finishedAt }) => ({
    upload,
    ...(finishedAt !== undefined ? { finishedAt } : {}),
  }));
}
