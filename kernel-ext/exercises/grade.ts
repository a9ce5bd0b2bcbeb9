// Grading one submission: run it in a sandbox (worker.ts inside bwrap) with a time limit per cell
// and a memory limit for the whole run, then judge the records of its answers in a separate
// trusted process. Nothing the submission displays or writes decides its grade except those
// records, which the judge treats as data (see kernel-ext/README.md, "Grading").
import { spawn } from "child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { join } from "path";
import type { Notebook } from "../book/notebook";
import { GradeRow, exerciseCells } from ".";
import { bwrapArgs } from "./sandbox";
import { treeRss } from "./watch";
import type { RunSummary, WorkerJob } from "./worker";

export interface Submission {
  /** The student's folder name; "" for a notebook given on its own. */
  student: string;
  /** The notebook's file name. */
  notebook: string;
  path: string;
}

export interface GradeReport {
  student: string;
  notebook: string;
  path: string;
  rows: GradeRow[];
  passed: number;
  total: number;
  /** "ok"; "error" (a cell failed, graded anyway); "timeout"; "memory"; "crashed"; "judge-error". */
  status: string;
  /** Why, when status is not "ok". */
  reason?: string;
  seconds: number;
  /** Restored protected cells (assign.ts), by id. */
  restored?: string[];
}

/** Judges records in a trusted process: [{id, file}] -> one row per id. */
export type Judge = (records: { id: string; file: string }[]) => Promise<GradeRow[]>;

export interface SubmissionOptions {
  /** Exercise ids this notebook is graded on, in order. */
  ids: string[];
  /** Seconds per cell (default 300). */
  timeout?: number;
  /** Megabytes for the whole run: runner, kernel and their children (default 4096). */
  memoryMb?: number;
  /** Run without the sandbox (the grader refuses unless asked: --unsafe-no-sandbox). */
  unsafeNoSandbox?: boolean;
  /** Folders hidden from the submission (other submissions, solutions, output). */
  hide: string[];
  /** node_modules the notebook's imports resolve from (linked into the scratch folder, which is the kernel's working tree). */
  nodeModules?: string;
  /** The course's shipped data (datasets/: corpora manifests, the baby GPT), linked into the scratch
   *  folder beside notebooks/ so a notebook's `../datasets/...` reads it (read-only, as / is). */
  datasets?: string;
  /** Folders the worker needs (the grader's checkout): kept readable even under /tmp. */
  keep?: string[];
  /** Where scratch folders are made (hidden from every submission but its own folder). */
  workDir: string;
  /** argv that runs the worker; the job file's path is appended. */
  workerCommand: string[];
  judge: Judge;
  /** Extra environment for the worker (the grader's own environment is not passed on). */
  env?: Record<string, string>;
  onProgress?: (line: string) => void;
}

const MAX_RECORD_BYTES = 256 * 1024 * 1024;
const PASS_ENV = ["PATH", "LANG", "LC_ALL", "LLMLAB_BACKEND", "LLMLAB_THREADS", "NODE_PATH"];

export interface Graded {
  report: GradeReport;
  /** The executed notebook as the worker wrote it (untrusted: shown, never scored). */
  executed?: Notebook;
}

export async function gradeSubmission(sub: Submission, nb: Notebook, opts: SubmissionOptions): Promise<Graded> {
  const started = performance.now();
  mkdirSync(opts.workDir, { recursive: true });
  const scratch = mkdtempSync(join(opts.workDir, "s-"));
  const timeout = opts.timeout ?? 300;
  try {
    const nbDir = join(scratch, "notebooks"); // ../out from a notebook lands in the scratch folder
    const jobDir = join(scratch, "grader");
    mkdirSync(nbDir);
    mkdirSync(jobDir);
    mkdirSync(join(scratch, "tmp"));
    // `import ... from "danfojs-node"` in a cell resolves from the kernel's working folder upwards.
    if (opts.nodeModules) symlinkSync(opts.nodeModules, join(scratch, "node_modules"), "dir");
    if (opts.datasets) symlinkSync(opts.datasets, join(scratch, "datasets"), "dir");
    const input = join(nbDir, sub.notebook);
    writeFileSync(input, JSON.stringify(nb));
    const job: WorkerJob = { notebook: input, ids: opts.ids, timeout, dir: jobDir };
    const jobFile = join(scratch, "job.json");
    writeFileSync(jobFile, JSON.stringify(job));

    const env: Record<string, string> = { HOME: scratch, TMPDIR: join(scratch, "tmp"), ...opts.env };
    for (const k of PASS_ENV) if (process.env[k] !== undefined && env[k] === undefined) env[k] = process.env[k]!;
    const argv = opts.unsafeNoSandbox
      ? [...opts.workerCommand, jobFile]
      : [
          "bwrap",
          ...bwrapArgs({ scratch, hide: [...opts.hide, opts.workDir], keep: opts.keep }),
          ...opts.workerCommand,
          jobFile,
        ];
    // The whole run may take every cell's limit, plus the grader's cells and kernel start-up.
    const cells = nb.cells.filter((c) => c.cell_type === "code").length + opts.ids.length;
    const limits = { wallMs: (timeout * (cells + 1) + 120) * 1000, memoryBytes: (opts.memoryMb ?? 4096) * 1024 * 1024 };
    const exit = await supervise(argv, env, scratch, limits);

    const summary = readJson<RunSummary>(scratch, join(jobDir, "run.json"), 1024 * 1024);
    const executed = readJson<Notebook>(scratch, join(jobDir, "executed.ipynb"), 64 * 1024 * 1024);
    const records = opts.ids.flatMap((id) => {
      const file = join(jobDir, "records", `${id}.json`);
      return ownFile(scratch, file, MAX_RECORD_BYTES) ? [{ id, file }] : [];
    });
    let status = "ok";
    let reason: string | undefined;
    if (exit.killed === "memory")
      [status, reason] = ["memory", `used more than the memory limit of ${opts.memoryMb ?? 4096} MB and was stopped`];
    else if (exit.killed === "time")
      [status, reason] = [
        "timeout",
        `ran past the time limit (${Math.round(limits.wallMs / 1000)} s in all) and was stopped`,
      ];
    else if (!summary)
      [status, reason] = [
        "crashed",
        `the run ended without a report (exit ${exit.code ?? exit.signal}): ${exit.stderrTail.trim().split("\n").slice(-3).join(" / ") || "no output"}`,
      ];
    else if (summary.status !== "ok") [status, reason] = [summary.status, String(summary.failure ?? summary.status)];
    let judgedRows: GradeRow[] = [];
    try {
      judgedRows = records.length ? await opts.judge(records) : [];
    } catch (err) {
      // A record that breaks the judge (crafted to exhaust it, say) costs this submission only.
      [status, reason] = ["judge-error", `its records could not be judged: ${(err as Error).message.slice(0, 300)}`];
    }
    const judged = new Map(judgedRows.filter((r) => opts.ids.includes(r.id)).map((r) => [r.id, r]));
    const rows = opts.ids.map((id): GradeRow => {
      const r = judged.get(id);
      if (r) return r;
      const cell = summary?.recorded?.[id];
      if (cell === "timeout")
        return {
          id,
          ok: false,
          message: `checking the answer took longer than the ${timeout} s limit per cell (does the answer loop forever?)`,
        };
      return {
        id,
        ok: false,
        message: `no record of the answer: ${reason ?? (cell ? `the grader's cell ended with status ${cell}` : "the grader's cell did not run")}`,
      };
    });
    // Why an answer never reached check(), from the executed notebook (untrusted, so it only words a 0).
    const answerCells = executed ? exerciseCells(executed) : new Map<string, number>();
    for (const r of rows) {
      const cell = executed?.cells[answerCells.get(r.id) ?? -1];
      const err = cell?.outputs?.find((o) => o.output_type === "error");
      if (!r.ok && r.message.startsWith("no answer") && err)
        r.message = `the answer cell raised ${err.ename}: ${err.evalue}`;
    }
    const passed = rows.filter((r) => r.ok).length;
    const report: GradeReport = {
      student: sub.student,
      notebook: sub.notebook,
      path: sub.path,
      rows,
      passed,
      total: rows.length,
      status,
      reason,
      seconds: (performance.now() - started) / 1000,
    };
    return { report, executed: executed ?? undefined };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Whether `file` is a plain file inside the scratch folder, at most maxBytes: the submission could
 * have left a link there to a file it could not read itself (another student's notebook).
 */
function ownFile(scratch: string, file: string, maxBytes: number): boolean {
  try {
    const st = lstatSync(file);
    return st.isFile() && st.size <= maxBytes && realpathSync(file).startsWith(`${realpathSync(scratch)}/`);
  } catch {
    return false;
  }
}

function readJson<T>(scratch: string, file: string, maxBytes: number): T | undefined {
  try {
    if (!ownFile(scratch, file, maxBytes)) return undefined;
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  killed?: "memory" | "time";
  stderrTail: string;
}

/** Runs argv, stopping it (and everything under it) on too much memory or time. */
function supervise(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
  limits: { wallMs: number; memoryBytes: number },
): Promise<Exit> {
  return new Promise((resolvePromise, reject) => {
    // detached: its own process group, so that unsandboxed children die with it too.
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ["ignore", "ignore", "pipe"], detached: true });
    let stderrTail = "";
    let killed: Exit["killed"];
    child.stderr.on("data", (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-4000)));
    const stop = (why: "memory" | "time") => {
      killed ??= why;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => stop("time"), limits.wallMs);
    const poll = setInterval(() => {
      if (child.pid && treeRss(child.pid) > limits.memoryBytes) stop("memory");
    }, 250);
    child.on("error", (err) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`could not start ${argv[0]}: ${err.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolvePromise({ code, signal, killed, stderrTail });
    });
  });
}

/** Runs the judge command on record files and reads one row per id from its stdout (JSON). */
export function commandJudge(command: string[], timeoutMs = 10 * 60 * 1000): Judge {
  return (records) =>
    new Promise((resolvePromise, reject) => {
      const args = records.flatMap((r) => [r.id, r.file]);
      const child = spawn(command[0], [...command.slice(1), ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(timer);
        if (code !== 0) return reject(new Error(`the judge exited with ${code}: ${err.trim()}`));
        try {
          resolvePromise(JSON.parse(out) as GradeRow[]);
        } catch (e) {
          reject(new Error(`the judge's output is not JSON: ${(e as Error).message}`));
        }
      });
    });
}
