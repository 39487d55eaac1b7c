import type { Store } from '@logsift/db';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { UploadRow } from '../uploads/repository.js';

/** What a stage handler may touch: the store, the configuration, a logger. */
export interface StageContext {
  store: Store;
  config: Config;
  logger: Logger;
}

export interface StageInput<D> {
  job: Job<D>;
  data: D;
  upload: UploadRow;
  ctx: StageContext;
}
