// Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
// alpha = 1 - D_o / D_e from the coincidence matrix of pairable values, so it allows any number
// of raters, missing values, and a distance metric matched to the scale (nominal, ordinal,
// interval, ratio).

export type AlphaMetric = "nominal" | "ordinal" | "interval" | "ratio";

/**
 * data[rater][unit]: the value rater gave unit, or null/undefined/NaN when missing.
 * Units with fewer than two values are not pairable and drop out, as in the paper.
 */
export function krippendorffAlpha(
  data: readonly (readonly (number | null | undefined)[])[],
  metric: AlphaMetric = "nominal",
): number {
  if (data.length < 2) throw new RangeError(`krippendorffAlpha: need at least 2 raters (rows), got ${data.length}`);
  const units = Math.max(...data.map((r) => r.length));
  const values = [...new Set(data.flat().filter((v): v is number => typeof v === "number" && !Number.isNaN(v)))].sort(
    (a, b) => a - b,
  );
  const vi = new Map(values.map((v, i) => [v, i]));
  const V = values.length;
  // Coincidence matrix o[c][k]: each ordered pair of values within a unit of m_u values adds 1/(m_u - 1).
  const o = Array.from({ length: V }, () => new Float64Array(V));
  for (let u = 0; u < units; u++) {
    const vs: number[] = [];
    for (const row of data) {
      const v = row[u];
      if (typeof v === "number" && !Number.isNaN(v)) vs.push(vi.get(v)!);
    }
    const m = vs.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) o[vs[i]][vs[j]] += 1 / (m - 1);
  }
  const nc = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = nc.reduce((s, x) => s + x, 0);
  if (n < 2) throw new RangeError("krippendorffAlpha: fewer than 2 pairable values");
  const delta2 = distance(metric, values, nc);
  let dObs = 0;
  let dExp = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      dObs += o[c][k] * delta2(c, k);
      dExp += nc[c] * nc[k] * delta2(c, k);
    }
  }
  dObs /= n;
  dExp /= n * (n - 1);
  if (dExp === 0)
    throw new RangeError("krippendorffAlpha: undefined when all pairable values are equal (no variation)");
  return 1 - dObs / dExp;
}

/** Squared difference functions of the paper, on value indices c, k. */
function distance(metric: AlphaMetric, values: number[], nc: number[]): (c: number, k: number) => number {
  switch (metric) {
    case "nominal":
      return (c, k) => (c === k ? 0 : 1);
    case "interval":
      return (c, k) => (values[c] - values[k]) ** 2;
    case "ratio":
      return (c, k) => (values[c] + values[k] === 0 ? 0 : ((values[c] - values[k]) / (values[c] + values[k])) ** 2);
    case "ordinal": {
      // (sum_{g=c..k} n_g - (n_c + n_k)/2)^2: distance in ranks, from the marginal counts.
      const cum = [0];
      for (const x of nc) cum.push(cum[cum.length - 1] + x);
      return (c, k) => {
        const [lo, hi] = c <= k ? [c, k] : [k, c];
        return (cum[hi + 1] - cum[lo] - (nc[lo] + nc[hi]) / 2) ** 2;
      };
    }
    default:
      throw new RangeError(
        `krippendorffAlpha: metric must be nominal, ordinal, interval or ratio, got ${String(metric)}`,
      );
  }
}
