// Kernels for the runner tests, installed into a temp JUPYTER_PATH so tests never depend on
// what the machine has registered.
//
// KERNEL is the one line to switch once our kernel is merged into this branch: "llmlab" makes
// every runner test drive our kernel with TypeScript cells (installed by `llmlab kernel install
// --prefix`, so `npm run build` first). Until then the protocol cases run on Debian's ipykernel
// (python3-ipykernel) with Python cells, and the TypeScript-only cases (injected parameters) on
// tslab's kernel. The ipykernel-only tests (interrupt_mode message, nbclient agreement) keep
// using python3 either way.
import { execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import type { Cell, Notebook } from "../../kernel-ext/runner/nbformat";
import { PYTHON } from "../helpers/system";

export type TestKernel = "llmlab" | "python3";
export const KERNEL = "llmlab" as TestKernel;
/** The TypeScript kernel for cases that need TypeScript cells. */
export const TS_KERNEL = KERNEL === "llmlab" ? "llmlab" : "tslab";

const ROOT = resolve(__dirname, "../..");

/** What each case runs, in each kernel's language. */
export const CODE: Record<TestKernel, Record<string, string>> = {
  python3: {
    hello: 'print("hello")',
    error: 'raise ValueError("boom")',
    endless: "while True:\n    pass",
    // Ignores SIGINT so that only killing the kernel ends the cell.
    stubborn: "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    selfKill: "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
    // Alive but frozen: only the heartbeat can tell.
    freeze: "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)",
    publishA:
      'from IPython.display import display\ndisplay({"application/vnd.llmlab.metrics+json": {"loss": 2.5, "steps": 10}}, raw=True)',
    publishB: 'display({"application/vnd.llmlab.metrics+json": {"loss": 1.5, "backend": "cpu"}}, raw=True)',
  },
  llmlab: {
    hello: 'console.log("hello")',
    error: 'throw new Error("boom")',
    endless: "while (true) {}",
    stubborn: 'process.removeAllListeners("SIGINT");\nprocess.on("SIGINT", () => {});\nwhile (true) {}',
    selfKill: 'process.kill(process.pid, "SIGKILL")',
    freeze: 'process.kill(process.pid, "SIGSTOP")',
    publishA: "publish({ loss: 2.5, steps: 10 })",
    publishB: 'publish({ loss: 1.5, backend: "cpu" })',
  },
};

export const code = (name: string): string => {
  const c = CODE[KERNEL][name];
  if (c === undefined) throw new Error(`tests/runner/kernels.ts: no "${name}" snippet for ${KERNEL}`);
  return c;
};

/** A temp JUPYTER_PATH holding the test kernels; returns the env to run with. */
export function installTestKernels(): { env: NodeJS.ProcessEnv; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "llmlab-runner-test-"));
  const kernels = join(dir, "share", "jupyter", "kernels");
  const put = (name: string, spec: Record<string, unknown>) => {
    mkdirSync(join(kernels, name), { recursive: true });
    writeFileSync(join(kernels, name, "kernel.json"), JSON.stringify(spec));
  };
  const ipykernel = [PYTHON, "-m", "ipykernel_launcher", "-f", "{connection_file}"];
  put("python3", { argv: ipykernel, display_name: "Python 3", language: "python" });
  // The same kernel, interrupted with interrupt_request on the control channel instead of SIGINT.
  put("python3-message", {
    argv: ipykernel,
    display_name: "Python 3 (message interrupts)",
    language: "python",
    interrupt_mode: "message",
  });
  put("tslab", {
    argv: [
      process.execPath,
      join(ROOT, "node_modules/tslab/bin/tslab"),
      "kernel",
      "--config-path",
      "{connection_file}",
    ],
    display_name: "tslab",
    language: "typescript",
  });
  if (KERNEL === "llmlab") {
    execFileSync(process.execPath, [join(ROOT, "dist/cli/llmlab.js"), "kernel", "install", "--prefix", dir], {
      stdio: "pipe",
    });
  }
  return {
    env: { ...process.env, JUPYTER_PATH: join(dir, "share", "jupyter") },
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

let nextId = 0;
/** A code cell; tags as Jupyter stores them in metadata.tags. */
export function codeCell(source: string, tags: string[] = []): Cell {
  return {
    id: `c${nextId++}`,
    cell_type: "code",
    metadata: tags.length ? { tags } : {},
    source,
    execution_count: null,
    outputs: [],
  };
}

export function notebook(cells: Cell[], kernel: string = KERNEL): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: kernel, display_name: kernel } }, cells };
}

/** Writes `nb` into `dir` and returns its path. */
export function writeTestNotebook(dir: string, name: string, nb: Notebook): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

/**
 * Executes `path` with Jupyter's own client instead of ours: Debian's `jupyter nbconvert
 * --execute` (nbclient) on the test kernels. Returns the executed copy, theirs.ipynb in kernels.dir.
 */
export function executeWithNbclient(
  kernels: { env: NodeJS.ProcessEnv; dir: string },
  path: string,
  opts: { allowErrors?: boolean } = {},
): string {
  const flags = ["--to", "notebook", "--execute", ...(opts.allowErrors ? ["--allow-errors"] : [])];
  const out = ["--output", "theirs.ipynb", "--output-dir", kernels.dir];
  execFileSync(PYTHON, ["-m", "jupyter", "nbconvert", ...flags, ...out, path], {
    env: kernels.env,
    stdio: "pipe",
  });
  return join(kernels.dir, "theirs.ipynb");
}
