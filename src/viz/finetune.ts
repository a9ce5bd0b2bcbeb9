// Plot specs for the fine-tuning notebook: train vs val curves of several runs, and grouped
// bars comparing methods (plain plotly data, as the rest of src/viz).
import { Figure } from "./model";

/** What a curve plot needs of a fine-tuning run (structurally a finetune.FineTuneReport). */
export interface RunCurves {
  task: string;
  method: string;
  evals: { iter: number; trainLoss: number; valLoss: number; trainAccuracy?: number; valAccuracy?: number }[];
}

const COLORS: Record<string, string> = { full: "#1f77b4", lora: "#d62728" };

/**
 * Train (solid) and val (dashed) loss of each run against the step: where val turns up while
 * train keeps falling, the run has begun to memorise its small training set.
 */
export function fineTuneCurves(runs: RunCurves[], opts: { title?: string; metric?: "loss" | "accuracy" } = {}): Figure {
  const acc = opts.metric === "accuracy";
  const data = runs.flatMap((r) =>
    (["train", "val"] as const).map((split) => ({
      type: "scatter",
      mode: "lines+markers",
      name: `${r.method} ${split}`,
      x: r.evals.map((e) => e.iter),
      y: r.evals.map(
        (e) =>
          (acc ? (split === "train" ? e.trainAccuracy : e.valAccuracy) : split === "train" ? e.trainLoss : e.valLoss) ??
          null,
      ),
      line: { color: COLORS[r.method] ?? undefined, dash: split === "val" ? "dash" : "solid" },
    })),
  );
  return {
    data,
    layout: {
      title: { text: opts.title ?? `${runs[0]?.task ?? ""}: train vs val ${acc ? "accuracy" : "loss"}` },
      xaxis: { title: { text: "fine-tuning step" } },
      yaxis: { title: { text: acc ? "accuracy" : "cross-entropy (nats)" } },
      height: 360,
    },
  };
}

/** Bars of one number per (group, series), e.g. groups = tasks, series = methods. */
export function seriesBars(
  groups: string[],
  series: { name: string; y: number[] }[],
  opts: { title?: string; yTitle?: string; logY?: boolean } = {},
): Figure {
  for (const s of series)
    if (s.y.length !== groups.length)
      throw new Error(`seriesBars: series ${s.name} has ${s.y.length} values for ${groups.length} groups`);
  return {
    data: series.map((s) => ({
      type: "bar",
      name: s.name,
      x: groups,
      y: s.y,
      marker: { color: COLORS[s.name] ?? undefined },
      text: s.y.map((v) => fmt(v)),
      textposition: "auto",
    })),
    layout: {
      title: { text: opts.title ?? "" },
      barmode: "group",
      yaxis: { title: { text: opts.yTitle ?? "" }, type: opts.logY ? "log" : "linear" },
      height: 340,
    },
  };
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return v.toLocaleString("en-US", { maximumFractionDigits: 0 });
  return Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2);
}
