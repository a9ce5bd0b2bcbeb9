// Exercises at the notebook level (kernel-ext: notebooks, not LLMs). An exercise's answer cell
// carries `metadata.exercise = "03.2"`. From that: solved copies of notebooks, and the grade table.
// Grades never come from what a notebook displays: grade.ts judges records of the answers.
import { readFileSync } from "fs";
import { basename, join } from "path";
import { Cell, Notebook } from "../book/notebook";

export type Solutions = Record<string, string>;

export interface GradeRow {
  id: string;
  ok: boolean;
  message: string;
}

export interface Grade {
  student?: string;
  notebook: string;
  rows: GradeRow[];
  passed: number;
  total: number;
}

export const exerciseId = (c: Cell): string | undefined =>
  typeof c.metadata?.exercise === "string" ? c.metadata.exercise : undefined;

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
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    throw new Error(`solutions ${path}: expected an object of exercise id -> answer cell source`);
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
  if (missing.length)
    throw new Error(`${name}: no solution for exercise${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  if (orphan.length)
    throw new Error(
      `${name}: solution${orphan.length > 1 ? "s" : ""} for ${orphan.join(", ")} but no answer cell has metadata.exercise = that id`,
    );
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  for (const [id, index] of cells) out.cells[index].source = solutions[id];
  return out;
}

/**
 * The notebook with its exercises' solutions (solutionsPath) in its answer cells, for `grade
 * --solutions`; one without answer cells as it is, so a whole course (welcome notebook included)
 * can be graded with its solutions.
 */
export function withSolutions(nb: Notebook, notebookPath: string, name: string, solutionsDir?: string): Notebook {
  if (exerciseCells(nb).size === 0) return nb;
  return applySolutions(nb, readSolutions(solutionsPath(notebookPath, solutionsDir)), name);
}

export function formatGrades(grades: Grade[]): string {
  const firstLine = (s: string) => {
    const l = s.split("\n")[0];
    return l.length > 100 ? `${l.slice(0, 99)}…` : l;
  };
  const who = (g: Grade) => (g.student ? `${g.student}/${g.notebook}` : g.notebook);
  const table = [
    ["notebook", "exercise", "ok", "message"],
    ...grades.flatMap((g) => g.rows.map((r) => [who(g), r.id, r.ok ? "✓" : "✗", firstLine(r.message)])),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join("  "));
  const passed = grades.reduce((s, g) => s + g.passed, 0);
  const total = grades.reduce((s, g) => s + g.total, 0);
  return `${lines.join("\n")}\n\nscore: ${passed}/${total}`;
}
