// The headless runner (kernel-ext/runner, `llmlab run`) as grade and start use it. It is built
// in parallel with this code, so it is bound lazily: these are the parts of its API we rely on
// (runNotebook in kernel-ext/runner/run.ts, runCommand in cli/commands/run.ts).
import type { Notebook, Output } from "../book/notebook";

export interface RunOptions {
  params?: Record<string, unknown>;
  timeout?: number;
  allowErrors?: boolean;
  outPath?: string;
  cwd?: string;
  kernelName?: string;
  env?: NodeJS.ProcessEnv;
  onProgress?: (p: { notebook: string; step: number; steps: number; cell: number; phase: "start" | "done"; status?: string; elapsed: number }) => void;
}

export interface RunResult {
  path: string;
  notebook: Notebook;
  outputs: Output[];
  status: string;
  seconds: number;
  failure?: { message: string };
}

export interface RunnerApi {
  runNotebook(path: string, opts?: RunOptions): Promise<RunResult>;
}

export interface RunCliOptions {
  out?: string;
  paramsFile?: string;
  timeout?: number;
  json?: string;
}

export interface RunCommandApi {
  runCommand(notebooks: string[], opts: RunCliOptions): Promise<number>;
}

function lazy<T>(path: string, what: string): T {
  try {
    // A runtime require on purpose: the module may not exist in this build (see above).
    return require(path) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String((err as Error).message).includes(path.split("/").pop() as string)) {
      throw new Error(`${what} is not in this build of llmlab (${path} is missing): it comes with the headless runner, \`llmlab run\``);
    }
    throw err;
  }
}

export const loadRunner = (): RunnerApi => lazy<RunnerApi>("../runner", "the headless runner (kernel-ext/runner)");
export const loadRunCommand = (): RunCommandApi => lazy<RunCommandApi>("../../cli/commands/run", "the `llmlab run` command (cli/commands/run.ts)");
