import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Stack, startStack } from '../test-support/stack.js';

/** The built CLI against a real API and worker: the simulator's counts reconcile, replay is idempotent. */
describe('logsift simulate and replay', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  const cli = (args: string[]) =>
    runCli(['--url', stack.url, '--token', stack.token, '--json', ...args], { cwd: stack.dataDir });

  it('sends duplicates, late and invalid events, and the stored count reconciles', async () => {
    const run = await cli([
      'simulate',
      '--services',
      'payments:2,orders,chat',
      '--rate',
      '1500',
      '--duration',
      '2s',
      '--duplicates',
      '0.05',
      '--out-of-order',
      '0.1',
      '--invalid',
      '0.02',
      '--burst',
      '3',
      '--burst-every',
      '1',
      '--burst-for',
      '0.5',
      '--verify',
    ]);
    expect(run.stderr).toMatch(/^simulating payments, orders, chat at 1,500 events\/s/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.failed).toBe(0);
    expect(summary.sent).toBe(summary.acknowledged + summary.rejected);
    expect(summary.duplicates).toBe(summary.generated.duplicate);
    expect(summary.rejected).toBe(summary.generated.invalid);
    expect(summary.stored).toBe(summary.acknowledged - summary.duplicates);
    expect(summary.ackLatencyMs.p50).toBeGreaterThan(0);
  });

  it('recomputes metrics, and a second run over the same range changes nothing', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const first = await cli(['replay', '--from', from, '--to', to]);
    expect(first.code).toBe(0);
    const second = JSON.parse((await cli(['replay', '--from', from, '--to', to])).stdout);
    expect(second.windows.inserted + second.windows.updated + second.windows.deleted).toBe(0);
    expect(second.daily.inserted + second.daily.updated + second.daily.deleted).toBe(0);
    expect(second.windows.unchanged).toBeGreaterThan(0);
    const bad = await cli(['replay', '--from', 'yesterday', '--to', to]);
    expect(bad.code).toBe(2);
  });
});
