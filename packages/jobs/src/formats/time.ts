/**
 * Calendar arithmetic and time zones, without Date.parse: parsers hand over the civil fields they scanned
 * and get epoch milliseconds (UTC) back. Impossible dates (month 13, Feb 30) give undefined, never NaN.
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, month: number): number {
  if (month === 2) return isLeapYear(y) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Epoch ms of a wall-clock time read as UTC, or undefined when a field is out of range.
 * A leap second (:60) is accepted and lands on the next minute.
 */
export function civilToEpochMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60 || ms > 999) return undefined;
  if (hour < 0 || minute < 0 || second < 0 || ms < 0 || Number.isNaN(year + hour + minute + second + ms)) {
    return undefined;
  }
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/** Offset in minutes of "Z", "UTC", "GMT", "+02:00", "+0200", "+02" or "-05:30"; undefined for anything else. */
export function parseOffsetMinutes(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z' || zone === 'UTC' || zone === 'GMT') return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * IANA zone offsets are looked up through Intl once per zone and 15-minute bucket (DST and other
 * transitions fall on quarter hours), so a file of a million lines calls Intl a few hundred times.
 */
const BUCKET_MS = 15 * MS_PER_MINUTE;
const MAX_BUCKETS_PER_ZONE = 100_000;
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const offsetCache = new Map<string, Map<number, number>>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return f;
}

function intlOffsetMs(f: Intl.DateTimeFormat, utcMs: number): number {
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(utcMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = civilToEpochMs(p.year ?? 0, p.month ?? 1, p.day ?? 1, p.hour, p.minute, p.second) ?? utcMs;
  return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/** True for a fixed offset ("+02:00", "Z") or an IANA zone name this runtime knows. */
export function isValidZone(zone: string): boolean {
  return parseOffsetMinutes(zone) !== undefined || formatterFor(zone) !== null;
}

/** Offset of `zone` from UTC at the instant `utcMs`, in ms (east positive); undefined for an unknown zone. */
export function zoneOffsetMs(zone: string, utcMs: number): number | undefined {
  const fixed = parseOffsetMinutes(zone);
  if (fixed !== undefined) return fixed * MS_PER_MINUTE;
  const f = formatterFor(zone);
  if (!f || !Number.isFinite(utcMs)) return undefined;
  let cache = offsetCache.get(zone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(zone, cache);
  }
  const bucket = Math.floor(utcMs / BUCKET_MS);
  let offset = cache.get(bucket);
  if (offset === undefined) {
    if (cache.size >= MAX_BUCKETS_PER_ZONE) cache.clear();
    offset = intlOffsetMs(f, bucket * BUCKET_MS);
    cache.set(bucket, offset);
  }
  return offset;
}

/**
 * Converts a wall-clock time (given as epoch ms read as if UTC) in `zone` to real epoch ms.
 * Two lookups settle DST: a time in a spring-forward gap moves forward by the gap, an ambiguous autumn
 * time takes the later (standard-time) instant.
 * An unknown zone is read as UTC.
 */
export function wallClockToUtc(wallMs: number, zone: string | undefined): number {
  if (zone === undefined) return wallMs;
  const first = zoneOffsetMs(zone, wallMs);
  if (first === undefined) return wallMs;
  const guess = wallMs - first;
  const second = zoneOffsetMs(zone, guess) ?? first;
  return second === first ? guess : wallMs - second;
}

/** Epoch ms from a bare number: seconds, milliseconds, microseconds or nanoseconds judged by magnitude. */
export function epochNumberToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n >= 1e17) return Math.floor(n / 1e6);
  if (n >= 1e14) return Math.floor(n / 1e3);
  if (n >= 1e11) return Math.floor(n);
  return Math.round(n * 1000);
}
