import type { Worker } from 'bullmq';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BacklogGate, preferLiveIngest } from './priority.js';

describe('BacklogGate', () => {
  it('pauses at the high mark, stays paused down to the low mark, then resumes once', () => {
    const gate = new BacklogGate(1_000, 200);
    expect([0, 999].map((n) => gate.next(n))).toEqual([undefined, undefined]);
    expect(gate.next(1_000)).toBe('pause');
    expect([5_000, 999, 201].map((n) => gate.next(n))).toEqual([undefined, undefined, undefined]);
    expect(gate.next(200)).toBe('resume');
    expect([0, 999].map((n) => gate.next(n))).toEqual([undefined, undefined]);
    expect(gate.next(1_500)).toBe('pause');
  });
});

describe('preferLiveIngest', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pauses the parse workers while the backlog is high and resumes them, and when it stops', () => {
    vi.useFakeTimers();
    let paused = false;
    const worker = {
      pause: vi.fn(async () => {
        paused = true;
      }),
      resume: vi.fn(() => {
        paused = false;
      }),
      isPaused: () => paused,
    };
    let pending = 0;
    const stop = preferLiveIngest({
      pendingEvents: () => pending,
      workers: [worker as unknown as Worker],
      high: 50_000,
      logger: pino({ level: 'silent' }),
    });
    vi.advanceTimersByTime(1_000);
    expect(worker.pause).not.toHaveBeenCalled();
    pending = 60_000;
    vi.advanceTimersByTime(300);
    expect(worker.pause).toHaveBeenCalledWith(true);
    expect(paused).toBe(true);
    pending = 10_001; // above a fifth of the high mark: still paused
    vi.advanceTimersByTime(1_000);
    expect(worker.resume).not.toHaveBeenCalled();
    pending = 10_000;
    vi.advanceTimersByTime(300);
    expect(worker.resume).toHaveBeenCalledTimes(1);
    expect(paused).toBe(false);
    pending = 90_000;
    vi.advanceTimersByTime(300);
    expect(paused).toBe(true);
    stop();
    expect(paused).toBe(false);
    expect(worker.pause).toHaveBeenCalledTimes(2);
  });
});
