// Plots for the notebooks: each helper returns a plotly figure spec as plain data.
export type { Figure, Trace } from "./types";
export { bar } from "./bar";
export type { BarOptions } from "./bar";
export { line } from "./line";
export type { LineOptions } from "./line";
export { heatmap } from "./heatmap";
export type { HeatmapOptions } from "./heatmap";
export { vocabSizeFigure } from "./vocabSize";
export * from "./model";
export * from "./evaluation";
export * from "./finetune";
