import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The caller name given to the token created when LOGSIFT_TOKENS is unset. */
export const DEFAULT_TOKEN_NAME = 'admin';

export function tokenFile(dataDir: string): string {
  return join(dataDir, 'token');
}

/**
 * The data directory's own token, created once (mode 0600) and reused: it lets a fresh install run
 * without configuration while never running open.
 */
export function ensureDataDirToken(dataDir: string): string {
  const file = tokenFile(dataDir);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 16) return existing;
  } catch {
    // not created yet
  }
  mkdirSync(dataDir, { recursive: true });
  const token = `ls_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** The configured tokens, or the data directory's token under the name "admin" when none are configured. */
export function effectiveTokens(configured: Map<string, string>, dataDir: string): Map<string, string> {
  if (configured.size > 0) return configured;
  return new Map([[ensureDataDirToken(dataDir), DEFAULT_TOKEN_NAME]]);
}
