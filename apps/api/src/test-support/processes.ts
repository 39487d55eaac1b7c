/**
 * Processes for crash tests: the built API and worker, and a redis-server of our own with AOF, each one
 * killable with SIGKILL and restartable with the same settings. Run `npm run build` first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startRedisServer } from '../../../../scripts/lib/redis.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export { freePort };

/** A child process that can be killed and started again the same way. */
export class Restartable {
  private child: ChildProcess | undefined;
  readonly output: string[] = [];

  constructor(private readonly startChild: () => Promise<ChildProcess>) {}

  async start(): Promise<void> {
    this.child = await this.startChild();
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => this.output.push(d));
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => this.output.push(d));
  }

  /** kill -9, and wait until it is gone. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

export function nodeProcess(script: string, env: NodeJS.ProcessEnv): Restartable {
  return new Restartable(async () =>
    spawn(process.execPath, [join(REPO_ROOT, script)], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** redis-server with AOF (`appendfsync` as given) in `dir` on `port`. */
export function redisProcess(
  port: number,
  dir: string,
  appendfsync: 'always' | 'everysec' | 'no' = 'everysec',
): Restartable {
  return new Restartable(() => startRedisServer({ port, dir, appendfsync }) as Promise<ChildProcess>);
}

/** Polls `url` until it answers 200, or throws after `ms`. */
export async function waitForHttp(url: string, ms = 20_000, output?: string[]): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${ms} ms${output ? `:\n${output.join('')}` : ''}`);
}
