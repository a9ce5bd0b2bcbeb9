// Grading a class: DIR/<student>/<notebook>.ipynb (or single notebooks), several submissions at
// once, each in its own sandbox; a submission already graded is skipped unless it changed.
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmdirSync, statSync, writeFileSync } from "fs";
import { basename, dirname, join, resolve } from "path";
import type { Notebook } from "../book/notebook";
import { GradeReport, Graded, Submission, SubmissionOptions, gradeSubmission } from "./grade";
import { feedbackPage } from "./gradebook";

/** Files are single submissions; a folder holds <student>/<notebook>.ipynb (and maybe notebooks of its own). */
export function findSubmissions(paths: string[]): Submission[] {
  const found: Submission[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new Error(`grade: ${p} does not exist`);
    if (statSync(abs).isFile()) {
      if (!abs.endsWith(".ipynb")) throw new Error(`grade: ${p} is not a notebook (.ipynb)`);
      found.push({ student: "", notebook: basename(abs), path: abs });
      continue;
    }
    const before = found.length;
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isFile() && e.name.endsWith(".ipynb"))
        found.push({ student: "", notebook: e.name, path: join(abs, e.name) });
      if (!e.isDirectory() || e.name.startsWith(".")) continue;
      for (const f of readdirSync(join(abs, e.name)).sort())
        if (f.endsWith(".ipynb")) found.push({ student: e.name, notebook: f, path: join(abs, e.name, f) });
    }
    if (found.length === before)
      throw new Error(`grade: no notebooks in ${p} (expected ${p}/<student>/<notebook>.ipynb)`);
  }
  const seen = new Map<string, string>();
  for (const s of found) {
    const key = `${s.student}/${s.notebook}`;
    if (seen.has(key))
      throw new Error(
        `grade: two submissions of ${s.notebook}${s.student ? ` by ${s.student}` : ""}: ${seen.get(key)} and ${s.path}`,
      );
    seen.set(key, s.path);
  }
  return found;
}

export interface Prepared {
  /** The notebook as it will run (solutions applied, protected cells restored). */
  notebook: Notebook;
  ids: string[];
  restored?: string[];
}

export interface ClassOptions extends Omit<SubmissionOptions, "ids"> {
  /** Where each student's executed notebook, feedback page and cached grade go. */
  outDir?: string;
  /** Submissions graded at once (default: 1). */
  jobs?: number;
  /** What to run for a submission, and the exercises it is graded on. */
  prepare(sub: Submission): Prepared;
  /** Changes when the grader or its checkers change (cached grades become stale). */
  graderVersion: string;
  /** Grade again even when nothing changed. */
  force?: boolean;
}

export interface ClassReport extends GradeReport {
  /** True when the grade came from an earlier run (nothing changed). */
  cached?: boolean;
}

const outBase = (outDir: string, s: Submission) => join(outDir, s.student || ".", s.notebook.replace(/\.ipynb$/, ""));

function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export async function gradeClass(subs: Submission[], opts: ClassOptions): Promise<ClassReport[]> {
  const reports: ClassReport[] = new Array(subs.length);
  let next = 0;
  const one = async (i: number) => {
    const sub = subs[i];
    const prep = opts.prepare(sub);
    const hash = createHash("sha256")
      .update(
        JSON.stringify({
          nb: prep.notebook,
          ids: prep.ids,
          v: opts.graderVersion,
          t: opts.timeout,
          m: opts.memoryMb,
          unsafe: !!opts.unsafeNoSandbox,
        }),
      )
      .digest("hex");
    const base = opts.outDir ? outBase(opts.outDir, sub) : undefined;
    if (base && !opts.force) {
      try {
        const old = JSON.parse(readFileSync(`${base}.grade.json`, "utf8")) as { hash: string; report: GradeReport };
        if (old.hash === hash) {
          reports[i] = { ...old.report, path: sub.path, cached: true };
          opts.onProgress?.(
            `[${sub.student || "-"}/${sub.notebook}] unchanged since last graded: ${old.report.passed}/${old.report.total}\n`,
          );
          return;
        }
      } catch {
        // not graded yet
      }
    }
    opts.onProgress?.(`[${sub.student || "-"}/${sub.notebook}] grading\n`);
    const graded: Graded = await gradeSubmission(sub, prep.notebook, { ...opts, ids: prep.ids });
    const report: GradeReport = { ...graded.report, ...(prep.restored?.length ? { restored: prep.restored } : {}) };
    reports[i] = report;
    opts.onProgress?.(
      `[${sub.student || "-"}/${sub.notebook}] ${report.passed}/${report.total}, ${report.status}, ${report.seconds.toFixed(1)} s\n`,
    );
    if (base) {
      if (graded.executed) writeAtomic(`${base}.ipynb`, JSON.stringify(graded.executed, null, 1) + "\n");
      writeAtomic(`${base}.html`, feedbackPage(report, graded.executed));
      writeAtomic(`${base}.grade.json`, JSON.stringify({ hash, report }, null, 1) + "\n");
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(opts.jobs ?? 1, subs.length)) }, async () => {
    while (next < subs.length) await one(next++);
  });
  await Promise.all(workers);
  try {
    rmdirSync(opts.workDir); // each scratch folder is removed after its submission; then their parent
  } catch {
    // not empty (another grader shares it) or never made
  }
  return reports;
}
