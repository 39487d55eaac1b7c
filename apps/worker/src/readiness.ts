import type { ReadinessCheck } from '@logsift/jobs';
import type { Worker } from 'bullmq';

/** Every stage worker of this process is running (not closed, not closing). */
export function workersReadiness(workers: readonly Worker[]): ReadinessCheck {
  const stopped = workers.filter((w) => !w.isRunning() || w.closing).map((w) => w.name);
  return stopped.length === 0 ? { ok: true } : { ok: false, error: `not running: ${stopped.join(', ')}` };
}
