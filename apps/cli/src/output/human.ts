/** Numbers as people read them: sizes in KiB/MiB, durations in ms/s/min, counts with separators. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB"; below 1 KiB in bytes. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

/** 850 -> "850 ms", 4200 -> "4.2 s", 125000 -> "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** 1234567 -> "1,234,567" (fixed separators, whatever the machine's locale). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 0.634 -> "63%". */
export function formatPercent(share: number): string {
  return `${Math.floor(share * 100)}%`;
}

/** "2024-01-15T10:00:00.000Z" -> "2024-01-15 10:00:00" (UTC, as the server stores it). */
export function formatTime(iso: string | null): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '-';
}
