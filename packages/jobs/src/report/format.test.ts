import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatClock,
  formatCompact,
  formatCount,
  formatMs,
  formatRange,
  formatShare,
  formatUtc,
  formatValue,
  truncate,
} from './format.js';
import { bucketWidth, niceTicks, num, timeTicks } from './svg.js';

const T = Date.UTC(2024, 0, 15, 10, 0, 0);

describe('number text', () => {
  it('groups thousands whatever the locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(-1234.567, 2)).toBe('-1,234.57');
  });

  it('writes shares as percentages with more digits near the ends', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(0.12345)).toBe('12.3%');
    expect(formatShare(0.0004)).toBe('0.04%');
    expect(formatShare(0.9992)).toBe('99.92%');
  });

  it('writes durations, sizes and compact axis values', () => {
    expect(formatMs(0.42)).toBe('0.4 ms');
    expect(formatMs(4210.5)).toBe('4,211 ms');
    expect(formatMs(150_000)).toBe('2.5 min');
    expect(formatBytes(1023)).toBe('1,023 B');
    expect(formatBytes(1_234_567)).toBe('1.2 MiB');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(1500)).toBe('1.5k');
    expect(formatCompact(34_000)).toBe('34k');
    expect(formatCompact(2_000_000)).toBe('2M');
    expect(formatValue(413)).toBe('413');
    expect(formatValue(2.345)).toBe('2.35');
    expect(formatValue(187.44)).toBe('187.4');
  });

  it('truncates without splitting a surrogate pair', () => {
    expect(truncate('abcdef', 10)).toBe('abcdef');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
  });
});

describe('time text', () => {
  it('is UTC', () => {
    expect(formatUtc(T)).toBe('2024-01-15 10:00:00 UTC');
    expect(formatClock(T + 65 * 60_000)).toBe('11:05');
    expect(formatClock(T, true)).toBe('01-15 10:00');
    expect(formatRange(T, T + 180_000)).toBe('2024-01-15 10:00:00 UTC – 10:03:00 UTC');
    expect(formatRange(T, T + 86_400_000)).toBe('2024-01-15 10:00:00 UTC – 2024-01-16 10:00:00 UTC');
  });
});

describe('chart scales', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 1200)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0, 414)).toEqual([0, 200, 400, 600]);
    expect(niceTicks(0, 1)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0, 0)).toEqual([0, 1]);
  });

  it('picks whole-minute time ticks and adds dates only across days', () => {
    expect(timeTicks(T, T + 30 * 60_000)).toEqual({
      ticks: [0, 5, 10, 15, 20, 25, 30].map((m) => T + m * 60_000),
      withDate: false,
    });
    const days = timeTicks(T, T + 3 * 86_400_000);
    expect(days.withDate).toBe(true);
    expect(days.ticks.every((t) => t % (12 * 3_600_000) === 0)).toBe(true);
  });

  it('infers the bucket width and rounds coordinates', () => {
    expect(bucketWidth([T, T + 60_000, T + 180_000])).toBe(60_000);
    expect(bucketWidth([T])).toBe(60_000);
    expect(num(1.25)).toBe('1.3');
    expect(num(-0.01)).toBe('0');
  });
});
