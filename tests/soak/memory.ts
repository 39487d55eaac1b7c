/** Resident memory of processes over time, read from /proc (Linux), for the soak report. */
import { readFileSync } from 'node:fs';

/** Resident set size of a process in MiB, or undefined when it is gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export interface Series {
  name: string;
  /** [seconds since start, MiB] */
  points: [number, number][];
}

/** One line per process: first, min, max, last, and the change over the second half of the run. */
export function describeSeries(series: readonly Series[]): string {
  const rows = series.map((s) => {
    const values = s.points.map(([, v]) => v);
    const half = s.points.filter(([t]) => t >= (s.points.at(-1)?.[0] ?? 0) / 2).map(([, v]) => v);
    const f = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1).padStart(7));
    return `${s.name.padEnd(8)} first ${f(values[0])}  min ${f(Math.min(...values))}  max ${f(Math.max(...values))}  last ${f(values.at(-1))}  second-half change ${f((half.at(-1) ?? 0) - (half[0] ?? 0))} MiB`;
  });
  return rows.join('\n');
}

/** The samples as a compact table: one column per process, one row per sample. */
export function sampleTable(series: readonly Series[], everySeconds: number): string {
  const times = [...new Set(series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const shown = times.filter(
    (t, i) =>
      i === 0 ||
      i === times.length - 1 ||
      t % everySeconds < 1e-9 ||
      Math.floor(t / everySeconds) !== Math.floor((times[i - 1] ?? 0) / everySeconds),
  );
  const head = `${'t (s)'.padStart(6)} ${series.map((s) => s.name.padStart(9)).join(' ')}`;
  const lines = shown.map((t) => {
    const cells = series.map((s) => {
      const v = s.points.find(([pt]) => pt === t)?.[1];
      return (v === undefined ? '-' : v.toFixed(1)).padStart(9);
    });
    return `${t.toFixed(0).padStart(6)} ${cells.join(' ')}`;
  });
  return [head, ...lines].join('\n');
}
