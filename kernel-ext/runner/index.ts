// The headless runner: execute notebooks through a Jupyter kernel, with parameters.
export {
  runNotebook,
  collectMetrics,
  type RunOptions,
  type RunResult,
  type RunStatus,
  type CellRecord,
  type RunFailure,
  type Progress,
} from "./run";
export { KernelClient, KernelDiedError } from "../protocol/client";
export { findKernelSpec, jupyterDataPaths, type KernelSpec } from "./kernelspec";
export {
  readNotebook,
  writeNotebook,
  serializeNotebook,
  type Notebook,
  type Cell,
  type CodeCell,
  type Output,
} from "./nbformat";
export { injectParameters, declaredParameters, parseCliParams, toTsLiteral } from "./params";
