// The pieces of `llmlab start` and `llmlab lab` that need neither a kernel nor Jupyter.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, join, resolve } from "path";
import { HOW_TO_OPEN, onPath } from "./lab";
import { courseNotebooks, fullSizeParamsFile, packageRoot } from "./start";

const ROOT = resolve(__dirname, "..", "..");

it("finds the repository and its notebooks in course order", () => {
  expect(packageRoot()).toBe(ROOT);
  const nbs = courseNotebooks(ROOT).map((p) => basename(p));
  expect(nbs.slice(0, 3)).toEqual(["01-data-collection.ipynb", "02-preprocessing.ipynb", "03-tokenisation.ipynb"]);
  expect(nbs).toEqual([...nbs].sort((a, b) => parseInt(a) - parseInt(b)));
});

it("uses notebooks/full-size/<name>.json as the notebook's params file", () => {
  expect(fullSizeParamsFile(join(ROOT, "notebooks", "03-tokenisation.ipynb"))).toBe(join(ROOT, "notebooks", "full-size", "03-tokenisation.json"));
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
