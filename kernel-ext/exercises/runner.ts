// The parts of the headless runner's API (kernel-ext/runner) that grading relies on; tests
// pass a fake runner of this shape.
import type { Notebook, Output } from "../book/notebook";
import * as runner from "../runner";

export interface RunOptions {
  params?: Record<string, unknown>;
  timeout?: number;
  allowErrors?: boolean;
  outPath?: string;
  cwd?: string;
  kernelName?: string;
  env?: NodeJS.ProcessEnv;
  onProgress?: (p: {
    notebook: string;
    step: number;
    steps: number;
    cell: number;
    phase: "start" | "done";
    status?: string;
    elapsed: number;
  }) => void;
}

export interface RunResult {
  path: string;
  notebook: Notebook;
  outputs: Output[];
  status: string;
  seconds: number;
  failure?: { message: string };
  /** Each executed cell's status, by notebook index. */
  cells?: { index: number; status: string }[];
}

export interface RunnerApi {
  runNotebook(path: string, opts?: RunOptions): Promise<RunResult>;
}

/** The runner as grading uses it; assigning the module checks that its API still fits. */
export const loadRunner = (): RunnerApi => runner;
