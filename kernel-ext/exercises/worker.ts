// Inside the sandbox: run one submission through the runner, then one grader cell per exercise
// that writes the record of its answer (records/<id>.json). Everything this process and its kernel
// write is untrusted: the grader outside reads the records as data and judges them itself.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import { join } from "path";
import { readNotebook } from "../book/notebook";
import type { Notebook } from "../book/notebook";
import type { RunnerApi } from "./runner";

export interface WorkerJob {
  /** The notebook to run (inside the scratch folder). */
  notebook: string;
  /** Exercise ids to record, in order. */
  ids: string[];
  /** Seconds per cell. */
  timeout?: number;
  /** Where records/<id>.json, executed.ipynb and run.json go. */
  dir: string;
}

export interface RunSummary {
  status: string;
  failure?: string;
  /** Exercise id -> status of the cell that recorded it ("ok", "timeout", ...). */
  recorded: Record<string, string>;
}

export const GRADER_CELL = "llmlab-grader";

export function readJob(path: string): WorkerJob {
  const job = JSON.parse(readFileSync(path, "utf8")) as WorkerJob;
  if (typeof job.notebook !== "string" || !Array.isArray(job.ids) || typeof job.dir !== "string")
    throw new Error(`grade job ${path}: expected {notebook, ids, dir}`);
  return job;
}

/** The submission with one grader cell per exercise appended (`source(id, file)` writes the record). */
export function withRecordCells(
  nb: Notebook,
  ids: string[],
  dir: string,
  source: (id: string, file: string) => string,
): Notebook {
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  ids.forEach((id, i) =>
    out.cells.push({
      cell_type: "code",
      id: `${GRADER_CELL}-${i}`,
      metadata: { [GRADER_CELL]: id },
      source: source(id, join(dir, "records", `${id}.json`)),
      outputs: [],
      execution_count: null,
    }),
  );
  return out;
}

export async function runWorker(
  job: WorkerJob,
  runner: RunnerApi,
  source: (id: string, file: string) => string,
  env?: NodeJS.ProcessEnv,
): Promise<RunSummary> {
  mkdirSync(join(job.dir, "records"), { recursive: true });
  const input = join(job.dir, "graded.ipynb");
  writeFileSync(input, JSON.stringify(withRecordCells(readNotebook(job.notebook), job.ids, job.dir, source)));
  const result = await runner.runNotebook(input, {
    allowErrors: true,
    timeout: job.timeout,
    cwd: join(job.notebook, ".."),
    env,
  });
  const recorded: Record<string, string> = {};
  result.notebook.cells.forEach((c, i) => {
    const id = c.metadata?.[GRADER_CELL];
    if (typeof id === "string")
      recorded[id] = result.cells?.find((r) => r.index === i)?.status ?? (c.execution_count == null ? "not-run" : "ok");
  });
  // The learner sees their notebook, not the grader's cells.
  const executed = {
    ...result.notebook,
    cells: result.notebook.cells.filter((c) => c.metadata?.[GRADER_CELL] === undefined),
  };
  const write = (name: string, text: string) => {
    writeFileSync(join(job.dir, `${name}.tmp`), text);
    renameSync(join(job.dir, `${name}.tmp`), join(job.dir, name));
  };
  write("executed.ipynb", JSON.stringify(executed, null, 1));
  const summary: RunSummary = { status: result.status, failure: result.failure?.message, recorded };
  write("run.json", JSON.stringify(summary));
  return summary;
}
