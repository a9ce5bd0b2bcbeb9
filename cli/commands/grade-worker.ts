// `llmlab grade-worker JOB` (internal): what `llmlab grade` runs inside each submission's sandbox.
// Installs the kernelspec into the scratch folder, then runs the notebook and the grader's cells.
import * as path from "path";
import { Command } from "commander";

const ENTRY = path.resolve(__dirname, "..", "llmlab.js");
const PRELOAD = path.resolve(__dirname, "..", "kernel-preload.js");

export function register(program: Command): void {
  program
    .command("grade-worker", { hidden: true })
    .argument("<job>", "job file written by llmlab grade")
    .action(async (jobFile: string) => {
      const { installKernelSpec, kernelSpec } = await import("../../kernel-ext/kernel/kernelspec");
      const { readJob, runWorker } = await import("../../kernel-ext/exercises/worker");
      const { loadRunner } = await import("../../kernel-ext/exercises/runner");
      const job = readJob(jobFile);
      const prefix = path.join(job.dir, "jupyter");
      installKernelSpec(kernelSpec(ENTRY, [PRELOAD]), { prefix });
      const env = { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter") };
      const source = (id: string, file: string) =>
        `llm.course.writeRecord(${JSON.stringify(id)}, ${JSON.stringify(file)});`;
      const summary = await runWorker(job, loadRunner(), source, env);
      process.stderr.write(`${summary.status}${summary.failure ? `: ${summary.failure}` : ""}\n`);
    });
}
