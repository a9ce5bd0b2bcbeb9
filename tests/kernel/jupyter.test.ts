// The kernel as Jupyter itself sees it: our kernelspec installed into a temp prefix, then
// Debian's jupyter_kernel_test suite (tests/kernel_test.py) and nbconvert --execute.
// Needs Debian packages python3-jupyter-kernel-test and jupyter-nbconvert (tests/helpers/system.ts).
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { IPYKERNEL, KERNEL_TEST, NBCLIENT, NBCONVERT, PYTHON, systemPackages } from "../helpers/system";

const ROOT = path.resolve(__dirname, "../..");
const withKernelTest = systemPackages(__filename, KERNEL_TEST, IPYKERNEL);
const withNbconvert = systemPackages(__filename, NBCONVERT, NBCLIENT);
let prefix: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  prefix = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-kernelspec-"));
  execFileSync(process.execPath, [path.join(ROOT, "dist/cli/llmlab.js"), "kernel", "install", "--prefix", prefix]);
  env = { ...process.env, JUPYTER_PATH: path.join(prefix, "share", "jupyter") };
});

afterAll(() => fs.rmSync(prefix, { recursive: true, force: true }));

test("kernel install --prefix writes kernel.json where Jupyter looks", () => {
  const spec = JSON.parse(fs.readFileSync(path.join(prefix, "share/jupyter/kernels/llmlab/kernel.json"), "utf8"));
  expect(spec.display_name).toBe("TypeScript (llmlab)");
  expect(spec.language).toBe("typescript");
  expect(spec.argv[0]).toBe(process.execPath);
  expect(spec.argv).toContain("{connection_file}");
  const listed = execFileSync(process.execPath, [path.join(ROOT, "dist/cli/llmlab.js"), "kernel", "list"], {
    env,
  }).toString();
  expect(listed).toMatch(/llmlab\s+.*share\/jupyter\/kernels\/llmlab/);
});

(withKernelTest ? test : test.skip)(
  "jupyter_kernel_test passes in full",
  () => {
    const r = spawnSync(PYTHON, ["-m", "unittest", "-v", "tests/kernel_test.py"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
      timeout: 240000,
    });
    const report = r.stderr + r.stdout;
    // Every sample set is defined (the pager too: `name?`), so nothing is skipped.
    expect(report).toMatch(/\nOK\n/);
    expect(report).toMatch(/Ran 12 tests/);
    expect(report).not.toMatch(/skipped/);
    expect(r.status).toBe(0);
  },
  300000,
);

(withNbconvert ? test : test.skip)(
  "nbconvert --execute saves a result, plotly display, metrics and a mapped error",
  () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "llmlab-nbconvert-"));
    const fixture = path.join(ROOT, "tests/fixtures/kernel-smoke.ipynb");
    const r = spawnSync(
      PYTHON,
      ["-m", "nbconvert", "--to", "notebook", "--execute", fixture, "--output-dir", out, "--output", "out.ipynb"],
      { env, encoding: "utf8", timeout: 120000 },
    );
    expect(r.stderr).toMatch(/Writing \d+ bytes/);
    type Output = {
      output_type: string;
      data?: Record<string, unknown>;
      execution_count?: number;
      ename?: string;
      traceback?: string[];
    };
    const nb = JSON.parse(fs.readFileSync(path.join(out, "out.ipynb"), "utf8")) as {
      cells: { cell_type: string; outputs?: Output[] }[];
    };
    fs.rmSync(out, { recursive: true, force: true });
    const [result, plot, error, after, llm] = nb.cells
      .filter((c) => c.cell_type === "code")
      .map((c) => c.outputs ?? []);

    expect(result).toEqual([
      { output_type: "execute_result", execution_count: 1, data: { "text/plain": ["42"] }, metadata: {} },
    ]);
    const figure = plot.find((o) => o.output_type === "display_data" && o.data?.["application/vnd.plotly.v1+json"]);
    expect(figure?.data?.["text/html"]).toBeDefined();
    const metrics = plot.find((o) => o.data?.["application/vnd.llmlab.metrics+json"]);
    expect(metrics?.data?.["application/vnd.llmlab.metrics+json"]).toEqual({ answer: 42 });
    // The raises-exception cell throws on its line 3, called from its line 6.
    expect(error).toHaveLength(1);
    expect(error[0]).toMatchObject({ output_type: "error", ename: "RangeError" });
    expect(error[0].traceback).toEqual([
      "RangeError: division by zero",
      "    at divide (In[3]:3:22)",
      "    at In[3]:6:1",
    ]);
    expect(after[0]).toMatchObject({ output_type: "stream", text: ["after the error 21\n"] });
    expect(llm[0]).toMatchObject({ output_type: "execute_result", data: { "text/plain": ["'function'"] } });
  },
  180000,
);
