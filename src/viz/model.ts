// Plot specs for the transformer and pretraining notebooks, as plain plotly data.
import type { Figure } from "./types";

export type { Figure };

/** A heatmap of a matrix z[row][col], rows drawn top to bottom (as a matrix reads). */
export function matrixHeatmap(
  z: number[][],
  opts: {
    title?: string;
    x?: (string | number)[];
    y?: (string | number)[];
    xTitle?: string;
    yTitle?: string;
    colorscale?: string;
    zmin?: number;
    zmax?: number;
  } = {},
): Figure {
  // Duplicate labels (a word used twice) would merge categories, so make them unique.
  const uniq = (labels?: (string | number)[]): string[] | undefined =>
    labels?.map((l, i) => `${l}\u200b${"\u200b".repeat(i)}`);
  return {
    data: [
      {
        type: "heatmap",
        z,
        x: uniq(opts.x),
        y: uniq(opts.y),
        colorscale: opts.colorscale ?? "Viridis",
        zmin: opts.zmin,
        zmax: opts.zmax,
      },
    ],
    layout: {
      title: { text: opts.title ?? "" },
      xaxis: { title: { text: opts.xTitle ?? "" }, side: "top" },
      yaxis: { title: { text: opts.yTitle ?? "" }, autorange: "reversed" },
      height: 360,
    },
  };
}

/** Attention weights of several heads side by side: weights[h][query][key]. */
export function attentionHeads(
  weights: number[][][],
  tokens: string[],
  title = "attention weights (row: query, column: key)",
): Figure {
  const H = weights.length;
  const data = weights.map((w, h) => ({
    type: "heatmap",
    z: w,
    x: tokens.map((t, i) => `${i}:${t}`),
    y: tokens.map((t, i) => `${i}:${t}`),
    xaxis: `x${h + 1}`,
    yaxis: `y${h + 1}`,
    zmin: 0,
    zmax: 1,
    colorscale: "Blues",
    showscale: h === H - 1,
  }));
  const layout: Record<string, unknown> = {
    title: { text: title },
    grid: { rows: 1, columns: H, pattern: "independent" },
    height: 360,
  };
  for (let h = 0; h < H; h++) {
    layout[`xaxis${h + 1}`] = { title: { text: `head ${h}` }, side: "top" };
    layout[`yaxis${h + 1}`] = { autorange: "reversed" };
  }
  return { data, layout };
}

/** A positional-encoding table [T][d] as a heatmap (position down, dimension across). */
export function positionalHeatmap(table: ArrayLike<number>, T: number, d: number, title: string): Figure {
  const z = Array.from({ length: T }, (_, t) => Array.from({ length: d }, (_, i) => table[t * d + i]));
  return matrixHeatmap(z, { title, xTitle: "dimension", yTitle: "position", colorscale: "RdBu", zmin: -1, zmax: 1 });
}

export interface Series {
  name: string;
  x: number[];
  y: number[];
}

/** Lines, e.g. train/val loss against step or seconds. */
export function lineChart(
  series: Series[],
  opts: { title?: string; xTitle?: string; yTitle?: string; logY?: boolean } = {},
): Figure {
  return {
    data: series.map((s) => ({
      type: "scatter",
      mode: s.x.length > 30 ? "lines" : "lines+markers",
      name: s.name,
      x: s.x,
      y: s.y,
    })),
    layout: {
      title: { text: opts.title ?? "" },
      xaxis: { title: { text: opts.xTitle ?? "" } },
      yaxis: { title: { text: opts.yTitle ?? "" }, type: opts.logY ? "log" : "linear" },
      height: 360,
    },
  };
}

/** Training curves from a Trainer: per-step loss and the evaluations. */
export function lossCurves(
  history: { iter: number; loss: number }[],
  evals: { iter: number; trainLoss: number; valLoss: number }[],
  title = "loss",
): Figure {
  return lineChart(
    [
      { name: "train (step)", x: history.map((h) => h.iter), y: history.map((h) => h.loss) },
      { name: "train (eval)", x: evals.map((e) => e.iter), y: evals.map((e) => e.trainLoss) },
      { name: "val (eval)", x: evals.map((e) => e.iter), y: evals.map((e) => e.valLoss) },
    ],
    { title, xTitle: "step", yTitle: "cross-entropy (nats/token)" },
  );
}
