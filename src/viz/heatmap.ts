import { baseLayout, Figure } from "./types";

export interface HeatmapOptions {
  title?: string;
  x?: string;
  y?: string;
  colorscale?: string;
}

/** z[i][j] is the value at row yLabels[i], column xLabels[j]. */
export function heatmap(z: number[][], xLabels: string[], yLabels: string[], opts: HeatmapOptions = {}): Figure {
  if (z.length !== yLabels.length || z.some((row) => row.length !== xLabels.length)) {
    throw new Error(`heatmap: z must be ${yLabels.length} rows of ${xLabels.length} values`);
  }
  return {
    data: [{ type: "heatmap", z, x: xLabels, y: yLabels, colorscale: opts.colorscale ?? "Viridis" }],
    layout: baseLayout(opts.title, opts.x, opts.y),
  };
}
