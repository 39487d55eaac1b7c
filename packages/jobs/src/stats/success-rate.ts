import { BucketSeries, type BucketSeriesJSON } from './bucket-series.js';
import type { GroupKind } from './capped-groups.js';

const MINUTE_MS = 60_000;

export interface ServiceSuccessJSON {
  total: number;
  successes: number;
  /** Per minute: [lines, successes]. */
  series: BucketSeriesJSON;
}

/** One service's successes (see `isSuccess`): overall, and per minute for entries with a timestamp. */
export class ServiceSuccess {
  total = 0;
  successes = 0;
  readonly series: BucketSeries;

  constructor(maxMinutes: number) {
    this.series = new BucketSeries(MINUTE_MS, 2, maxMinutes);
  }

  static kind(maxMinutes: number): GroupKind<ServiceSuccess> {
    return {
      create: () => new ServiceSuccess(maxMinutes),
      weight: (group) => group.total,
      mergeInto: (target, source) => {
        target.total += source.total;
        target.successes += source.successes;
        target.series.merge(source.series);
      },
    };
  }

  static fromJSON(json: ServiceSuccessJSON): ServiceSuccess {
    const group = new ServiceSuccess(json.series.maxBuckets);
    group.total = json.total;
    group.successes = json.successes;
    group.series.merge(BucketSeries.fromJSON(json.series));
    return group;
  }

  toJSON(): ServiceSuccessJSON {
    return { total: this.total, successes: this.successes, series: this.series.toJSON() };
  }
}

export interface SuccessPoint {
  /** Minute start (bucket start when the series coarsened), epoch ms UTC. */
  at: number;
  total: number;
  successes: number;
  /** successes / total within this minute. */
  rate: number;
  /** successes / total from the first minute up to and including this one. */
  cumulativeRate: number;
}

export interface ServiceSuccessSeries {
  service: string;
  /** Over all of the service's entries, dated or not. */
  total: number;
  successes: number;
  rate: number;
  widthMs: number;
  points: SuccessPoint[];
}

export function successSeries(service: string, group: ServiceSuccess): ServiceSuccessSeries {
  let runningTotal = 0;
  let runningSuccesses = 0;
  const points = group.series.points().map(({ at, values }) => {
    const total = values[0]!;
    const successes = values[1]!;
    runningTotal += total;
    runningSuccesses += successes;
    return { at, total, successes, rate: successes / total, cumulativeRate: runningSuccesses / runningTotal };
  });
  return {
    service,
    total: group.total,
    successes: group.successes,
    rate: group.total > 0 ? group.successes / group.total : Number.NaN,
    widthMs: group.series.widthMs,
    points,
  };
}
