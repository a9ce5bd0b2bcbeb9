// Grading: run a learner's notebook through the runner, then read back its checks.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, dirname, join, resolve } from "path";
import { readNotebook } from "../book/notebook";
import { Grade, applySolutions, gradeNotebook, readSolutions, solutionsPath } from ".";
import { RunnerApi, loadRunner } from "./runner";

export interface GradeOptions {
  /** Run the notebook with its solutions applied (CI: every check must pass). */
  withSolutions?: boolean;
  solutionsDir?: string;
  /** Seconds per cell (the runner interrupts a cell that takes longer). */
  timeout?: number;
  /** Keep the executed notebook here (a folder). */
  outDir?: string;
  runner?: RunnerApi;
  /** The kernel's environment (e.g. JUPYTER_PATH to find a kernelspec installed with --prefix). */
  env?: NodeJS.ProcessEnv;
  onProgress?: (line: string) => void;
}

export interface GradeReport extends Grade {
  status: string;
  seconds: number;
  failure?: string;
}

export async function gradeFile(path: string, opts: GradeOptions = {}): Promise<GradeReport> {
  const runner = opts.runner ?? loadRunner();
  const name = basename(path);
  let nb = readNotebook(path);
  if (opts.withSolutions) nb = applySolutions(nb, readSolutions(solutionsPath(path, opts.solutionsDir)), name);
  // The runner reads a file: give it the notebook as graded, beside nothing of the learner's.
  if (opts.outDir) mkdirSync(opts.outDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), "llmlab-grade-"));
  const input = join(tmp, name);
  writeFileSync(input, JSON.stringify(nb));
  try {
    const result = await runner.runNotebook(input, {
      allowErrors: true, // a wrong answer that throws costs that exercise, not the rest
      timeout: opts.timeout,
      env: opts.env,
      cwd: dirname(resolve(path)), // relative paths resolve as in the learner's own run
      outPath: opts.outDir ? join(resolve(opts.outDir), name) : undefined,
      onProgress: opts.onProgress && ((p) => p.phase === "start" && opts.onProgress?.(`[${name}] cell ${p.step}/${p.steps}, ${p.elapsed.toFixed(1)} s\n`)),
    });
    return { ...gradeNotebook(result.notebook, name), status: result.status, seconds: result.seconds, failure: result.failure?.message };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

