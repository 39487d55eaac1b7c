import { request } from 'undici';

/** How long reconciliation waits for the workers to store what was accepted, ms. */
const VERIFY_TIMEOUT_MS = 60_000;

export interface StatsWindow {
  url: string;
  token: string | undefined;
  services: readonly string[];
  /** Event times counted: [from, to), epoch ms. */
  from: number;
  to: number;
}

interface Stats {
  pending: number;
  services: { service: string; total: number }[];
}

async function stats(w: StatsWindow): Promise<Stats> {
  const res = await request(`${w.url}/api/stats`, {
    query: { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() },
    headers: w.token ? { authorization: `Bearer ${w.token}` } : {},
  });
  return (await res.body.json()) as Stats;
}

/**
 * Events of the services stored with a time in [from, to), read once nothing accepted is waiting to be
 * stored (or after VERIFY_TIMEOUT_MS). The counts come from the window metrics, which change in the same
 * transaction as the stored events.
 */
export async function settledCount(w: StatsWindow): Promise<{ stored: number; pending: number }> {
  const deadline = Date.now() + VERIFY_TIMEOUT_MS;
  for (;;) {
    const s = await stats(w);
    const stored = s.services.filter((x) => w.services.includes(x.service)).reduce((n, x) => n + x.total, 0);
    if (s.pending === 0 || Date.now() > deadline) return { stored, pending: s.pending };
    await new Promise((r) => setTimeout(r, 250));
  }
}
