/** Reading the connection settings from disk: the login file and the data directory's token. */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { CliError, EXIT } from './exit-codes.js';
import { loginFilePath, resolveSettings, type SavedLogin, type ServerSettings } from './settings.js';

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** What `logsift login` stored, or undefined when it never ran. A damaged file is an error naming it. */
export async function readSavedLogin(path: string): Promise<SavedLogin | undefined> {
  const text = await readIfExists(path);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON: run logsift login again or delete it`, EXIT.usage);
  }
  const { url, token } = (value ?? {}) as Record<string, unknown>;
  return {
    ...(typeof url === 'string' ? { url } : {}),
    ...(typeof token === 'string' ? { token } : {}),
  };
}

/** Writes the login file readable by its owner only (mode 0600, directory 0700), replacing it atomically. */
export async function writeSavedLogin(path: string, login: Required<SavedLogin>): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600); // the umask may have narrowed it further, never widened; be exact
  await rename(temporary, path);
}

export function defaultLoginFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return loginFilePath(env, homedir());
}

/** Reads every source and resolves the settings (flags > env > login file > defaults). */
export async function loadSettings(
  flags: { url?: string | undefined; token?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerSettings> {
  const inputs = {
    flags,
    env: { LOGSIFT_URL: env.LOGSIFT_URL, LOGSIFT_TOKEN: env.LOGSIFT_TOKEN },
    saved: await readSavedLogin(defaultLoginFilePath(env)),
  };
  const settings = resolveSettings(inputs);
  if (settings.token !== undefined) return settings;
  return resolveSettings({ ...inputs, dataDirToken: await readDataDirToken(env) });
}

/**
 * The token `npm start` created in its data directory (DATA_DIR, else ./data, from the current directory,
 * as the server resolves it). @logsift/jobs is loaded only here: it brings BullMQ and SQLite with it,
 * about a second of start-up that commands given a token should not pay.
 */
async function readDataDirToken(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { DEFAULTS, tokenFile } = await import('@logsift/jobs');
  return (await readIfExists(tokenFile(env.DATA_DIR || DEFAULTS.dataDir)))?.trim();
}
