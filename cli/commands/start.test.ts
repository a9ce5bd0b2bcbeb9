// The pieces of `llmlab start` and `llmlab lab` that need neither a kernel nor Jupyter.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, join, resolve } from "path";
import { HOW_TO_OPEN, onPath } from "./lab";
import { courseNotebooks, fullSizeParamsFile, packageRoot, runCourse } from "./start";

const ROOT = resolve(__dirname, "..", "..");

it("finds the repository and its notebooks in course order", () => {
  expect(packageRoot()).toBe(ROOT);
  const nbs = courseNotebooks(ROOT).map((p) => basename(p));
  expect(nbs.slice(0, 4)).toEqual([
    "00-welcome.ipynb",
    "01-data-collection.ipynb",
    "02-preprocessing.ipynb",
    "03-tokenisation.ipynb",
  ]);
  expect(nbs).toEqual([...nbs].sort((a, b) => parseInt(a) - parseInt(b)));
});

it("uses notebooks/full-size/<name>.json as the notebook's params file", () => {
  expect(fullSizeParamsFile(join(ROOT, "notebooks", "03-tokenisation.ipynb"))).toBe(
    join(ROOT, "notebooks", "full-size", "03-tokenisation.json"),
  );
  expect(fullSizeParamsFile(join(ROOT, "notebooks", "99-none.ipynb"))).toBeUndefined();
});

it("looks executables up on PATH like `which`", () => {
  const dir = mkdtempSync(join(tmpdir(), "llmlab-path-"));
  try {
    writeFileSync(join(dir, "jupyter-lab"), "#!/bin/sh\n");
    writeFileSync(join(dir, "jupyter-notebook"), "not executable");
    chmodSync(join(dir, "jupyter-lab"), 0o755);
    expect(onPath("jupyter-lab", `/nonexistent:${dir}`)).toBe(join(dir, "jupyter-lab"));
    expect(onPath("jupyter-notebook", dir)).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("explains how to open the notebooks without Jupyter", () => {
  const text = HOW_TO_OPEN("/repo");
  expect(text).toContain('"TypeScript (llmlab)"');
  expect(text).toContain("ms-toolsai.jupyter");
  expect(text).toContain("pipx install jupyterlab");
});

describe("runCourse", () => {
  let out: string;
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), "llmlab-start-"))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));
  const notebooks = courseNotebooks(ROOT).filter((p) => /\/0[1-3]-/.test(p));

  /** Stands in for `llmlab run`: records its arguments, writes a report as the runner does. */
  function fakeRun(fail: string[] = []) {
    const calls: { notebooks: string[]; opts: Record<string, unknown> }[] = [];
    const runCommand = async (nbs: string[], opts: { json?: string; paramsFile?: string }) => {
      calls.push({ notebooks: nbs.map((p) => basename(p)), opts });
      const rows = nbs.map((p) => ({
        path: p,
        status: fail.includes(basename(p)) ? "error" : "ok",
        seconds: 1,
        metrics: { params: opts.paramsFile ? basename(opts.paramsFile) : null },
      }));
      writeFileSync(opts.json!, JSON.stringify({ ok: rows.every((r) => r.status === "ok"), notebooks: rows }));
      return rows.every((r) => r.status === "ok") ? 0 : 1;
    };
    return { calls, runCommand };
  }

  it("runs the course once at CI size, with the report beside the executed notebooks", async () => {
    const { calls, runCommand } = fakeRun();
    const r = await runCourse(runCommand, notebooks, { serve: false, port: 0, out });
    expect(r).toEqual({ ok: true, report: join(out, "report.json") });
    expect(calls).toEqual([
      {
        notebooks: ["01-data-collection.ipynb", "02-preprocessing.ipynb", "03-tokenisation.ipynb"],
        opts: { out: join(out, "executed"), json: join(out, "report.json"), timeout: undefined },
      },
    ]);
  });

  it("runs each notebook with its full-size params file and merges the reports", async () => {
    const { calls, runCommand } = fakeRun(["02-preprocessing.ipynb"]);
    const r = await runCourse(runCommand, notebooks, { full: true, serve: false, port: 0, out });
    expect(r.ok).toBe(false);
    expect(calls.map((c) => [c.notebooks, c.opts.paramsFile && basename(String(c.opts.paramsFile))])).toEqual([
      [["01-data-collection.ipynb"], "01-data-collection.json"],
      [["02-preprocessing.ipynb"], "02-preprocessing.json"],
      [["03-tokenisation.ipynb"], "03-tokenisation.json"],
    ]);
    const merged = JSON.parse(readFileSync(r.report, "utf8"));
    expect(merged.ok).toBe(false);
    expect(merged.notebooks.map((n: { status: string }) => n.status)).toEqual(["ok", "error", "ok"]);
    expect(readdirSync(out).sort()).toEqual(["report.json"]); // the per-notebook parts are gone
  });
});
