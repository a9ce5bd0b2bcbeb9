// Plots for the notebooks: each helper returns a plotly figure spec as plain data.
export type { Figure, Trace } from "./types";
export { bar, type BarOptions } from "./bar";
export { line, type LineOptions } from "./line";
export { heatmap, type HeatmapOptions } from "./heatmap";
export { vocabSizeFigure } from "./vocabSize";
export * from "./model";
export * from "./evaluation";
export * from "./finetune";
