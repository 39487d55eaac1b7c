export type AnomalyKind = 'error-spike' | 'volume-burst' | 'volume-drop' | 'new-template' | 'latency-outlier';

/** Something unusual in an upload, with the evidence a person needs to judge it. */
export interface Anomaly {
  kind: AnomalyKind;
  /** Start, epoch ms UTC. */
  at: number;
  /** End, exclusive, when the anomaly spans time. */
  until?: number;
  /** The observed value: an error rate (0..1), lines per bucket, a count, a latency in ms. */
  value: number;
  /** What was expected instead, in the same unit. */
  baseline: number;
  /**
   * How far from the baseline: a robust z-score (value - median) / (1.4826 MAD) for rates and volumes,
   * value / baseline for latencies; null for a new template, which has no baseline.
   */
  deviation: number | null;
  /** One sentence with the numbers. */
  message: string;
  /** What the anomaly is about when not the whole upload: a path, a template id. */
  subject?: string;
  /** Example lines, filled in by the caller. */
  samples?: string[];
}
