import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { contextFor } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { formatCount } from '../output/human.js';
import { EventFactory, type SimulatedService } from '../simulate/events.js';
import { type BatchSender, HttpSender } from '../simulate/http-sender.js';
import { runSchedule } from '../simulate/run.js';
import { Tally } from '../simulate/tally.js';
import { TcpSender } from '../simulate/tcp-sender.js';
import { type StatsWindow, settledCount } from '../simulate/verify.js';
import { parseCount, parsePositive } from './arguments.js';

interface SimulateFlags {
  services: SimulatedService[];
  rate: number;
  duration: number;
  transport: 'http' | 'tcp';
  tcpPort: number;
  batch: number;
  concurrency: number;
  burst: number;
  burstEvery: number;
  burstFor: number;
  duplicates: number;
  outOfOrder: number;
  maxLateness: number;
  invalid: number;
  tokens?: string;
  seed: number;
  verify?: boolean;
}

/** "payments,orders:3" -> services with weights (default 1). */
function parseServices(value: string): SimulatedService[] {
  const services = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [name, weight] = s.split(':');
      const w = weight === undefined ? 1 : Number(weight);
      if (!name || !/^[A-Za-z0-9_.-]{1,100}$/.test(name) || !(w > 0)) {
        throw new InvalidArgumentError(`"${s}" is not a service name with an optional :weight`);
      }
      return { name, weight: w };
    });
  if (services.length === 0) throw new InvalidArgumentError('name at least one service');
  return services;
}

/** "90", "90s", "1.5m", "500ms" -> milliseconds. */
function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('a duration is like 30, 30s, 2m or 500ms');
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

function parseFraction(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`${name} takes a fraction between 0 and 1`);
    return n;
  };
}

/** name=token pairs as LOGSIFT_TOKENS writes them. */
function tokenMap(text: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of (text ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) map.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return map;
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('send weighted random live events from several services and report what was acknowledged')
    .option(
      '--services <list>',
      'services, each with an optional :weight',
      parseServices,
      parseServices('payments,orders,chat'),
    )
    .option('--rate <n>', 'events per second (outside bursts)', parsePositive('--rate'), 100)
    .option('--duration <time>', 'how long to send: 30, 30s, 2m, 500ms', parseDuration, 10_000)
    .addOption(new Option('--transport <kind>', 'send over').choices(['http', 'tcp']).default('http'))
    .option('--tcp-port <n>', 'the TCP listener port (TCP_PORT)', parseCount('--tcp-port', 1), 5170)
    .option('--batch <n>', 'events per request or TCP write', parseCount('--batch', 1), 100)
    .option('--concurrency <n>', 'batches in flight at once', parseCount('--concurrency', 1), 16)
    .option('--burst <factor>', 'rate multiplier during bursts (1: none)', parsePositive('--burst'), 1)
    .option('--burst-every <s>', 'a burst starts every this many seconds', parsePositive('--burst-every'), 10)
    .option('--burst-for <s>', 'and lasts this many seconds', parsePositive('--burst-for'), 2)
    .option(
      '--duplicates <fraction>',
      'share of sends repeating an event already sent',
      parseFraction('--duplicates'),
      0,
    )
    .option(
      '--out-of-order <fraction>',
      'share of events with a past timestamp',
      parseFraction('--out-of-order'),
      0,
    )
    .option('--max-lateness <s>', 'how far in the past late events lie', parsePositive('--max-lateness'), 30)
    .option('--invalid <fraction>', 'share of events that break the schema', parseFraction('--invalid'), 0)
    .option(
      '--tokens <pairs>',
      "each service's token as name=token,... (default: LOGSIFT_TOKENS, else the CLI's token)",
    )
    .option('--seed <n>', 'same seed, same events', parseCount('--seed', 0), 1)
    .option(
      '--verify',
      'afterwards, wait until everything accepted is stored and check stored = acknowledged - duplicates ' +
        '(exact when nothing else sends for these services meanwhile)',
    )
    .action(async (flags: SimulateFlags, command: Command) => {
      const { output, settings } = contextFor(command);
      const { url, token } = await settings();
      const tokens = tokenMap(flags.tokens ?? process.env.LOGSIFT_TOKENS);
      const tokenOf = (service: string) => tokens.get(service) ?? token ?? '';
      if (flags.services.some((s) => !tokenOf(s.name))) {
        throw new CliError('no token for a service: pass --tokens name=token,... or --token', EXIT.usage);
      }
      const runId = randomBytes(4).toString('hex');
      const factory = new EventFactory(
        flags.services,
        {
          duplicates: flags.duplicates,
          outOfOrder: flags.outOfOrder,
          maxLatenessMs: flags.maxLateness * 1000,
          invalid: flags.invalid,
        },
        runId,
        flags.seed,
      );
      const tally = new Tally();
      const started = Date.now();
      // Reconciliation counts the services' events stored with a time from the earliest a late event may
      // carry; what was already there is counted first and subtracted.
      const window: StatsWindow = {
        url,
        token,
        services: flags.services.map((s) => s.name),
        from: started - flags.maxLateness * 1000 - 1000,
        to: started + 2 * 86_400_000,
      };
      const before = flags.verify ? (await settledCount(window)).stored : 0;
      // Batches still refused after the run (and 30 s more) count as failed.
      const giveUpAt = () => started + flags.duration + 30_000;
      const sender: BatchSender =
        flags.transport === 'tcp'
          ? new TcpSender(flags.tcpPort, new URL(url).hostname, tokenOf, tally)
          : new HttpSender(url, tokenOf, tally, giveUpAt, flags.concurrency);
      output.note(
        `simulating ${flags.services.map((s) => s.name).join(', ')} at ${formatCount(flags.rate)} events/s for ` +
          `${flags.duration / 1000} s over ${flags.transport} (run ${runId})`,
      );
      let run: Awaited<ReturnType<typeof runSchedule>>;
      try {
        run = await runSchedule(
          {
            rate: flags.rate,
            durationMs: flags.duration,
            burst: { factor: flags.burst, everyMs: flags.burstEvery * 1000, forMs: flags.burstFor * 1000 },
            batch: flags.batch,
            maxDelayMs: 50,
            concurrency: flags.concurrency,
          },
          factory,
          sender,
        );
      } finally {
        await sender.close();
      }
      const latency = { ...tally.latency.percentiles([50, 90, 99]), max: tally.latency.max() };
      const summary = {
        runId,
        transport: flags.transport,
        seconds: run.elapsedMs / 1000,
        sent: tally.sent,
        acknowledged: tally.acknowledged,
        accepted: tally.accepted,
        duplicates: tally.duplicates,
        rejected: tally.rejected,
        failed: tally.failed,
        retries: tally.retries,
        generated: run.generated,
        rejectedByCode: tally.rejectedByCode,
        ackLatencyMs: latency,
        acknowledgements: tally.latency.count,
        stored: undefined as number | undefined,
      };
      const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(1)} ms`);
      output.line(
        `sent ${formatCount(tally.sent)} events in ${summary.seconds.toFixed(1)} s ` +
          `(${formatCount(Math.round(tally.sent / summary.seconds))}/s)`,
      );
      output.line(
        `acknowledged ${formatCount(tally.acknowledged)} (accepted ${formatCount(tally.accepted)}, ` +
          `duplicates ${formatCount(tally.duplicates)}), rejected ${formatCount(tally.rejected)}, ` +
          `failed ${formatCount(tally.failed)}, retries ${formatCount(tally.retries)}`,
      );
      output.line(
        `generated: ${run.generated.new} new, ${run.generated.late} late, ${run.generated.duplicate} duplicate, ` +
          `${run.generated.invalid} invalid`,
      );
      output.line(
        `ack latency over ${formatCount(tally.latency.count)} acknowledgements: p50 ${ms(latency.p50 ?? null)}, ` +
          `p90 ${ms(latency.p90 ?? null)}, p99 ${ms(latency.p99 ?? null)}, max ${ms(latency.max)}`,
      );
      if (tally.firstError) output.note(`first failure: ${tally.firstError}`);
      if (flags.verify) {
        const after = await settledCount(window);
        summary.stored = after.stored - before;
        const ok = summary.stored === tally.accepted && after.pending === 0;
        output.line(
          `stored ${formatCount(summary.stored)} = acknowledged ${formatCount(tally.acknowledged)} - duplicates ` +
            `${formatCount(tally.duplicates)}: ${ok ? 'reconciled' : 'MISMATCH'}`,
        );
        output.data(summary);
        if (!ok) throw new CliError('the stored count does not reconcile', EXIT.failure, { shown: true });
        return;
      }
      output.data(summary);
      if (tally.failed > 0)
        throw new CliError(`${tally.failed} events were never acknowledged`, EXIT.failure);
    });
}
