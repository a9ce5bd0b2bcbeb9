// A notebook whose kernelspec is "llmlab" runs on this checkout's kernel when no kernelspec of
// that name is installed (a fresh clone: no setup step), and an installed one still wins.
// Through the `llmlab` command itself, with a Jupyter data dir that holds nothing.
import { execFileSync, spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { codeCell, notebook, writeTestNotebook } from "./kernels";

const CLI = resolve(__dirname, "../../dist/cli/llmlab.js");
const dir = mkdtempSync(join(tmpdir(), "llmlab-own-kernel-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** No JUPYTER_PATH and an empty user data dir: only system dirs, where tests never install. */
const bare = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_DATA_DIR: mkdtempSync(join(dir, "data-")) };
  delete env.JUPYTER_PATH;
  return env;
};

function run(nb: string, env: NodeJS.ProcessEnv): { status: number | null; stderr: string; results: string[] } {
  const out = mkdtempSync(join(dir, "out-"));
  const r = spawnSync(process.execPath, [CLI, "run", nb, "--out", out], { env, encoding: "utf8", timeout: 120000 });
  const executed = JSON.parse(readFileSync(join(out, "nb.ipynb"), "utf8")) as {
    cells: { outputs: { output_type: string; data?: Record<string, string[]> }[] }[];
  };
  const results = executed.cells.flatMap((c) =>
    c.outputs.filter((o) => o.output_type === "execute_result").map((o) => (o.data?.["text/plain"] ?? []).join("")),
  );
  return { status: r.status, stderr: r.stderr, results };
}

test("with no kernelspec installed, `llmlab run` starts this checkout's kernel, preload included; stray errors do not end it", () => {
  const nb = writeTestNotebook(
    mkdtempSync(join(dir, "nb-")),
    "nb.ipynb",
    notebook(
      [
        codeCell("const keep = 41;"),
        codeCell('Promise.reject(new Error("forgot an await")); 1'),
        codeCell('void setTimeout(() => { throw new Error("late") }, 10);'),
        codeCell("await new Promise((r) => setTimeout(r, 200));\nkeep + 1"),
        codeCell("typeof llm"),
      ],
      "llmlab",
    ),
  );
  const r = run(nb, bare());
  expect(r.stderr).not.toMatch(/no kernelspec/);
  expect(r.status).toBe(0);
  expect(r.results).toEqual(["1", "42", "'object'"]);
}, 180000);

test("an installed kernelspec named llmlab wins over the built-in one", () => {
  const prefix = mkdtempSync(join(dir, "prefix-"));
  // Installed without the preload: `llm` is not defined there, so we can tell the two apart.
  execFileSync(process.execPath, [CLI, "kernel", "install", "--prefix", prefix, "--no-preload"], { stdio: "pipe" });
  const nb = writeTestNotebook(
    mkdtempSync(join(dir, "nb-")),
    "nb.ipynb",
    notebook([codeCell("typeof (globalThis as { llm?: unknown }).llm")], "llmlab"),
  );
  const r = run(nb, { ...bare(), JUPYTER_PATH: join(prefix, "share", "jupyter") });
  expect(r.status).toBe(0);
  expect(r.results).toEqual(["'undefined'"]);
}, 120000);
