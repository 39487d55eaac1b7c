import { describe, expect, it } from 'vitest';
import { CliError } from './exit-codes.js';
import { DEFAULT_URL, loginFilePath, normalizeUrl, resolveSettings } from './settings.js';

const saved = { url: 'http://logs.example:3000', token: 'saved-token-0123456789' };

describe('resolveSettings', () => {
  it('takes each setting from the first source that has it: flags, env, login file, defaults', () => {
    const all = {
      flags: { url: 'http://flag:1', token: 'flag-token' },
      env: { LOGSIFT_URL: 'http://env:2', LOGSIFT_TOKEN: 'env-token' },
      saved,
      dataDirToken: 'data-token',
    };
    expect(resolveSettings(all)).toEqual({
      url: 'http://flag:1',
      token: 'flag-token',
      sources: { url: 'flag', token: 'flag' },
    });
    expect(resolveSettings({ ...all, flags: {} })).toEqual({
      url: 'http://env:2',
      token: 'env-token',
      sources: { url: 'env', token: 'env' },
    });
    expect(resolveSettings({ ...all, flags: {}, env: {} })).toEqual({
      url: 'http://logs.example:3000',
      token: 'saved-token-0123456789',
      sources: { url: 'login', token: 'login' },
    });
    expect(resolveSettings({ flags: {}, env: {}, dataDirToken: 'data-token\n' })).toEqual({
      url: DEFAULT_URL,
      token: 'data-token',
      sources: { url: 'default', token: 'default' },
    });
  });

  it('resolves URL and token independently', () => {
    const s = resolveSettings({
      flags: { token: 'flag-token' },
      env: { LOGSIFT_URL: 'http://env:2/' },
      saved,
    });
    expect(s).toMatchObject({
      url: 'http://env:2',
      token: 'flag-token',
      sources: { url: 'env', token: 'flag' },
    });
  });

  it('treats empty values as absent', () => {
    const s = resolveSettings({ flags: { url: '' }, env: { LOGSIFT_URL: '  ', LOGSIFT_TOKEN: '' }, saved });
    expect(s.sources).toEqual({ url: 'login', token: 'login' });
  });

  it('never sends a stored token to another server', () => {
    // The login file's token belongs to the login file's URL.
    const elsewhere = resolveSettings({ flags: { url: 'http://other:3000' }, env: {}, saved });
    expect(elsewhere.token).toBeUndefined();
    // The data directory's token belongs to this machine.
    const remote = resolveSettings({
      flags: { url: 'https://logs.example' },
      env: {},
      dataDirToken: 'local',
    });
    expect(remote.token).toBeUndefined();
    const local = resolveSettings({
      flags: { url: 'http://localhost:4000' },
      env: {},
      dataDirToken: 'local',
    });
    expect(local).toMatchObject({ token: 'local', sources: { token: 'default' } });
    // A token given explicitly goes wherever it is told to.
    const explicit = resolveSettings({
      flags: { url: 'http://other:3000' },
      env: { LOGSIFT_TOKEN: 'mine' },
      saved,
    });
    expect(explicit).toMatchObject({ token: 'mine', sources: { token: 'env' } });
  });

  it('uses a login file token without a URL for the default server only', () => {
    const tokenOnly = { token: 'only-token' };
    expect(resolveSettings({ flags: {}, env: {}, saved: tokenOnly }).token).toBe('only-token');
    expect(
      resolveSettings({ flags: { url: 'http://other:1' }, env: {}, saved: tokenOnly }).token,
    ).toBeUndefined();
  });
});

describe('normalizeUrl', () => {
  it('drops trailing slashes and keeps a path prefix', () => {
    expect(normalizeUrl('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
    expect(normalizeUrl(' https://example.com/logsift// ')).toBe('https://example.com/logsift');
  });

  it('rejects what is not an http(s) URL as a usage error', () => {
    expect(() => normalizeUrl('localhost:3000')).toThrow(
      'the server URL must start with http:// or https://',
    );
    const err = (() => {
      try {
        normalizeUrl('not a url');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
  });
});

describe('loginFilePath', () => {
  it('uses XDG_CONFIG_HOME, else ~/.config', () => {
    expect(loginFilePath({ XDG_CONFIG_HOME: '/x/config' }, '/home/ann')).toBe(
      '/x/config/logsift/config.json',
    );
    expect(loginFilePath({}, '/home/ann')).toBe('/home/ann/.config/logsift/config.json');
    expect(loginFilePath({ XDG_CONFIG_HOME: '' }, '/home/ann')).toBe('/home/ann/.config/logsift/config.json');
  });
});
