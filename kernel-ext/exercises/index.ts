// Exercises at the notebook level (kernel-ext: notebooks, not LLMs). An exercise's answer cell
// carries `metadata.exercise = "03.2"`; its check displays a CHECK_MIME record {id, ok, message}
// (src/course makes them). From that: solved copies of notebooks, and grades of executed ones.
import { readFileSync } from "fs";
import { basename, join } from "path";
import { Cell, Notebook, Output } from "../book/notebook";

/** Same string as src/course/check.ts (src does not import kernel-ext); a test keeps them equal. */
export const CHECK_MIME = "application/vnd.llmlab.check+json";

export type Solutions = Record<string, string>;

export interface GradeRow {
  id: string;
  ok: boolean;
  message: string;
}

export interface Grade {
  notebook: string;
  rows: GradeRow[];
  passed: number;
  total: number;
}

export const exerciseId = (c: Cell): string | undefined => (typeof c.metadata?.exercise === "string" ? c.metadata.exercise : undefined);

/** The answer cells of a notebook: exercise id -> cell index. */
export function exerciseCells(nb: Notebook): Map<string, number> {
  const found = new Map<string, number>();
  nb.cells.forEach((c, i) => {
    const id = exerciseId(c);
    if (id !== undefined && c.cell_type === "code") found.set(id, i);
  });
  return found;
}

/** notebooks/solutions/<notebook name>.json: {"03.1": "source" or ["line\n", ...]}. */
export function solutionsPath(notebookPath: string, solutionsDir?: string): string {
  return join(solutionsDir ?? join(notebookPath, "..", "solutions"), `${basename(notebookPath, ".ipynb")}.json`);
}

export function readSolutions(path: string): Solutions {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`solutions ${path}: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Error(`solutions ${path}: expected an object of exercise id -> answer cell source`);
  const out: Solutions = {};
  for (const [id, src] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof src === "string") out[id] = src;
    else if (Array.isArray(src) && src.every((l) => typeof l === "string")) out[id] = src.join("");
    else throw new Error(`solutions ${path}: exercise ${id} must be a source string or an array of lines`);
  }
  return out;
}

/** A copy of `nb` whose answer cells hold the solutions; every exercise needs one and every solution a cell. */
export function applySolutions(nb: Notebook, solutions: Solutions, name = "notebook"): Notebook {
  const cells = exerciseCells(nb);
  const missing = [...cells.keys()].filter((id) => !(id in solutions));
  const orphan = Object.keys(solutions).filter((id) => !cells.has(id));
  if (missing.length) throw new Error(`${name}: no solution for exercise${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  if (orphan.length) throw new Error(`${name}: solution${orphan.length > 1 ? "s" : ""} for ${orphan.join(", ")} but no answer cell has metadata.exercise = that id`);
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  for (const [id, index] of cells) out.cells[index].source = solutions[id];
  return out;
}

const checkRecords = (outputs: Output[] | undefined): GradeRow[] =>
  (outputs ?? []).flatMap((o) => {
    const r = o.data?.[CHECK_MIME] as Partial<GradeRow> | undefined;
    return r && typeof r.id === "string" && typeof r.ok === "boolean" ? [{ id: r.id, ok: r.ok, message: String(r.message ?? "") }] : [];
  });

/**
 * Grades an executed notebook: each answer cell's last check of its own id decides. An answer
 * cell that raised, did not run, or never called check() scores 0, with the reason.
 */
export function gradeNotebook(nb: Notebook, name = "notebook"): Grade {
  const all = new Map<string, GradeRow>();
  for (const c of nb.cells) if (c.cell_type === "code") for (const r of checkRecords(c.outputs)) all.set(r.id, r);
  const rows: GradeRow[] = [];
  for (const [id, index] of exerciseCells(nb)) {
    const cell = nb.cells[index];
    const found = all.get(id);
    const err = (cell.outputs ?? []).find((o) => o.output_type === "error");
    if (found) rows.push(found);
    else if (err) rows.push({ id, ok: false, message: `the answer cell raised ${err.ename}: ${err.evalue}` });
    else if (cell.execution_count == null) rows.push({ id, ok: false, message: "the answer cell did not run (did an earlier cell fail?)" });
    else rows.push({ id, ok: false, message: `no check ran: keep the line llm.course.check("${id}", ...) as the last line of the cell` });
  }
  const passed = rows.filter((r) => r.ok).length;
  return { notebook: name, rows, passed, total: rows.length };
}

export function formatGrades(grades: Grade[]): string {
  const firstLine = (s: string) => {
    const l = s.split("\n")[0];
    return l.length > 100 ? `${l.slice(0, 99)}…` : l;
  };
  const table = [["notebook", "exercise", "ok", "message"], ...grades.flatMap((g) => g.rows.map((r) => [g.notebook, r.id, r.ok ? "✓" : "✗", firstLine(r.message)]))];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join("  "));
  const passed = grades.reduce((s, g) => s + g.passed, 0);
  const total = grades.reduce((s, g) => s + g.total, 0);
  return `${lines.join("\n")}\n\nscore: ${passed}/${total}`;
}

