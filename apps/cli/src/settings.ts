/**
 * Where the CLI finds the server and its token. Pure: the caller reads the environment, the login file
 * and the data directory's token, and this decides which wins.
 */
import { join } from 'node:path';
import { CliError, EXIT } from './exit-codes.js';

/** Where `npm start` listens unless told otherwise (see DEFAULTS in @logsift/jobs). */
export const DEFAULT_URL = 'http://127.0.0.1:3000';

export type SettingSource = 'flag' | 'env' | 'login' | 'default';

export interface ServerSettings {
  url: string;
  /** Undefined when no source gave one; the server then answers 401. */
  token: string | undefined;
  sources: { url: SettingSource; token: SettingSource | undefined };
}

export interface SavedLogin {
  url?: string;
  token?: string;
}

export interface SettingInputs {
  /** `--url` and `--token`. */
  flags: { url?: string | undefined; token?: string | undefined };
  /** `LOGSIFT_URL` and `LOGSIFT_TOKEN`. */
  env: { LOGSIFT_URL?: string | undefined; LOGSIFT_TOKEN?: string | undefined };
  /** What `logsift login` stored, if anything. */
  saved?: SavedLogin | undefined;
  /** The token `npm start` keeps in its data directory, if that file exists. */
  dataDirToken?: string | undefined;
}

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** Checks the URL is http(s) and drops trailing slashes, so paths can be appended. */
export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new CliError(`not a URL: ${raw} (expected something like ${DEFAULT_URL})`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`the server URL must start with http:// or https://, got ${raw}`, EXIT.usage);
  }
  return url.href.replace(/\/+$/, '');
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Each setting comes from the first source that has it: flags, then environment, then the login file,
 * then defaults. Stored tokens only travel to the server they were stored for: the login file's token
 * is used when the URL is the login file's URL, and the data directory's token only for a server on
 * this machine, so pointing the CLI elsewhere never sends them to another host.
 */
export function resolveSettings(inputs: SettingInputs): ServerSettings {
  const { flags, env, saved } = inputs;
  const savedUrl = present(saved?.url) ? normalizeUrl(saved.url) : undefined;
  let url: string;
  let urlSource: SettingSource;
  if (present(flags.url)) [url, urlSource] = [normalizeUrl(flags.url), 'flag'];
  else if (present(env.LOGSIFT_URL)) [url, urlSource] = [normalizeUrl(env.LOGSIFT_URL), 'env'];
  else if (savedUrl) [url, urlSource] = [savedUrl, 'login'];
  else [url, urlSource] = [DEFAULT_URL, 'default'];

  let token: string | undefined;
  let tokenSource: SettingSource | undefined;
  if (present(flags.token)) [token, tokenSource] = [flags.token.trim(), 'flag'];
  else if (present(env.LOGSIFT_TOKEN)) [token, tokenSource] = [env.LOGSIFT_TOKEN.trim(), 'env'];
  else if (present(saved?.token) && (savedUrl ?? DEFAULT_URL) === url)
    [token, tokenSource] = [saved.token, 'login'];
  else if (present(inputs.dataDirToken) && isLoopback(url))
    [token, tokenSource] = [inputs.dataDirToken.trim(), 'default'];
  return { url, token, sources: { url: urlSource, token: tokenSource } };
}

/** `$XDG_CONFIG_HOME/logsift/config.json`, else `~/.config/logsift/config.json`. */
export function loginFilePath(env: { XDG_CONFIG_HOME?: string | undefined }, home: string): string {
  const base = present(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'logsift', 'config.json');
}
