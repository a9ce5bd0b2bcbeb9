// `llmlab grade` end to end: the fixture submission through the real runner and the llmlab
// kernel (installed into a temp JUPYTER_PATH, as tests/notebooks.test.ts does).
import { execFileSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { gradeFile } from "./grade";

// Needs `npm run build` first (the kernelspec points at dist/), as `npm test` does.
const ROOT = resolve(__dirname, "..", "..");
const SUBMISSION = join(ROOT, "tests", "fixtures", "grade", "submission.ipynb");

describe("grading through the runner and kernel", () => {
  let prefix = "";
  beforeAll(() => {
    prefix = mkdtempSync(join(tmpdir(), "llmlab-kernelspec-"));
    execFileSync(process.execPath, [join(ROOT, "dist/cli/llmlab.js"), "kernel", "install", "--prefix", prefix], { stdio: "pipe" });
  });
  afterAll(() => rmSync(prefix, { recursive: true, force: true }));

  it("scores a wrong answer, a right one and one that throws, and runs the cells after them", async () => {
    const out = mkdtempSync(join(tmpdir(), "llmlab-graded-"));
    try {
      const g = await gradeFile(SUBMISSION, { timeout: 120, outDir: out, env: { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter") } });
      expect(g.rows).toEqual([
        { id: "03.1", ok: false, message: expect.stringMatching(/minbpe's example\.\nHint: /) },
        { id: "01.2", ok: true, message: expect.stringContaining("em dash") },
        { id: "03.2", ok: false, message: expect.stringMatching(/^the answer cell raised Error: I gave up/) },
      ]);
      expect(g.passed).toBe(1);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 5 * 60 * 1000);
});
