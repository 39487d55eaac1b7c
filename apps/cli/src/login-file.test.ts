import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings, readSavedLogin, writeSavedLogin } from './login-file.js';

const dir = mkdtempSync(join(tmpdir(), 'logsift-cli-login-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('login file', () => {
  it('is written for its owner only and read back', async () => {
    const path = join(dir, 'xdg', 'logsift', 'config.json');
    await writeSavedLogin(path, { url: 'http://127.0.0.1:3000', token: 'secret-token-0123456789' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'xdg', 'logsift')).mode & 0o777).toBe(0o700);
    expect(await readSavedLogin(path)).toEqual({
      url: 'http://127.0.0.1:3000',
      token: 'secret-token-0123456789',
    });
  });

  it('is optional, and a damaged one is named in the error', async () => {
    expect(await readSavedLogin(join(dir, 'missing.json'))).toBeUndefined();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{url:');
    await expect(readSavedLogin(bad)).rejects.toThrow(`${bad} is not valid JSON`);
  });

  it('feeds loadSettings, below the environment', async () => {
    const xdg = join(dir, 'feed');
    await writeSavedLogin(join(xdg, 'logsift', 'config.json'), {
      url: 'http://10.0.0.5:3000',
      token: 'tok-saved',
    });
    const env = { XDG_CONFIG_HOME: xdg, DATA_DIR: join(dir, 'no-data') };
    expect(await loadSettings({}, env)).toMatchObject({ url: 'http://10.0.0.5:3000', token: 'tok-saved' });
    expect(await loadSettings({}, { ...env, LOGSIFT_TOKEN: 'tok-env' })).toMatchObject({
      url: 'http://10.0.0.5:3000',
      token: 'tok-env',
    });
  });

  it("falls back to the token npm start keeps in the data directory, for this machine's server", async () => {
    const data = join(dir, 'data');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'token'), 'ls_data_dir_token\n');
    const env = { XDG_CONFIG_HOME: join(dir, 'nowhere'), DATA_DIR: data };
    expect(await loadSettings({}, env)).toMatchObject({
      url: 'http://127.0.0.1:3000',
      token: 'ls_data_dir_token',
    });
    expect((await loadSettings({ url: 'https://logs.example' }, env)).token).toBeUndefined();
  });
});
