import { migrationsApplied, type Store } from '@logsift/db';

export interface ReadinessCheck {
  ok: boolean;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, ReadinessCheck>;
}

/** How long Redis gets to answer PING before the process is reported not ready, ms. */
export const REDIS_PING_TIMEOUT_MS = 1_000;

async function pingWithin(redis: { ping(): Promise<unknown> }, ms: number): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What both the API's /ready and a worker's /ready check: Redis answers, the database answers and every
 * migration is applied, plus any checks of the caller's own (`extra`).
 */
export async function checkReadiness(
  redis: { ping(): Promise<unknown> },
  store: Store,
  extra: Record<string, ReadinessCheck> = {},
): Promise<Readiness> {
  const checks: Record<string, ReadinessCheck> = { redis: await pingWithin(redis, REDIS_PING_TIMEOUT_MS) };
  try {
    store.sqlite.prepare('SELECT 1').get();
    checks.database = { ok: true };
  } catch (err) {
    checks.database = { ok: false, error: (err as Error).message };
  }
  checks.migrations = migrationsApplied(store) ? { ok: true } : { ok: false, error: 'migrations pending' };
  Object.assign(checks, extra);
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
