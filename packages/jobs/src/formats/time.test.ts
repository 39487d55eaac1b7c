import { describe, expect, it, vi } from 'vitest';
import {
  civilToEpochMs,
  epochNumberToMs,
  isValidZone,
  parseOffsetMinutes,
  wallClockToUtc,
  zoneOffsetMs,
} from './time.js';
import { parseTimestamp, resolveYearless, scanAccessLogTime, scanIsoDateTime } from './timestamp.js';

describe('civilToEpochMs', () => {
  it('agrees with Date.UTC across eras and leap years', () => {
    for (const [y, mo, d] of [
      [1970, 1, 1],
      [1969, 12, 31],
      [2000, 2, 29],
      [2024, 2, 29],
      [2100, 3, 1],
      [1600, 1, 1],
    ] as const) {
      expect(civilToEpochMs(y, mo, d, 13, 14, 15, 16)).toBe(Date.UTC(y, mo - 1, d, 13, 14, 15, 16));
    }
  });

  it('gives undefined, not NaN, for impossible dates', () => {
    expect(civilToEpochMs(2024, 13, 1)).toBeUndefined();
    expect(civilToEpochMs(2024, 2, 30)).toBeUndefined();
    expect(civilToEpochMs(2023, 2, 29)).toBeUndefined();
    expect(civilToEpochMs(1900, 2, 29)).toBeUndefined();
    expect(civilToEpochMs(2024, 4, 31)).toBeUndefined();
    expect(civilToEpochMs(2024, 1, 1, 24)).toBeUndefined();
    expect(civilToEpochMs(2024, 1, 1, 0, 60)).toBeUndefined();
    expect(civilToEpochMs(2024, 0, 1)).toBeUndefined();
  });
});

describe('zones', () => {
  it('parses written offsets', () => {
    expect(['Z', '+02:00', '+0200', '+02', '-05:30', 'UTC', 'GMT+01:00'].map(parseOffsetMinutes)).toEqual([
      0, 120, 120, 120, -330, 0, 60,
    ]);
    expect(parseOffsetMinutes('+25:00')).toBeUndefined();
    expect(parseOffsetMinutes('Paris')).toBeUndefined();
  });

  it('knows IANA zones through Intl, including DST', () => {
    expect(isValidZone('Europe/Paris')).toBe(true);
    expect(isValidZone('Mars/Olympus')).toBe(false);
    expect(zoneOffsetMs('Europe/Paris', Date.UTC(2024, 0, 15))).toBe(3_600_000);
    expect(zoneOffsetMs('Europe/Paris', Date.UTC(2024, 6, 15))).toBe(7_200_000);
    expect(zoneOffsetMs('America/New_York', Date.UTC(2024, 6, 15))).toBe(-14_400_000);
    expect(zoneOffsetMs('Mars/Olympus', 0)).toBeUndefined();
  });

  it('converts wall-clock times, moving gap times forward and taking the later reading of ambiguous ones', () => {
    const wall = (h: number, m: number, month = 3, day = 31) => Date.UTC(2024, month - 1, day, h, m);
    expect(wallClockToUtc(wall(12, 0), 'Europe/Paris')).toBe(Date.UTC(2024, 2, 31, 10, 0));
    // 02:30 does not exist on 2024-03-31 in Paris: read as 03:30 CEST.
    expect(wallClockToUtc(wall(2, 30), 'Europe/Paris')).toBe(Date.UTC(2024, 2, 31, 1, 30));
    // 02:30 happens twice on 2024-10-27: the CET reading (01:30 UTC) is taken.
    expect(wallClockToUtc(wall(2, 30, 10, 27), 'Europe/Paris')).toBe(Date.UTC(2024, 9, 27, 1, 30));
    expect(wallClockToUtc(wall(12, 0), '-05:00')).toBe(Date.UTC(2024, 2, 31, 17, 0));
    expect(wallClockToUtc(wall(12, 0), undefined)).toBe(wall(12, 0));
  });

  it('asks Intl once per zone and quarter hour, not once per line', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const start = Date.UTC(2024, 5, 1, 12);
      let last = 0;
      for (let i = 0; i < 10_000; i++) last = wallClockToUtc(start + i * 360, 'Asia/Kathmandu'); // one hour of lines
      expect(last).toBe(start + 9_999 * 360 - (5 * 60 + 45) * 60_000);
      // Four quarter hours of wall time, looked up as wall time and as the first guess: at most ten calls.
      expect(spy.mock.calls.length).toBeGreaterThan(0);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(10);
    } finally {
      spy.mockRestore();
    }
  });

  it('reads bare epoch numbers by magnitude', () => {
    expect(epochNumberToMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(epochNumberToMs(1_700_000_000.5)).toBe(1_700_000_000_500);
    expect(epochNumberToMs(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(epochNumberToMs(1_700_000_000_123_456)).toBe(1_700_000_000_123);
    expect(epochNumberToMs(1.7e18)).toBe(1.7e12);
    expect(epochNumberToMs(-1)).toBeUndefined();
    expect(epochNumberToMs(Number.NaN)).toBeUndefined();
  });
});

describe('timestamp scanners', () => {
  it('scans ISO 8601 with and without zone, T or space, . or , fractions', () => {
    expect(scanIsoDateTime('2024-03-01T10:00:00Z rest', 0, {})).toEqual({
      ts: Date.UTC(2024, 2, 1, 10),
      tz: 'Z',
      end: 20,
    });
    expect(scanIsoDateTime('2024-03-01 10:00:00,123 x', 0, {})).toEqual({
      ts: Date.UTC(2024, 2, 1, 10, 0, 0, 123),
      end: 23,
    });
    expect(scanIsoDateTime('2024-03-01T10:00:00.987654+05:30', 0, {})).toEqual({
      ts: Date.UTC(2024, 2, 1, 4, 30, 0, 987),
      tz: '+05:30',
      end: 32,
    });
    expect(scanIsoDateTime('2024-03-01T10:00-0800', 0, {})?.ts).toBe(Date.UTC(2024, 2, 1, 18));
    expect(scanIsoDateTime('2024-03-01T10:00:00', 0, { tz: 'Europe/Paris' })).toEqual({
      ts: Date.UTC(2024, 2, 1, 9),
      tz: 'Europe/Paris',
      end: 19,
    });
    expect(scanIsoDateTime('2024-02-30T10:00:00Z', 0, {})).toBeUndefined();
    expect(scanIsoDateTime('2024-13-01T10:00:00Z', 0, {})).toBeUndefined();
    expect(scanIsoDateTime('2024-03-01X10:00:00Z', 0, {})).toBeUndefined();
  });

  it('scans the access-log time with its zone', () => {
    expect(scanAccessLogTime('10/Oct/2000:13:55:36 -0700', 0)).toEqual({
      ts: Date.UTC(2000, 9, 10, 20, 55, 36),
      tz: '-0700',
    });
    expect(scanAccessLogTime('10/Oct/2000:25:55:36 -0700', 0)).toBeUndefined();
  });

  it('reads each access-log time as its own, also after a line of the same hour', () => {
    const months = ['Oct', 'Nov'];
    const pad = (n: number) => String(n).padStart(2, '0');
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor(seed / 65_536) % n; // the high bits: the low ones of this generator cycle
    };
    let hourOf = { day: 9, month: 0, hour: 13, sign: '-', offsetHours: 7 };
    let sameHourAsBefore = 0;
    for (let i = 0; i < 3_000; i++) {
      // The date, hour or offset changes now and then; minutes and seconds are out of range now and then.
      if (next(8) === 0) {
        hourOf = {
          day: 9 + next(2),
          month: next(2),
          hour: 13 + next(2),
          sign: next(2) === 0 ? '-' : '+',
          offsetHours: next(2) * 7,
        };
      } else sameHourAsBefore++;
      const { day, month, hour, sign, offsetHours } = hourOf;
      const minute = next(64);
      const second = next(63);
      const zone = `${sign}${pad(offsetHours)}00`;
      const text = `${pad(day)}/${months[month]}/2000:${pad(hour)}:${pad(minute)}:${pad(second)} ${zone}`;
      const offsetMs = (sign === '-' ? -1 : 1) * offsetHours * 3_600_000;
      const expected =
        minute > 59 || second > 60
          ? undefined
          : { ts: Date.UTC(2000, 9 + month, day, hour, minute, second) - offsetMs, tz: zone };
      // Inside a longer line, as the access parser reads it.
      expect(scanAccessLogTime(`1.2.3.4 - - [${text}] "GET / HTTP/1.1" 200 1`, 13)).toEqual(expected);
    }
    expect(sameHourAsBefore).toBeGreaterThan(2_000);
  });
});

describe('resolveYearless', () => {
  const ref = Date.UTC(2024, 0, 10, 12); // 2024-01-10 12:00 UTC

  it('takes the year that puts the date closest to the reference without being more than a day after', () => {
    expect(resolveYearless(1, 10, 8, 0, 0, 0, { referenceTime: ref })?.ts).toBe(Date.UTC(2024, 0, 10, 8));
    expect(resolveYearless(12, 31, 23, 0, 0, 0, { referenceTime: ref })?.ts).toBe(Date.UTC(2023, 11, 31, 23));
    // Within a day after the reference: still this year (clock skew).
    expect(resolveYearless(1, 11, 6, 0, 0, 0, { referenceTime: ref })?.ts).toBe(Date.UTC(2024, 0, 11, 6));
    // More than a day after: last year.
    expect(resolveYearless(1, 12, 6, 0, 0, 0, { referenceTime: ref })?.ts).toBe(Date.UTC(2023, 0, 12, 6));
  });

  it('finds the last leap year for Feb 29, rejects Feb 30, and applies the context zone', () => {
    expect(resolveYearless(2, 29, 0, 0, 0, 0, { referenceTime: Date.UTC(2027, 5, 1) })?.ts).toBe(
      Date.UTC(2024, 1, 29),
    );
    expect(resolveYearless(2, 30, 0, 0, 0, 0, { referenceTime: ref })).toBeUndefined();
    expect(resolveYearless(1, 10, 8, 0, 0, 0, { referenceTime: ref, tz: '+02:00' })).toEqual({
      ts: Date.UTC(2024, 0, 10, 6),
      tz: '+02:00',
    });
  });
});

describe('parseTimestamp', () => {
  const ctx = { referenceTime: Date.UTC(2024, 0, 10) };

  it.each([
    ['2024-03-01T10:00:00Z', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01', Date.UTC(2024, 2, 1)],
    ['1700000000', 1_700_000_000_000],
    ['1700000000123', 1_700_000_000_123],
    ['1700000000.25', 1_700_000_000_250],
    ['10/Oct/2000:13:55:36 -0700', Date.UTC(2000, 9, 10, 20, 55, 36)],
    ['Sun Dec 04 04:47:44 2005', Date.UTC(2005, 11, 4, 4, 47, 44)],
    ['Jun 14 15:16:01', Date.UTC(2023, 5, 14, 15, 16, 1)],
    ['2024/01/02 10:00:00.5', Date.UTC(2024, 0, 2, 10, 0, 0, 500)],
    ['2005-06-03-15.42.50.675872', Date.UTC(2005, 5, 3, 15, 42, 50, 675)],
    ['20171223-22:15:29:606', Date.UTC(2017, 11, 23, 22, 15, 29, 606)],
    ['081109 203615', Date.UTC(2008, 10, 9, 20, 36, 15)],
  ])('%s', (text, ts) => {
    expect(parseTimestamp(text, ctx)?.ts).toBe(ts);
  });

  it('returns undefined for impossible or unknown text', () => {
    for (const text of [
      '2024-13-01T00:00:00Z',
      'Feb 30 10:00:00',
      'Foo 12 10:00:00',
      'hello world',
      '12345',
      '',
    ]) {
      expect(parseTimestamp(text, ctx)).toBeUndefined();
    }
  });
});
