// Likert aggregation: per system and criterion, the distribution of scores, mean with a
// bootstrap CI over items (an item's ratings move together, so items are the resampled unit),
// and the median (Likert points are ordinal; the mean is reported because everyone does,
// the median and distribution because they are honest).
import { bootstrapCI, BootstrapOptions, Interval, quantileSorted } from "./bootstrap";

export interface LikertRow {
  rater: string;
  item: string;
  system: string;
  criterion: string;
  score: number;
}

export interface LikertSummary {
  system: string;
  criterion: string;
  n: number;
  items: number;
  mean: Interval;
  median: number;
  /** counts[s - min] = how many ratings gave score s. */
  counts: number[];
}

export function likertSummary(
  rows: readonly LikertRow[],
  opts: BootstrapOptions & { min?: number; max?: number } = {},
): LikertSummary[] {
  const min = opts.min ?? 1;
  const max = opts.max ?? 5;
  const groups = new Map<string, LikertRow[]>();
  for (const r of rows) {
    if (!Number.isInteger(r.score) || r.score < min || r.score > max)
      throw new RangeError(
        `likertSummary: score ${r.score} (rater ${r.rater}, item ${r.item}) is not an integer in [${min}, ${max}]`,
      );
    const k = `${r.system}\u0000${r.criterion}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const out: LikertSummary[] = [];
  for (const [k, g] of [...groups].sort((x, y) => x[0].localeCompare(y[0]))) {
    const [system, criterion] = k.split("\u0000");
    const byItem = new Map<string, number[]>();
    for (const r of g) {
      const s = byItem.get(r.item);
      if (s) s.push(r.score);
      else byItem.set(r.item, [r.score]);
    }
    const items = [...byItem.values()];
    const meanOf = (its: number[][]): number => {
      let s = 0;
      let n = 0;
      for (const it of its) {
        for (const x of it) s += x;
        n += it.length;
      }
      return s / n;
    };
    const counts = new Array(max - min + 1).fill(0);
    for (const r of g) counts[r.score - min]++;
    out.push({
      system,
      criterion,
      n: g.length,
      items: items.length,
      mean: bootstrapCI(items, meanOf, opts),
      median: quantileSorted(Float64Array.from(g.map((r) => r.score)).sort(), 0.5),
      counts,
    });
  }
  return out;
}
