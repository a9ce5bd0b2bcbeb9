// `llmlab grade`: grade learners' notebooks (single files, or a class: DIR/<student>/<notebook>.ipynb).
// Each submission runs sandboxed (bubblewrap) in a fresh kernel; its answers are judged by a
// separate trusted process (llmlab grade-judge); out come a gradebook CSV, JSON and feedback pages.
import { Command, InvalidArgumentError } from "commander";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "fs";
import { cpus } from "os";
import { dirname, join, resolve } from "path";
import { exerciseCells, formatGrades, solutionsPath, withSolutions } from "../../kernel-ext/exercises";
import { readNotebook } from "../../kernel-ext/book/notebook";

const ROOT = resolve(__dirname, "..", "..", "..");
const DIST = resolve(__dirname, "..", "..");
const ENTRY = join(DIST, "cli", "llmlab.js");

interface GradeCliOptions {
  json?: string;
  csv?: string;
  solutions?: boolean;
  solutionsDir?: string;
  timeout: number;
  memory: number;
  jobs: number;
  out: string;
  force?: boolean;
  unsafeNoSandbox?: boolean;
  assignment: string;
}

const positive = (what: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a positive number (${what}), got "${v}"`);
  return n;
};

function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Every compiled file of the checkers and the grader: a cached grade is stale when one changes. */
function graderVersion(): string {
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".js")) h.update(p).update(readFileSync(p));
    }
  };
  for (const d of [join(DIST, "src", "course"), join(DIST, "kernel-ext", "exercises")]) walk(d);
  return h.digest("hex").slice(0, 16);
}

export function register(program: Command): void {
  program
    .command("grade")
    .description("grade notebooks, sandboxed, from checks the grader runs itself: a gradebook, JSON and feedback pages")
    .argument("<submissions...>", "notebooks (.ipynb), or folders of <student>/<notebook>.ipynb")
    .option("--out <dir>", "executed notebooks, feedback pages and cached grades, per student", "graded")
    .option("--json <file>", "the grades as JSON (default: <out>/grades.json)")
    .option("--csv <file>", "the gradebook (default: <out>/gradebook.csv)")
    .option("--jobs <n>", "submissions graded at once", positive("submissions"), Math.max(1, cpus().length))
    .option("--timeout <seconds>", "limit per cell", positive("seconds"), 300)
    .option("--memory <MB>", "limit per submission (runner, kernel and children)", positive("megabytes"), 4096)
    .option("--solutions", "apply notebooks/solutions/<name>.json first (CI: every check must pass)")
    .option("--solutions-dir <dir>", "where the solutions are (default: solutions/ next to each notebook)")
    .option(
      "--assignment <dir>",
      "the released notebooks (llmlab assign): edited or deleted protected cells are restored from them",
      join(ROOT, "notebooks"),
    )
    .option("--force", "grade again submissions that did not change")
    .option("--unsafe-no-sandbox", "run submissions without bubblewrap (they can then read and write what you can)")
    .action(async (paths: string[], opts: GradeCliOptions) => {
      const { findSubmissions, gradeClass } = await import("../../kernel-ext/exercises/classroom");
      const { commandJudge } = await import("../../kernel-ext/exercises/grade");
      const { checkSandbox } = await import("../../kernel-ext/exercises/sandbox");
      const { gradebookCsv } = await import("../../kernel-ext/exercises/gradebook");
      const { exercises } = await import("../../src/course");
      const { restoreProtected } = await import("../../kernel-ext/exercises/assign");
      if (!opts.unsafeNoSandbox) {
        const sb = checkSandbox();
        if (!sb.ok) {
          console.error(
            `grade: refusing to run submissions unsandboxed: ${sb.reason}.\nA submission is untrusted code: without a sandbox it can read the solutions and other submissions and write anywhere you can. Install bubblewrap, or pass --unsafe-no-sandbox to grade anyway.`,
          );
          process.exitCode = 2;
          return;
        }
      }
      const subs = findSubmissions(paths);
      const out = resolve(opts.out);
      const solutionDirs = new Set([
        join(ROOT, "notebooks", "solutions"),
        ...subs.map((s) => dirname(solutionsPath(s.path, opts.solutionsDir))),
      ]);
      const hide = [
        ...paths.map((p) => (statSync(p).isFile() ? dirname(resolve(p)) : resolve(p))),
        ...solutionDirs,
        out,
      ];
      const inside = hide.find((h) => `${DIST}/`.startsWith(`${h}/`));
      if (inside)
        throw new Error(
          `grade: ${inside} holds the grader itself (${DIST}), and each submission's sandbox hides it: keep submissions in a folder of their own`,
        );
      const registered = exercises().map((e) => e.id);
      const reports = await gradeClass(subs, {
        outDir: out,
        jobs: opts.jobs,
        timeout: opts.timeout,
        memoryMb: opts.memory,
        unsafeNoSandbox: opts.unsafeNoSandbox,
        force: opts.force,
        hide,
        keep: [ROOT],
        nodeModules: join(ROOT, "node_modules"),
        datasets: join(ROOT, "datasets"),
        workDir: join(out, ".scratch"),
        workerCommand: [process.execPath, ENTRY, "grade-worker"],
        judge: commandJudge([process.execPath, ENTRY, "grade-judge"]),
        graderVersion: graderVersion(),
        onProgress: (l) => process.stderr.write(l),
        prepare(sub) {
          let nb = readNotebook(sub.path);
          // The release the instructor handed out, when there is one for this notebook.
          const release = join(resolve(opts.assignment), sub.notebook);
          let restored: string[] = [];
          if (existsSync(release)) ({ notebook: nb, restored } = restoreProtected(readNotebook(release), nb));
          if (restored.length)
            process.stderr.write(
              `[${sub.student || "-"}/${sub.notebook}] restored protected cells: ${restored.join(", ")}\n`,
            );
          if (opts.solutions) nb = withSolutions(nb, sub.path, sub.notebook, opts.solutionsDir);
          // A course notebook (NN-name) is graded on every exercise the course registers for it,
          // whatever the submission's cells claim; any other notebook on its answer cells.
          const nn = /^(\d\d)-/.exec(sub.notebook)?.[1];
          const ids = nn ? registered.filter((id) => id.startsWith(`${nn}.`)) : [...exerciseCells(nb).keys()];
          return { notebook: nb, ids, restored };
        },
      });
      console.log(formatGrades(reports));
      for (const g of reports)
        if (g.reason) console.error(`${g.student ? `${g.student}/` : ""}${g.notebook}: ${g.status}: ${g.reason}`);
      const passed = reports.reduce((s, g) => s + g.passed, 0);
      const total = reports.reduce((s, g) => s + g.total, 0);
      writeAtomic(
        resolve(opts.json ?? join(out, "grades.json")),
        JSON.stringify({ grades: reports, passed, total }, null, 2) + "\n",
      );
      writeAtomic(resolve(opts.csv ?? join(out, "gradebook.csv")), gradebookCsv(reports));
      // Exit 1 when something is not right: in CI with --solutions, a check that fails its own solution.
      process.exitCode = reports.every((g) => g.passed === g.total && g.status === "ok") ? 0 : 1;
    });
}
