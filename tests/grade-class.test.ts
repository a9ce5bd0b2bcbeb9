// `llmlab grade` on a class folder (DIR/<student>/quiz.ipynb), through bubblewrap and the
// trusted judge: a forged check record, patched checkers, a cell that writes the solutions and
// reads a classmate's notebook, an endless loop, a memory hog, and an honest learner. The cheats score 0 on what
// they cheated, nothing outside their scratch folder changes, the honest one scores full marks.
// Needs `npm run build` (the CLI in dist/) and bwrap (Debian: bubblewrap), as CI has.
import { execFile, execFileSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { checkSandbox } from "../kernel-ext/exercises/sandbox";
import { treeRss } from "../kernel-ext/exercises/watch";

const ROOT = resolve(__dirname, "..");
const CLI = join(ROOT, "dist", "cli", "llmlab.js");
const SOLUTIONS = join(ROOT, "notebooks", "solutions", "03-tokenisation.json");

const MERGE = `function mergePair(ids: number[], pair: [number, number], newId: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; ) {
    if (i < ids.length - 1 && ids[i] === pair[0] && ids[i + 1] === pair[1]) { out.push(newId); i += 2; } else out.push(ids[i++]);
  }
  return out;
}
llm.course.check("03.1", mergePair)`;
const PER_TOKEN = `function bytesPerToken(tok: { encode(t: string): number[] }, text: string): number {
  return new TextEncoder().encode(text).length / tok.encode(text).length;
}
llm.course.check("03.2", bytesPerToken)`;
const WRONG_MERGE = `function mergePair(ids: number[], pair: [number, number], newId: number): number[] { return ids.slice(); }
llm.course.check("03.1", mergePair)`;
const WRONG_PER_TOKEN = `function bytesPerToken(tok: { encode(t: string): number[] }, text: string): number { return text.length / tok.encode(text).length; }
llm.course.check("03.2", bytesPerToken)`;

const code = (id: string, source: string, exercise?: string) => ({
  cell_type: "code",
  id,
  metadata: exercise ? { exercise } : {},
  source,
  outputs: [],
  execution_count: null,
});
const quiz = (cells: object[]) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "llmlab", display_name: "TypeScript (llmlab)", language: "typescript" } },
  cells: [{ cell_type: "markdown", id: "intro", metadata: {}, source: "# Quiz" }, ...cells],
});
const SETUP = code("setup", `const greeting = "hi";`);
const answers = (merge: string, perToken: string) => [SETUP, code("a1", merge, "03.1"), code("a2", perToken, "03.2")];
/** What the instructor released (llmlab assign): the protected setup cell and two placeholders. */
const RELEASE = quiz([SETUP, code("a1", "// your mergePair\n", "03.1"), code("a2", "// your bytesPerToken\n", "03.2")]);

/** The instructor's source notebook, from which llmlab assign makes the release. */
function writeRelease(dir: string): string {
  const src = join(dir, "source");
  mkdirSync(src);
  writeFileSync(join(src, "quiz.ipynb"), JSON.stringify(RELEASE));
  return src;
}

const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");

interface Report {
  student: string;
  rows: { id: string; ok: boolean; message: string }[];
  passed: number;
  total: number;
  status: string;
  reason?: string;
}

const sandbox = checkSandbox();
const sandboxed = sandbox.ok;
// Elsewhere grading without bwrap is skipped; CI installs bubblewrap, so there it must work.
if (!sandbox.ok && process.env.CI)
  test("bubblewrap can sandbox submissions here", () => expect(sandbox).toEqual({ ok: true, tool: "bwrap" }));
(sandboxed ? describe : describe.skip)("grading a class", () => {
  const dir = mkdtempSync(join(tmpdir(), "llmlab-class-"));
  const cls = join(dir, "class");
  const out = join(dir, "out");
  const sibling = join(cls, "honest", "quiz.ipynb");
  const pwned = [join(ROOT, "pwned.txt"), join(dir, "pwned.txt"), join(cls, "pwned.txt")];
  const students: Record<string, object> = {
    // Honest, but edits a protected cell (restored before grading).
    honest: quiz([code("setup", `const greeting = "changed";`), ...answers(MERGE, PER_TOKEN).slice(1)]),
    // Shows a hand-made check record instead of answering 03.1 (and deletes the protected cell).
    forger: quiz([
      code(
        "a1",
        `({ [Symbol.for("Jupyter.display")]() { return { "application/vnd.llmlab.check+json": { id: "03.1", ok: true, message: "" }, "text/plain": "✓ 03.1" } } })`,
        "03.1",
      ),
      code("a2", PER_TOKEN, "03.2"),
    ]),
    // Makes every checker pass, then answers wrongly.
    patcher: quiz([
      code("p", `for (const ex of llm.course.exercises()) ex.check = () => ({ ok: true, message: "" });`),
      ...answers(WRONG_MERGE, WRONG_PER_TOKEN),
    ]),
    // Overwrites the solutions, drops files about, and copies a classmate's answer if it can read it.
    intruder: quiz([
      code(
        "a1",
        `import * as fs from "fs";
const tries: string[] = [];
for (const f of ${JSON.stringify([SOLUTIONS, ...pwned])}) {
  try { fs.writeFileSync(f, "{}"); tries.push("wrote " + f); } catch (e) { tries.push("write " + (e as NodeJS.ErrnoException).code); }
}
let copied = false;
try { copied = fs.readFileSync(${JSON.stringify(sibling)}, "utf8").includes("mergePair"); tries.push("read the classmate"); } catch (e) { tries.push("read " + (e as NodeJS.ErrnoException).code); }
console.log(tries.join("\\n"));
${MERGE.replace(`llm.course.check("03.1", mergePair)`, "")}
llm.course.check("03.1", copied ? mergePair : (ids: number[]) => ids.slice())`,
        "03.1",
      ),
      code("a2", PER_TOKEN, "03.2"),
    ]),
    // Answers 03.1, then allocates memory until it is stopped (50 MB every 20 ms, up to 3 GB).
    hog: quiz([
      SETUP,
      code("a1", MERGE, "03.1"),
      code(
        "h",
        "const hog: Buffer[] = [];\nfor (let i = 0; i < 60; i++) { hog.push(Buffer.alloc(50e6, 1)); await new Promise((r) => setTimeout(r, 20)); }",
      ),
      code("a2", PER_TOKEN, "03.2"),
    ]),
    // Answers 03.1, then never returns from 03.2.
    looper: quiz([SETUP, code("a1", MERGE, "03.1"), code("a2", "while (true) {}", "03.2")]),
  };
  /** `llmlab grade` of the class into `out` (30 s a cell, 1200 MB); resolves to its stderr. */
  const grade = (...options: string[]) =>
    new Promise<string>((done) =>
      execFile(
        process.execPath,
        [
          CLI,
          "grade",
          cls,
          "--out",
          out,
          "--timeout",
          "30",
          "--memory",
          "1200",
          "--assignment",
          join(dir, "release"),
        ].concat(options),
        { maxBuffer: 1 << 24 },
        (_, __, err) => done(err),
      ),
    );
  let reports: Report[] = [];
  let csv = "";
  let solutionsBefore = "";
  let stderr = "";

  beforeAll(
    async () => {
      for (const [name, nb] of Object.entries(students)) {
        mkdirSync(join(cls, name), { recursive: true });
        writeFileSync(join(cls, name, "quiz.ipynb"), JSON.stringify(nb, null, 1));
      }
      mkdirSync(join(dir, "release"));
      execFileSync(process.execPath, [
        CLI,
        "assign",
        join(writeRelease(dir), "quiz.ipynb"),
        "--out",
        join(dir, "release"),
      ]);
      solutionsBefore = sha(SOLUTIONS);
      const before = readFileSync(SOLUTIONS);
      try {
        stderr = await grade("--jobs", "2");
      } finally {
        if (sha(SOLUTIONS) !== solutionsBefore) writeFileSync(SOLUTIONS, before); // put it back, and fail below
      }
      reports = JSON.parse(readFileSync(join(out, "grades.json"), "utf8")).grades;
      csv = readFileSync(join(out, "gradebook.csv"), "utf8");
    },
    15 * 60 * 1000,
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const of = (student: string) => {
    const r = reports.find((x) => x.student === student);
    if (!r) throw new Error(`no grade for ${student}; stderr: ${stderr}`);
    return Object.fromEntries(r.rows.map((x) => [x.id, x.ok]));
  };

  it("gives the honest learner full marks", () => {
    expect(of("honest")).toEqual({ "03.1": true, "03.2": true });
  });
  it("restores protected cells that were edited or deleted, and says so", () => {
    const restored = (who: string) =>
      (reports.find((x) => x.student === who) as Report & { restored?: string[] }).restored;
    expect(restored("honest")).toEqual(["setup"]);
    expect(restored("forger")).toEqual(["setup"]);
    expect(restored("looper")).toBeUndefined();
    expect(readFileSync(join(out, "honest", "quiz.html"), "utf8")).toMatch(
      /Restored protected cells \(edited or deleted\): setup/,
    );
  });
  it("scores a forged check record 0, and the real answer beside it", () => {
    expect(of("forger")).toEqual({ "03.1": false, "03.2": true });
  });
  it("scores wrong answers 0 although the kernel's checkers were patched to pass them", () => {
    expect(of("patcher")).toEqual({ "03.1": false, "03.2": false });
  });
  it("keeps the intruder from the solutions, the checkout, the class folder and a classmate's notebook", () => {
    expect(of("intruder")).toEqual({ "03.1": false, "03.2": true });
    expect(sha(SOLUTIONS)).toBe(solutionsBefore);
    for (const f of pwned) expect(existsSync(f)).toBe(false);
    const executed = JSON.parse(readFileSync(join(out, "intruder", "quiz.ipynb"), "utf8")) as {
      cells: { outputs?: { text?: string | string[] }[] }[];
    };
    const printed = executed.cells
      .flatMap((c) => c.outputs ?? [])
      .map((o) => [o.text ?? ""].flat().join(""))
      .join("");
    expect(printed).toMatch(/read ENOENT/); // the class folder is an empty tmpfs in the sandbox
    expect(printed).not.toMatch(/read the classmate/);
    // The solutions, the checkout and the class folder are read-only; under /tmp (the test's
    // folder) a write lands in the scratch folder's tmp/, which is the sandbox's /tmp.
    expect(printed).not.toMatch(new RegExp(`wrote (${[SOLUTIONS, pwned[0], pwned[2]].join("|")})`));
    expect(printed.match(/write EROFS/g)).toHaveLength(3);
  });
  it("stops the endless loop at the cell limit and scores it 0, with the reason", () => {
    const looper = reports.find((x) => x.student === "looper")!;
    expect(of("looper")["03.2"]).toBe(false);
    expect(looper.status).toBe("timeout");
    expect(looper.reason).toMatch(/30|time/);
  });
  it("stops the submission that eats memory, and only that one", () => {
    const hog = reports.find((x) => x.student === "hog")!;
    expect(hog.status).toBe("memory");
    expect(hog.reason).toMatch(/memory limit of 1200 MB/);
    expect(of("hog")).toEqual({ "03.1": false, "03.2": false }); // the grader's cells never ran
    expect(reports.filter((x) => x.status === "memory").map((x) => x.student)).toEqual(["hog"]);
  });
  it("writes one gradebook row per student, and a feedback page each", () => {
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("student_id,notebook,03.1,03.2,score,max_score,status,seconds");
    expect(
      lines
        .slice(1)
        .map((l) => l.split(",")[0])
        .sort(),
    ).toEqual(["forger", "hog", "honest", "intruder", "looper", "patcher"]);
    expect(lines.find((l) => l.startsWith("honest,"))).toMatch(/^honest,quiz\.ipynb,1,1,2,2,ok,/);
    expect(readFileSync(join(out, "forger", "quiz.html"), "utf8")).toMatch(/Score 1\/2/);
  });
  it(
    "skips unchanged submissions when run again, and grades a changed one",
    async () => {
      writeFileSync(join(cls, "forger", "quiz.ipynb"), JSON.stringify(students.honest));
      const again = await grade();
      expect(again.match(/unchanged since last graded/g)).toHaveLength(5);
      expect(again).toMatch(/\[forger\/quiz\.ipynb\] grading/);
      expect(
        JSON.parse(readFileSync(join(out, "grades.json"), "utf8")).grades.find((r: Report) => r.student === "forger")
          .passed,
      ).toBe(2);
    },
    10 * 60 * 1000,
  );
});

test("treeRss counts this process's resident memory", () => {
  const rss = treeRss(process.pid);
  expect(rss).toBeGreaterThan(0.5 * process.memoryUsage().rss);
});
