// Failing cells, raises-exception, --allow-errors, skip-execution: through a real kernel.
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { runCommand } from "../../cli/commands/run";
import { runNotebook } from "../../kernel-ext/runner";
import { code, codeCell, installTestKernels, notebook, writeTestNotebook } from "./kernels";

const kernels = installTestKernels();
afterAll(() => kernels.cleanup());
const opts = { env: kernels.env };

test("a failing cell stops the run; the notebook is still written with the error, the cell located", async () => {
  const path = writeTestNotebook(
    kernels.dir,
    "fails.ipynb",
    notebook([codeCell(code("hello")), codeCell(code("error")), codeCell(code("hello"))]),
  );
  const outPath = join(kernels.dir, "fails.out.ipynb");
  const r = await runNotebook(path, { ...opts, outPath });
  expect(r.status).toBe("error");
  expect(r.cells.map((c) => c.status)).toEqual(["ok", "error", "not-run"]);
  expect(r.failure?.cell).toBe(1);
  expect(r.failure?.message).toContain("fails.ipynb: cell 2");
  expect(r.failure?.message).toContain(code("error").split("\n")[0]);
  expect(r.failure?.evalue).toContain("boom");

  const written = JSON.parse(readFileSync(outPath, "utf8"));
  expect(written.cells[0].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["hello\n"] }]);
  const err = written.cells[1].outputs.find((o: { output_type: string }) => o.output_type === "error");
  expect(err.evalue).toContain("boom");
  expect(written.cells[2].outputs).toEqual([]);
  expect(written.cells[2].execution_count).toBeNull();
});

test("`llmlab run` exits non-zero on a failing cell and reports it in --json", async () => {
  const path = writeTestNotebook(kernels.dir, "cli-fails.ipynb", notebook([codeCell(code("error"))]));
  const out = join(kernels.dir, "cli-out");
  const json = join(kernels.dir, "report.json");
  let stdout = "";
  let stderr = "";
  const prev = process.env.JUPYTER_PATH;
  process.env.JUPYTER_PATH = kernels.env.JUPYTER_PATH;
  try {
    const code_ = await runCommand([path], { out, json }, { out: (s) => (stdout += s), err: (s) => (stderr += s) });
    expect(code_).toBe(1);
  } finally {
    process.env.JUPYTER_PATH = prev;
  }
  expect(existsSync(join(out, "cli-fails.ipynb"))).toBe(true);
  expect(stderr).toContain("cli-fails.ipynb: cell 1");
  expect(stderr).toContain("[cli-fails.ipynb] cell 1/1");
  expect(stdout).toMatch(/cli-fails\.ipynb\s+error/);
  const report = JSON.parse(readFileSync(json, "utf8"));
  expect(report.ok).toBe(false);
  expect(report.notebooks[0]).toMatchObject({
    status: "error",
    cells: { total: 1, executed: 1, failed: 1 },
    failure: { cell: 0 },
  });
});

test("a cell tagged raises-exception may fail; the run goes on", async () => {
  const path = writeTestNotebook(
    kernels.dir,
    "raises.ipynb",
    notebook([codeCell(code("error"), ["raises-exception"]), codeCell(code("hello"))]),
  );
  const r = await runNotebook(path, opts);
  expect(r.status).toBe("ok");
  expect(r.cells.map((c) => c.status)).toEqual(["error", "ok"]);
  expect(
    r.notebook.cells[0].cell_type === "code" && r.notebook.cells[0].outputs.some((o) => o.output_type === "error"),
  ).toBe(true);
});

test("allowErrors runs every cell and reports success", async () => {
  const path = writeTestNotebook(
    kernels.dir,
    "allow.ipynb",
    notebook([codeCell(code("error")), codeCell(code("hello"))]),
  );
  const r = await runNotebook(path, { ...opts, allowErrors: true });
  expect(r.status).toBe("ok");
  expect(r.cells.map((c) => c.status)).toEqual(["error", "ok"]);
});

test("cells tagged skip-execution are not sent to the kernel and keep their outputs", async () => {
  const skipped = codeCell(code("error"), ["skip-execution"]);
  if (skipped.cell_type === "code") skipped.outputs = [{ output_type: "stream", name: "stdout", text: "kept\n" }];
  const path = writeTestNotebook(
    kernels.dir,
    "skip.ipynb",
    notebook([codeCell(code("hello")), skipped, codeCell(code("hello"))]),
  );
  const r = await runNotebook(path, opts);
  expect(r.status).toBe("ok");
  expect(r.cells.map((c) => [c.status, c.executionCount])).toEqual([
    ["ok", 1],
    ["skipped", null],
    ["ok", 2],
  ]);
  expect(r.notebook.cells[1].cell_type === "code" && r.notebook.cells[1].outputs).toEqual([
    { output_type: "stream", name: "stdout", text: "kept\n" },
  ]);
});

test("an unknown kernelspec is a clear error naming where we looked", async () => {
  const path = writeTestNotebook(kernels.dir, "nokernel.ipynb", notebook([codeCell(code("hello"))], "no-such-kernel"));
  await expect(runNotebook(path, opts)).rejects.toThrow(/no kernelspec named "no-such-kernel"; looked in/);
});
