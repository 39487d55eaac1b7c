/**
 * The built CLI against the built API and a worker, as a person would run them. Needs `npm run build`
 * first (the root `npm test` does it) and Redis (the Vitest global setup finds or starts one).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadView } from './http/api-types.js';
import { type CliRun, runCli, type Stack, startStack } from './test-support/stack.js';

const LINES = 3000;

describe('logsift against a running server', () => {
  let stack: Stack;
  let work: string;
  /** The environment of a person who exported LOGSIFT_URL and LOGSIFT_TOKEN. */
  let env: NodeJS.ProcessEnv;
  let uploadId: string;
  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = env): Promise<CliRun> =>
    runCli(args, { cwd: work, env: extraEnv });
  const json = (run: CliRun) => JSON.parse(run.stdout) as Record<string, unknown>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'logsift-cli-work-'));
    stack = await startStack();
    // A home of its own, so the person's real login file is neither read nor written.
    env = {
      HOME: work,
      XDG_CONFIG_HOME: join(work, 'config'),
      LOGSIFT_URL: stack.url,
      LOGSIFT_TOKEN: stack.token,
    };
  });

  afterAll(async () => {
    await stack?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('generates a log without a server', async () => {
    const run = await cli([
      'generate',
      '--format',
      'access',
      '--lines',
      String(LINES),
      '--seed',
      '7',
      '-o',
      'access.log',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const out = json(run);
    expect(out).toMatchObject({ format: 'access', lines: LINES, file: join(work, 'access.log') });
    expect(out.bytes).toBe(statSync(join(work, 'access.log')).size);
    expect(readFileSync(join(work, 'access.log'), 'utf8').split('\n').length).toBe(LINES + 1);
  });

  it('uploads the file, waits for it, and reports exact counts', async () => {
    const run = await cli(['upload', 'access.log', '--wait', '--json']);
    const out = json(run) as unknown as { uploads: UploadView[]; errors: unknown[] };
    expect(out.errors).toEqual([]);
    expect(out.uploads).toHaveLength(1);
    const upload = out.uploads[0] as UploadView;
    uploadId = upload.id;
    // Status and error together, so a failure shows the server's reason.
    expect({ status: upload.status, error: upload.error }).toEqual({ status: 'completed', error: null });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(upload.filename).toBe('access.log');
    expect(upload.format).toBe('combined');
    expect(upload.sizeBytes).toBe(statSync(join(work, 'access.log')).size);
    // Exact repeats of an earlier line are dropped as duplicates; the generator makes a few.
    const lines = readFileSync(join(work, 'access.log'), 'utf8').split('\n').slice(0, -1);
    const repeats = lines.length - new Set(lines).size;
    expect(upload.counts).toEqual({
      lines: LINES,
      records: LINES,
      parsed: LINES,
      unparsed: 0,
      dropped: repeats,
    });
  });

  it('prints a progress line per stage and a summary when stdout is not a terminal', async () => {
    // The same bytes again: the server answers with the earlier upload.
    const run = await cli(['upload', 'access.log', '--wait']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`access.log: already uploaded as ${uploadId}`);
    expect(run.stdout).toMatch(
      /^access\.log: completed, 3,000 lines, 3,000 parsed, 0 unparsed, \d+ dropped in \d/m,
    );
    expect(run.stdout).toContain(`${stack.url}/api/uploads/${uploadId}/report?format=html`);
  });

  it('writes the HTML report to a file', async () => {
    const run = await cli(['report', uploadId, '--format', 'html', '-o', 'report.html', '--json']);
    expect(run.code).toBe(0);
    const html = readFileSync(join(work, 'report.html'), 'utf8');
    expect(html.trimStart().toLowerCase().startsWith('<!doctype html')).toBe(true);
    expect(html).toContain('access.log');
    expect(json(run)).toEqual({
      id: uploadId,
      format: 'html',
      file: join(work, 'report.html'),
      bytes: Buffer.byteLength(html),
    });
  });

  it('shows the status with counts and every stage completed', async () => {
    const run = await cli(['status', uploadId, '--json']);
    expect(run.code).toBe(0);
    const status = json(run) as unknown as UploadView;
    expect(status.counts?.lines).toBe(LINES);
    expect(Object.values(status.stages).map((s) => s.state)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    const human = await cli(['status', uploadId]);
    expect(human.stdout).toContain(`upload   ${uploadId}  completed (100%)`);
    expect(human.stdout).toContain(
      `counts   3,000 lines, 3,000 parsed, 0 unparsed, ${status.counts?.dropped} dropped`,
    );
  });

  it('lists uploads, newest first', async () => {
    writeFileSync(join(work, 'second.log'), '2024-01-15T10:00:00Z INFO [api] hello\n');
    const second = await cli(['upload', 'second.log', '--json']);
    expect(second.code).toBe(0);
    const secondId = (json(second) as { uploads: { id: string }[] }).uploads[0]?.id;
    const run = await cli(['uploads', '--json']);
    expect(run.code).toBe(0);
    const ids = (json(run) as { uploads: { id: string }[] }).uploads.map((u) => u.id);
    expect(ids).toEqual([secondId, uploadId]);
  });

  it('stores a login and uses it when nothing else is given', async () => {
    const bare = { HOME: work, XDG_CONFIG_HOME: join(work, 'config') };
    const login = await cli(['login', '--url', stack.url, '--token', stack.token], bare);
    expect(login.code).toBe(0);
    const file = join(work, 'config', 'logsift', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: stack.url, token: stack.token });
    const run = await cli(['uploads', '--limit', '1', '--json'], bare);
    expect(run.code).toBe(0);
    expect((json(run) as { uploads: unknown[] }).uploads).toHaveLength(1);
  });

  it('exits 2 when the server rejects the request as invalid, 4 for a refused token, 5 for an unknown upload', async () => {
    writeFileSync(join(work, 'empty.log'), '');
    const empty = await cli(['upload', 'empty.log']);
    expect(empty.code).toBe(2);
    expect(empty.stdout).toContain('empty.log: not uploaded: the file is empty');

    const wrong = await cli(['uploads'], { ...env, LOGSIFT_TOKEN: 'not-the-right-token-at-all' });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toBe('logsift: the server refused the token: run logsift login\n');

    const missing = await cli(['status', 'no-such-upload']);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toBe('logsift: upload no-such-upload does not exist\n');

    const noFile = await cli(['upload', 'nowhere.log']);
    expect(noFile.code).toBe(5);
    expect(noFile.stderr).toBe('logsift: no such file: nowhere.log\n');
  });

  it('exits 3 with a hint once the server is stopped', async () => {
    await stack.stopApi();
    const run = await cli(['status', uploadId]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`logsift: cannot reach logsift at ${stack.url}: is it running? (npm start)\n`);
  });
});

describe('logsift without a server', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'logsift-cli-offline-'));
    mkdirSync(join(work, 'home'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const cli = (args: string[]) => runCli(args, { cwd: work, env: { HOME: join(work, 'home') } });

  it('lists the built-in formats', async () => {
    const run = await cli(['formats', '--json']);
    expect(run.code).toBe(0);
    const formats = (JSON.parse(run.stdout) as { formats: { name: string; aliases: string[] }[] }).formats;
    expect(formats.map((f) => f.name)).toContain('combined');
    expect(formats.find((f) => f.name === 'combined')?.aliases).toEqual(['nginx', 'apache']);
  });

  it('detects the format of a generated file', async () => {
    expect((await cli(['generate', '-f', 'json', '-n', '500', '-o', 'app.jsonl'])).code).toBe(0);
    const run = await cli(['detect', 'app.jsonl', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { format: string; confidence: number; ranking: { name: string }[] };
    expect(out.format).toBe('json');
    expect(out.confidence).toBe(1);
    expect(out.ranking[0]?.name).toBe('json');
  });

  it('exits 2 for usage errors and documents the exit codes in --help', async () => {
    const bad = await cli(['generate', '--lines', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lines takes a whole number >= 0');
    expect((await cli(['no-such-command'])).code).toBe(2);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('3  server unreachable');
  });
});
