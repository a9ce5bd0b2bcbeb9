// Percentile bootstrap (Efron & Tibshirani 1993, ch. 13): resample the units with replacement,
// recompute the statistic, read the interval off the empirical quantiles. The unit is whatever
// the caller passes (documents for perplexity, comparisons for win rate), because resampling
// tokens inside a document would pretend they are independent when they are not.
import { aleaRng } from "../model/rng";

export interface BootstrapOptions {
  /** Number of resamples; default 1000. */
  resamples?: number;
  /** Confidence level in (0, 1); default 0.95. */
  level?: number;
  seed?: number | string;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  level: number;
  resamples: number;
}

/** Linear-interpolated quantile of sorted values (type 7, the R/NumPy default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantileSorted: empty input");
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Bootstrap CI of `statistic(sample)` where `sample` is a resample of `units`.
 * The statistic receives the resampled units (same length as `units`).
 */
export function bootstrapCI<T>(
  units: readonly T[],
  statistic: (sample: T[]) => number,
  opts: BootstrapOptions = {},
): Interval {
  const resamples = opts.resamples ?? 1000;
  const level = opts.level ?? 0.95;
  if (units.length === 0) throw new RangeError("bootstrapCI: no units to resample");
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrapCI: level must be in (0, 1), got ${level}`);
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`bootstrapCI: resamples must be a positive integer, got ${resamples}`);
  }
  const rng = aleaRng(opts.seed ?? 0);
  const n = units.length;
  const stats = new Float64Array(resamples);
  const sample: T[] = new Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) sample[i] = units[rng.int(n)];
    stats[b] = statistic(sample);
  }
  stats.sort();
  const alpha = (1 - level) / 2;
  return {
    estimate: statistic(units.slice()),
    low: quantileSorted(stats, alpha),
    high: quantileSorted(stats, 1 - alpha),
    level,
    resamples,
  };
}

export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) throw new RangeError("mean: empty input");
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}
