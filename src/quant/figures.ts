// Plotly figure specs (plain data) for notebook 06: error histograms and the size vs
// perplexity frontier. The kernel renders any {data: [...traces], layout} as a chart.
import type { Figure } from "../viz/types";
import { FrontierResult } from "./frontier";

export type { Figure };

export function histogram(
  values: ArrayLike<number>,
  bins: number,
  range: [number, number],
): { centers: number[]; counts: number[] } {
  const [lo, hi] = range;
  if (!(hi > lo) || !Number.isInteger(bins) || bins < 1)
    throw new Error(`histogram: need bins >= 1 and range lo < hi, got ${bins}, [${lo}, ${hi}]`);
  const counts = new Array(bins).fill(0);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((values[i] - lo) / w);
    if (b >= 0 && b < bins) counts[b]++;
    else if (values[i] === hi) counts[bins - 1]++;
  }
  return { centers: counts.map((_, i) => lo + (i + 0.5) * w), counts };
}

/** Overlaid histograms of w' - w, one line per method, on a shared symmetric range. */
export function errorHistogramFigure(
  errors: Record<string, ArrayLike<number>>,
  opts: { bins?: number; title?: string } = {},
): Figure {
  let m = 0;
  for (const e of Object.values(errors)) for (let i = 0; i < e.length; i++) m = Math.max(m, Math.abs(e[i]));
  const range: [number, number] = [-m || -1, m || 1];
  const data = Object.entries(errors).map(([name, e]) => {
    const h = histogram(e, opts.bins ?? 81, range);
    return { type: "scatter", mode: "lines", line: { shape: "hvh" }, name, x: h.centers, y: h.counts };
  });
  return {
    data,
    layout: {
      title: opts.title ?? "quantisation error per weight",
      xaxis: { title: "w' - w" },
      yaxis: { title: "weights", type: "log" },
    },
  };
}

/** Perplexity against bytes of the quantised weights, one labelled point per variant. */
export function frontierFigure(r: FrontierResult, title = "size vs perplexity"): Figure {
  const keys = Object.keys(r.perplexity) as (keyof FrontierResult["perplexity"])[];
  const family = (k: string) =>
    k.startsWith("rtn") ? "RTN" : k.startsWith("gptq") ? "GPTQ" : k.startsWith("q") ? "GGML" : "fp32";
  const data = ["fp32", "RTN", "GPTQ", "GGML"].map((fam) => {
    const ks = keys.filter((k) => family(k) === fam);
    return {
      type: "scatter",
      mode: "markers+text",
      name: fam,
      x: ks.map((k) => r.bytes[k]),
      y: ks.map((k) => r.perplexity[k]),
      text: ks,
      textposition: "top center",
    };
  });
  return {
    data,
    layout: {
      title,
      xaxis: { title: "bytes of the quantised matrices", type: "log" },
      yaxis: { title: "perplexity (lower is better)", type: "log" },
    },
  };
}
