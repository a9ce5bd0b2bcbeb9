// `llmlab grade` end to end on one notebook: a wrong answer, a right one and one that throws,
// through the sandboxed worker, the kernel and the trusted judge. Needs `npm run build` first.
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { checkSandbox } from "./sandbox";

const ROOT = resolve(__dirname, "..", "..");
const SUBMISSION = join(ROOT, "tests", "fixtures", "grade", "submission.ipynb");

(checkSandbox().ok ? describe : describe.skip)("llmlab grade on one notebook", () => {
  it(
    "scores a wrong answer, a right one and one that throws, and says why",
    () => {
      const out = mkdtempSync(join(tmpdir(), "llmlab-graded-"));
      try {
        let code = 0;
        try {
          execFileSync(
            process.execPath,
            [join(ROOT, "dist/cli/llmlab.js"), "grade", SUBMISSION, "--out", out, "--timeout", "120"],
            { stdio: "pipe" },
          );
        } catch (err) {
          code = (err as { status: number }).status;
        }
        expect(code).toBe(1); // not every check passed
        const g = JSON.parse(readFileSync(join(out, "grades.json"), "utf8")).grades[0];
        expect(g.rows).toEqual([
          { id: "03.1", ok: false, message: expect.stringMatching(/minbpe's example\.\nHint: /) },
          { id: "01.2", ok: true, message: expect.stringContaining("em dash") },
          { id: "03.2", ok: false, message: expect.stringMatching(/^the answer cell raised Error: I gave up/) },
        ]);
        expect(g).toMatchObject({ student: "", notebook: "submission.ipynb", passed: 1, total: 3 });
        expect(readFileSync(join(out, "submission.html"), "utf8")).toContain("the answer cell raised Error: I gave up");
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    5 * 60 * 1000,
  );
});
