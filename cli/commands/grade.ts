// `llmlab grade`: run learners' notebooks and print a score table (exercise, ok, message).
import { Command, InvalidArgumentError } from "commander";
import { randomBytes } from "crypto";
import { mkdirSync, renameSync, writeFileSync } from "fs";
import { dirname, resolve } from "path";
import { formatGrades } from "../../kernel-ext/exercises";
import { GradeReport, gradeFile } from "../../kernel-ext/exercises/grade";

interface GradeCliOptions {
  json?: string;
  solutions?: boolean;
  solutionsDir?: string;
  timeout?: number;
  out?: string;
}

export function register(program: Command): void {
  program
    .command("grade")
    .description("run notebooks through the runner and score their exercise checks")
    .argument("<notebooks...>", "submitted notebooks (.ipynb)")
    .option("--json <file>", "also write the grades as JSON")
    .option("--solutions", "apply notebooks/solutions/<name>.json first (CI: every check must pass)")
    .option("--solutions-dir <dir>", "where the solutions are (default: solutions/ next to each notebook)")
    .option("--timeout <seconds>", "per-cell limit", (v: string) => {
      const n = Number(v);
      if (!(n > 0)) throw new InvalidArgumentError(`expected a positive number of seconds, got "${v}"`);
      return n;
    })
    .option("--out <dir>", "keep the executed notebooks in DIR")
    .action(async (notebooks: string[], opts: GradeCliOptions) => {
      const grades: GradeReport[] = [];
      for (const path of notebooks) {
        grades.push(await gradeFile(path, { withSolutions: opts.solutions, solutionsDir: opts.solutionsDir, timeout: opts.timeout, outDir: opts.out, onProgress: (l) => process.stderr.write(l) }));
      }
      console.log(formatGrades(grades));
      for (const g of grades) if (g.failure) console.error(`${g.notebook}: ${g.failure}`);
      if (opts.json) {
        const file = resolve(opts.json);
        mkdirSync(dirname(file), { recursive: true });
        const tmp = `${file}.${randomBytes(3).toString("hex")}.tmp`;
        writeFileSync(tmp, JSON.stringify({ grades, passed: grades.reduce((s, g) => s + g.passed, 0), total: grades.reduce((s, g) => s + g.total, 0) }, null, 2) + "\n");
        renameSync(tmp, file);
      }
      // Exit 1 when something is not right: in CI with --solutions, a check that fails its own solution.
      process.exitCode = grades.every((g) => g.passed === g.total && g.status === "ok") ? 0 : 1;
    });
}
