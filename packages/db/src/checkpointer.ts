import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL pages after which a connection that writes checkpoints by itself, inside its own commit: the backstop
 * for when the background checkpointer falls behind or is gone. 64 MiB of 16 KiB pages.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 4_096;

/** How often the background thread copies committed WAL pages into the database, in ms. */
export const CHECKPOINT_INTERVAL_MS = 200;

/*
 * The thread's whole program, evaluated as CommonJS so that it runs the same from sources and from dist.
 * PASSIVE never waits for readers or writers: it copies what it can and tries again next tick.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('synchronous = NORMAL');
const tick = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err && err.message)); }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); tick(); db.close(); parentPort.close(); });
`;

export interface Checkpointer {
  /** Runs a last checkpoint and ends the thread; the process need not wait for it. */
  stop(): void;
}

/**
 * Checkpoints a WAL database from a thread of its own. SQLite otherwise checkpoints inside whichever
 * commit crosses `wal_autocheckpoint`: that commit then copies pages and waits for two fsyncs on the
 * event loop, stalling every job of the process (a third of the time of an empty flow's job-state writes).
 */
export function startCheckpointer(
  path: string,
  options: { intervalMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const thread = new Worker(THREAD, {
    eval: true,
    workerData: { path, driver, intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS },
  });
  thread.unref();
  thread.on('message', (message: string) => options.onError?.(message));
  thread.on('error', (err) => options.onError?.(err.message));
  return { stop: () => thread.postMessage('stop') };
}
