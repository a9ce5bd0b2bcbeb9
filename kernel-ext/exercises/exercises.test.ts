// Solutions applied to answer cells, grades read back from check outputs: a submission with a
// wrong, a right and a throwing answer, through a stand-in runner (the real one: grade.e2e.test.ts).
import { join } from "path";
import { CHECK_MIME as COURSE_CHECK_MIME, check } from "../../src/course";
import { Notebook, Output, readNotebook } from "../book/notebook";
import { CHECK_MIME, applySolutions, exerciseCells, formatGrades, gradeNotebook } from ".";
import { gradeFile } from "./grade";
import type { RunOptions, RunnerApi } from "./runner";

const SUBMISSION = join(__dirname, "..", "..", "tests", "fixtures", "grade", "submission.ipynb");

/** What the kernel would send for a cell ending in a check: its display bundle as execute_result. */
const checkOutput = (id: string, answer: unknown): Output => ({ output_type: "execute_result", execution_count: 1, metadata: {}, data: check(id, answer)[Symbol.for("Jupyter.display")]().data });

/** Executes the submission as our kernel would have, from the answers we know it holds. */
function executed(nb: Notebook): Notebook {
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  let n = 0;
  for (const c of out.cells) {
    if (c.cell_type !== "code") continue;
    c.execution_count = ++n;
    const id = c.metadata?.exercise;
    if (id === "03.1") c.outputs = [checkOutput("03.1", (ids: number[]) => ids.slice())];
    if (id === "01.2") c.outputs = [checkOutput("01.2", (t: string) => t.replace(/ -- /g, "—"))];
    if (id === "03.2") c.outputs = [{ output_type: "error", ename: "Error", evalue: "I gave up", traceback: [] }];
  }
  return out;
}

it("src/course and kernel-ext/exercises agree on the check MIME type", () => {
  expect(CHECK_MIME).toBe(COURSE_CHECK_MIME);
});

describe("gradeNotebook", () => {
  const nb = readNotebook(SUBMISSION);

  it("scores a wrong, a right and a throwing answer, with the reasons", () => {
    const g = gradeNotebook(executed(nb), "submission.ipynb");
    expect(g).toMatchObject({ notebook: "submission.ipynb", passed: 1, total: 3 });
    expect(g.rows).toEqual([
      { id: "03.1", ok: false, message: expect.stringMatching(/mergePair.*gave \[97,97,97,98,100.*minbpe's example\.\nHint: /s) },
      { id: "01.2", ok: true, message: expect.stringContaining("em dash") },
      { id: "03.2", ok: false, message: "the answer cell raised Error: I gave up" },
    ]);
    const table = formatGrades([g]);
    expect(table).toMatch(/^notebook\s+exercise\s+ok\s+message$/m);
    expect(table).toMatch(/submission\.ipynb\s+01\.2\s+✓/);
    expect(table).toMatch(/score: 1\/3$/);
  });

  it("says when an answer cell did not run or never called check()", () => {
    const g = gradeNotebook(nb);
    expect(g.rows[0]).toEqual({ id: "03.1", ok: false, message: "the answer cell did not run (did an earlier cell fail?)" });
    const ran = executed(nb);
    ran.cells.find((c) => c.metadata?.exercise === "03.1")!.outputs = [];
    expect(gradeNotebook(ran).rows[0].message).toMatch(/no check ran: keep the line llm\.course\.check\("03\.1", \.\.\.\)/);
  });
});

describe("applySolutions", () => {
  const nb = readNotebook(SUBMISSION);
  const all = { "03.1": "A", "01.2": "B", "03.2": "C" };
  it("replaces every answer cell and nothing else", () => {
    const solved = applySolutions(nb, all);
    const cells = exerciseCells(solved);
    expect([...cells.keys()]).toEqual(["03.1", "01.2", "03.2"]);
    expect([...cells.values()].map((i) => solved.cells[i].source)).toEqual(["A", "B", "C"]);
    expect(solved.cells.filter((_, i) => ![...cells.values()].includes(i))).toEqual(nb.cells.filter((_, i) => ![...cells.values()].includes(i)));
    expect(nb.cells[3].source).not.toBe("A"); // the input is left alone
  });
  it("names missing solutions and solutions without a cell", () => {
    expect(() => applySolutions(nb, { "03.1": "A" }, "s.ipynb")).toThrow("s.ipynb: no solution for exercises 01.2, 03.2");
    expect(() => applySolutions(nb, { ...all, "09.9": "X" }, "s.ipynb")).toThrow(/solution for 09\.9 but no answer cell/);
  });
});

describe("gradeFile", () => {
  it("runs the notebook (solutions applied on request) with errors allowed, in its own folder", async () => {
    const calls: { path: string; opts: RunOptions; sources: string[] }[] = [];
    const runner: RunnerApi = {
      async runNotebook(path, opts = {}) {
        const nb = readNotebook(path);
        calls.push({ path, opts, sources: nb.cells.map((c) => String(c.source)) });
        return { path, notebook: executed(nb), outputs: [], status: "ok", seconds: 1 };
      },
    };
    const g = await gradeFile(SUBMISSION, { runner, timeout: 30 });
    expect(g).toMatchObject({ notebook: "submission.ipynb", passed: 1, total: 3, status: "ok" });
    expect(calls[0].opts).toMatchObject({ allowErrors: true, timeout: 30, cwd: join(__dirname, "..", "..", "tests", "fixtures", "grade") });
    await expect(gradeFile(SUBMISSION, { runner, withSolutions: true, solutionsDir: join(__dirname, "missing") })).rejects.toThrow(/solutions .*missing.*submission\.json/);
  });
});
