// The headless runner: execute notebooks through a Jupyter kernel, with parameters.
export { runNotebook, collectMetrics } from "./run";
export type { RunOptions, RunResult, RunStatus, CellRecord, RunFailure, Progress } from "./run";
export { KernelClient, KernelDiedError } from "../protocol/client";
export { findKernelSpec, jupyterDataPaths } from "./kernelspec";
export type { KernelSpec } from "./kernelspec";
export { readNotebook, writeNotebook, serializeNotebook } from "./nbformat";
export type { Notebook, Cell, CodeCell, Output } from "./nbformat";
export { injectParameters, declaredParameters, parseCliParams, toTsLiteral } from "./params";
