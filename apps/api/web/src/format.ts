/** Display helpers: plain functions of numbers and strings, shared by every view. */

export function formatCount(n: number | null | undefined): string {
  if (n == null) return '–';
  return n.toLocaleString('en-US');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 850 ms, 12.3 s, 4 min 5 s. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A share 0..1 as a percentage with one decimal. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** "2024-05-01 12:03:04" in UTC (logs are compared across machines, so the dashboard shows UTC). */
export function formatTime(t: number | string | null | undefined): string {
  if (t == null) return '–';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '');
}
