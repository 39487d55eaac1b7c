// Turns the children's pino JSON lines into one readable line each for the launcher's terminal.
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const COLORS = { warn: 33, error: 31, fatal: 31 };
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'service', 'v']);

export function formatLogLine(name, line) {
  let rec;
  try {
    rec = JSON.parse(line);
  } catch {
    return `[${name}] ${line}`;
  }
  if (typeof rec !== 'object' || rec === null) return `[${name}] ${line}`;
  const level = LEVELS[rec.level] ?? 'info';
  const time = new Date(rec.time ?? Date.now()).toISOString().slice(11, 23);
  const extras = Object.entries(rec)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(' ');
  const tag = COLORS[level] ? `\x1b[${COLORS[level]}m${level}\x1b[0m` : level;
  return `[${name}] ${time} ${tag} ${rec.msg ?? ''}${extras ? ` ${extras}` : ''}`;
}
