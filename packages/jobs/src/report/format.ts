/**
 * Number and time text shared by the renderers. Written by hand rather than with Intl so that the
 * same report gives the same bytes whatever the machine's locale or ICU data.
 */

/** 1234567 -> "1,234,567"; non-integers keep up to `decimals` digits. */
export function formatCount(n: number, decimals = 0): string {
  if (!Number.isFinite(n)) return String(n);
  const fixed = Math.abs(n).toFixed(decimals);
  const [whole = '0', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = n < 0 && Number(fixed) !== 0 ? '-' : '';
  return sign + grouped + (fraction ? `.${fraction}` : '');
}

/** A measured value of unknown scale: integers as counts, others with 2 decimals below 10, else 1. */
export function formatValue(n: number): string {
  return Number.isInteger(n) ? formatCount(n) : formatCount(n, Math.abs(n) < 10 ? 2 : 1);
}

/** A 0..1 share as a percentage: 0.12345 -> "12.3%", with more digits near 0 and 100 where they matter. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '–';
  const pct = share * 100;
  if (pct === 0 || pct === 100) return `${pct}%`;
  if (pct < 0.1 || pct > 99.9) return `${pct.toFixed(2)}%`;
  return `${pct.toFixed(1)}%`;
}

/** Milliseconds for people: "0.4 ms", "12 ms", "1,234 ms", "1.5 min" beyond 100 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 100_000) return `${formatCount(Math.round(ms))} ms`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Binary units: 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${formatCount(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Compact axis labels: 950, 1.2k, 34k, 1.5M. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}G`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(Math.abs(n) < 10 ? 1 : 0)));
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "2024-01-15 10:00:00 UTC". */
export function formatUtc(epochMs: number): string {
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) return '–';
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

/** "10:05" (UTC), or "01-16 10:05" when `withDate`. */
export function formatClock(epochMs: number, withDate = false): string {
  const d = new Date(epochMs);
  const clock = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  return withDate ? `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${clock}` : clock;
}

/** A time range: "2024-01-15 10:05:00 UTC – 10:07:00 UTC" (date repeated only when it changes). */
export function formatRange(from: number, until?: number): string {
  if (until === undefined) return formatUtc(from);
  const a = formatUtc(from);
  const b = formatUtc(until);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} – ${b.slice(11)}` : `${a} – ${b}`;
}

/** Cuts long untrusted text for table cells, marking the cut. Counted in UTF-16 units, never splitting a pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
