import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatShare, formatTime } from './format.js';

describe('display formats', () => {
  it('formats counts, sizes, durations, shares and UTC times', () => {
    expect([formatCount(1234567), formatCount(null)]).toEqual(['1,234,567', '–']);
    expect([formatBytes(512), formatBytes(1536), formatBytes(488_000), formatBytes(5 * 1024 ** 3)]).toEqual([
      '512 B',
      '1.5 KiB',
      '477 KiB',
      '5.0 GiB',
    ]);
    expect([
      formatDuration(850),
      formatDuration(1234),
      formatDuration(12_345),
      formatDuration(245_000),
    ]).toEqual(['850 ms', '1.23 s', '12.3 s', '4 min 5 s']);
    expect(formatShare(0.0425)).toBe('4.3%');
    expect(formatTime(Date.UTC(2024, 4, 1, 12, 3, 4, 500))).toBe('2024-05-01 12:03:04');
    expect(formatTime('not a time')).toBe('not a time');
  });
});
