// Solutions applied to answer cells, the grade table, the gradebook CSV, the sandbox's mounts,
// and finding a class's submissions. Grading itself: grade.e2e.test.ts, tests/grade-class.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { readNotebook } from "../book/notebook";
import { applySolutions, exerciseCells, formatGrades, withSolutions } from ".";
import { findSubmissions } from "./classroom";
import { GradeReport } from "./grade";
import { csvField, feedbackPage, gradebookCsv } from "./gradebook";
import { bwrapArgs } from "./sandbox";

const SUBMISSION = join(__dirname, "..", "..", "tests", "fixtures", "grade", "submission.ipynb");

const report = (student: string, rows: [string, boolean][], extra: Partial<GradeReport> = {}): GradeReport => ({
  student,
  notebook: "03-tokenisation.ipynb",
  path: `/c/${student}/03-tokenisation.ipynb`,
  rows: rows.map(([id, ok]) => ({ id, ok, message: ok ? "right" : "wrong <b>" })),
  passed: rows.filter(([, ok]) => ok).length,
  total: rows.length,
  status: "ok",
  seconds: 12.345,
  ...extra,
});

describe("withSolutions", () => {
  const nb = readNotebook(SUBMISSION);
  const dir = mkdtempSync(join(tmpdir(), "llmlab-solutions-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("leaves a notebook without answer cells as it is, solutions file or not", () => {
    const plain = { ...nb, cells: nb.cells.filter((_, i) => ![...exerciseCells(nb).values()].includes(i)) };
    expect(withSolutions(plain, join(dir, "00-welcome.ipynb"), "00-welcome.ipynb")).toBe(plain);
  });
  it("applies the solutions next to a notebook with answer cells, and names a missing file", () => {
    writeFileSync(join(dir, "sub.json"), JSON.stringify({ "03.1": "A", "01.2": "B", "03.2": "C" }));
    const solved = withSolutions(nb, join(dir, "x", "sub.ipynb"), "sub.ipynb", dir);
    expect([...exerciseCells(solved).values()].map((i) => solved.cells[i].source)).toEqual(["A", "B", "C"]);
    expect(() => withSolutions(nb, join(dir, "missing.ipynb"), "missing.ipynb")).toThrow(/solutions .*missing\.json/);
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
    expect(solved.cells.filter((_, i) => ![...cells.values()].includes(i))).toEqual(
      nb.cells.filter((_, i) => ![...cells.values()].includes(i)),
    );
    expect(nb.cells[3].source).not.toBe("A"); // the input is left alone
  });
  it("names missing solutions and solutions without a cell", () => {
    expect(() => applySolutions(nb, { "03.1": "A" }, "s.ipynb")).toThrow(
      "s.ipynb: no solution for exercises 01.2, 03.2",
    );
    expect(() => applySolutions(nb, { ...all, "09.9": "X" }, "s.ipynb")).toThrow(
      /solution for 09\.9 but no answer cell/,
    );
  });
});

describe("the gradebook", () => {
  const reports = [
    report("ada", [
      ["03.1", true],
      ["03.2", false],
    ]),
    report("=cmd", [["03.1", false]], { status: "timeout", reason: "loop" }),
  ];
  it("has nbgrader's columns, one column per exercise, one row per student", () => {
    expect(gradebookCsv(reports)).toBe(
      "student_id,notebook,03.1,03.2,score,max_score,status,seconds\n" +
        "ada,03-tokenisation.ipynb,1,0,1,2,ok,12.3\n" +
        "'=cmd,03-tokenisation.ipynb,0,,0,1,timeout,12.3\n",
    );
  });
  it("quotes as RFC 4180 says", () => {
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField(-1)).toBe("-1");
  });
  it("escapes the feedback page and shows no learner HTML", () => {
    const page = feedbackPage(reports[0], {
      cells: [
        {
          cell_type: "code",
          source: "x",
          outputs: [
            { output_type: "display_data", data: { "text/html": "<script>alert(1)</script>", "text/plain": "<i>" } },
          ],
        },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    });
    expect(page).not.toContain("<script>");
    expect(page).toContain("wrong &#60;b&#62;");
    expect(page).toContain("&#60;i&#62;");
    expect(page).toMatch(/Score 1\/2/);
  });
});

it("formats a table naming student and notebook", () => {
  const table = formatGrades([report("ada", [["03.1", true]])]);
  expect(table).toMatch(/ada\/03-tokenisation\.ipynb\s+03\.1\s+✓\s+right/);
  expect(table).toMatch(/score: 1\/1$/);
});

describe("bwrapArgs", () => {
  const dir = mkdtempSync(join(tmpdir(), "llmlab-bwrap-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("hides folders, then binds the scratch folder writable last, without network", () => {
    const [cls, out] = [join(dir, "class"), join(dir, "out")];
    const scratch = join(out, ".scratch", "s-1");
    mkdirSync(cls);
    mkdirSync(scratch, { recursive: true });
    mkdirSync(join(cls, "solutions"));
    const args = bwrapArgs({
      scratch,
      hide: [cls, join(cls, "solutions"), out, join(out, ".scratch"), join(dir, "missing")],
    }).join(" ");
    expect(args).not.toContain("solutions"); // inside a hidden folder already
    expect(args).not.toContain(`--tmpfs ${join(out, ".scratch")}`);
    expect(args).toContain(`--tmpfs ${cls}`);
    expect(args).not.toContain("missing");
    expect(args.indexOf(`--tmpfs ${out}`)).toBeLessThan(args.indexOf(`--bind ${scratch} ${scratch}`));
    expect(args).toMatch(/^--ro-bind \/ \//);
    expect(args).toContain("--unshare-all");
    expect(args).toContain(`--tmpfs ${cls} --remount-ro ${cls}`);
    expect(args).toContain(`--bind ${scratch}/tmp /tmp`);
    expect(args.indexOf(`--remount-ro ${out}`)).toBeGreaterThan(args.indexOf(`--bind ${scratch} ${scratch}`));
  });
});

describe("findSubmissions", () => {
  const dir = mkdtempSync(join(tmpdir(), "llmlab-subs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it("reads <student>/<notebook>.ipynb and single files, and refuses duplicates and empty folders", () => {
    for (const s of ["bo", "al"]) {
      mkdirSync(join(dir, "c", s), { recursive: true });
      writeFileSync(join(dir, "c", s, "03.ipynb"), "{}");
    }
    writeFileSync(join(dir, "one.ipynb"), "{}");
    mkdirSync(join(dir, "empty"));
    expect(findSubmissions([join(dir, "c"), join(dir, "one.ipynb")]).map((s) => `${s.student}:${s.notebook}`)).toEqual([
      "al:03.ipynb",
      "bo:03.ipynb",
      ":one.ipynb",
    ]);
    expect(() => findSubmissions([join(dir, "one.ipynb"), join(dir, "one.ipynb")])).toThrow(
      /two submissions of one\.ipynb/,
    );
    expect(() => findSubmissions([join(dir, "empty")])).toThrow(/no notebooks in/);
  });
});
