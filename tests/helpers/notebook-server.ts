// A Jupyter Notebook server (Debian's jupyter-notebook, classic Notebook 6.4) for the front-end
// tests: our kernelspec installed into a temp prefix, every Jupyter dir in a temp folder (no
// user config is read, nothing is written to the user's dirs), a random token, loopback only.
import { ChildProcess, execFileSync, spawn } from "child_process";
import { randomBytes } from "crypto";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { basename, join, resolve } from "path";
import { PYTHON } from "./system";

const ROOT = resolve(__dirname, "../..");

export interface NotebookServer {
  /** http://127.0.0.1:PORT/ (with the trailing slash) */
  url: string;
  token: string;
  /** The folder the server shows (copies of the notebooks: the UI may autosave them). */
  dir: string;
  /** The server's own log so far. */
  log(): string;
  /** Authenticated REST call against the server. */
  api(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? ok(addr.port) : fail(new Error("no free port"))));
    });
  });
}

export interface NotebookServerOptions {
  /**
   * Folders the server serves under /static/ before its own files (NotebookApp.extra_static_paths):
   * a test's page then comes from the server's own origin, with no CORS and no sandboxing CSP
   * (the server's /files/ route sandboxes HTML into a unique origin).
   */
  staticDirs?: string[];
}

/** Starts the server on `notebooks` (copied into its folder); resolves once its API answers. */
export async function startNotebookServer(
  notebooks: string[] = [],
  options: NotebookServerOptions = {},
): Promise<NotebookServer> {
  const home = mkdtempSync(join(tmpdir(), "llmlab-notebook-server-"));
  const dir = join(home, "notebooks");
  mkdirSync(dir);
  for (const nb of notebooks) copyFileSync(nb, join(dir, basename(nb)));
  const prefix = join(home, "prefix");
  execFileSync(process.execPath, [join(ROOT, "dist/cli/llmlab.js"), "kernel", "install", "--prefix", prefix], {
    stdio: "pipe",
  });
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const env = {
    ...process.env,
    JUPYTER_PATH: join(prefix, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: join(home, "config"),
    JUPYTER_DATA_DIR: join(home, "data"),
    JUPYTER_RUNTIME_DIR: join(home, "runtime"),
    IPYTHONDIR: join(home, "ipython"),
  };
  const args = [
    "-m",
    "notebook",
    "--no-browser",
    "--allow-root",
    "--ip=127.0.0.1",
    `--port=${port}`,
    "--port-retries=0",
    `--NotebookApp.token=${token}`,
    `--notebook-dir=${dir}`,
    ...(options.staticDirs ?? []).map((d) => `--NotebookApp.extra_static_paths=${d}`),
  ];
  // cwd: kernels started without a notebook path (the REST API) run in the server's own folder.
  const proc: ChildProcess = spawn(PYTHON, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(new URL(path, url), { ...init, headers: { Authorization: `token ${token}`, ...(init.headers ?? {}) } });
  const stop = async () => {
    // Kernels first (the server would too on SIGTERM, but a kernel must never outlive the test).
    try {
      const kernels = (await (await api("api/kernels")).json()) as { id: string }[];
      await Promise.all(kernels.map((k) => api(`api/kernels/${k.id}`, { method: "DELETE" })));
    } catch {
      // the server is gone already
    }
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    }
    rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`jupyter notebook exited (${proc.exitCode}):\n${log}`);
    try {
      if ((await api("api/status")).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyter notebook did not answer within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, token, dir, log: () => log, api, stop };
}
