// Charts for notebooks 08-10 (synthetic data, evaluation, best practices). Plain plotly specs;
// the inputs are plain numbers so this file does not depend on src/eval's types.
import { baseLayout, Figure } from "./types";

export interface IntervalLike {
  estimate: number;
  low: number;
  high: number;
}

/** Bars with asymmetric error bars: label -> interval (e.g. perplexity per source with its CI). */
export function intervalBars(
  values: Record<string, IntervalLike>,
  opts: { title?: string; x?: string; y?: string } = {},
): Figure {
  const labels = Object.keys(values);
  const v = labels.map((l) => values[l]);
  return {
    data: [
      {
        type: "bar",
        x: labels,
        y: v.map((i) => i.estimate),
        error_y: {
          type: "data",
          symmetric: false,
          array: v.map((i) => i.high - i.estimate),
          arrayminus: v.map((i) => i.estimate - i.low),
        },
      },
    ],
    layout: { ...baseLayout(opts.title, opts.x, opts.y), showlegend: false },
  };
}

/** Exposure before and after dedup, against the ceiling log2 |R| (fully memorised). */
export function exposureFigure(
  before: number,
  after: number,
  spaceSize: number,
  title = "canary exposure (bits)",
): Figure {
  const max = Math.log2(spaceSize);
  return {
    data: [
      { type: "bar", x: ["before dedup", "after dedup"], y: [before, after], name: "exposure" },
      {
        type: "scatter",
        mode: "lines",
        x: ["before dedup", "after dedup"],
        y: [max, max],
        name: `log2 |R| = ${max.toFixed(1)} (memorised)`,
        line: { dash: "dash" },
      },
    ],
    layout: { ...baseLayout(title, undefined, "bits"), yaxis: { title: { text: "bits" }, range: [0, max * 1.1] } },
  };
}

/** Grouped bars: group (e.g. "all", "clean subset") -> series (e.g. model) -> value. */
export function groupedBars(
  values: Record<string, Record<string, number>>,
  opts: { title?: string; x?: string; y?: string } = {},
): Figure {
  const groups = Object.keys(values);
  const series = [...new Set(groups.flatMap((g) => Object.keys(values[g])))];
  return {
    data: series.map((s) => ({ type: "bar", name: s, x: groups, y: groups.map((g) => values[g][s] ?? null) })),
    layout: { ...baseLayout(opts.title, opts.x, opts.y), barmode: "group", showlegend: true },
  };
}

/** Tokens/s against batch size, with the step time split into phases (stacked bars, second y axis). */
export function throughputFigure(
  rows: readonly {
    batchSize: number;
    tokensPerSec: number;
    forwardMs: number;
    backwardMs: number;
    optimizerMs: number;
  }[],
): Figure {
  const x = rows.map((r) => String(r.batchSize));
  const phase = (name: string, y: number[]): Record<string, unknown> & { type: string } => ({
    type: "bar",
    name: `${name} (ms/step)`,
    x,
    y,
    yaxis: "y2",
    opacity: 0.6,
  });
  return {
    data: [
      phase(
        "forward",
        rows.map((r) => r.forwardMs),
      ),
      phase(
        "backward",
        rows.map((r) => r.backwardMs),
      ),
      phase(
        "optimizer",
        rows.map((r) => r.optimizerMs),
      ),
      { type: "scatter", mode: "lines+markers", name: "tokens/s", x, y: rows.map((r) => r.tokensPerSec) },
    ],
    layout: {
      ...baseLayout("throughput and step time by batch size", "batch size", "tokens per second"),
      barmode: "stack",
      yaxis2: { title: { text: "ms per step" }, overlaying: "y", side: "right" },
      showlegend: true,
    },
  };
}

/** Val loss of each trained-on model (rows) on each source (columns). */
export function lossMatrixFigure(
  valLoss: Record<string, Record<string, number>>,
  title = "val loss (nats/token): trained on (row) × evaluated on (column)",
): Figure {
  const rows = Object.keys(valLoss);
  const cols = [...new Set(rows.flatMap((r) => Object.keys(valLoss[r])))];
  const z = rows.map((r) => cols.map((c) => valLoss[r][c]));
  return {
    data: [
      {
        type: "heatmap",
        z,
        x: cols,
        y: rows,
        colorscale: "Viridis",
        reversescale: true,
        text: z.map((row) => row.map((v) => v.toFixed(2))),
        texttemplate: "%{text}",
      },
    ],
    layout: baseLayout(title, "evaluated on", "trained on"),
  };
}
