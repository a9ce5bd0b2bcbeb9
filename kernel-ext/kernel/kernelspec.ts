// Kernelspec install / list, where `jupyter kernelspec install` would put it, without Python.
// Directories follow jupyter_core.paths on POSIX: user = $JUPYTER_DATA_DIR or
// $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter; system = /usr/local/share/jupyter
// (then /usr/share/jupyter); --prefix P = P/share/jupyter; $JUPYTER_PATH comes first.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const DEFAULT_KERNEL_NAME = "llmlab";
export const DISPLAY_NAME = "TypeScript (llmlab)";

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal" | "message";
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

export function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  const xdg = process.env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share");
  return path.join(xdg, "jupyter");
}

export const SYSTEM_DIRS = ["/usr/local/share/jupyter", "/usr/share/jupyter"];

/** Where Jupyter looks for data (kernels/ inside each), in its order. */
export function jupyterPath(): string[] {
  const fromEnv = (process.env.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean);
  return [...new Set([...fromEnv, userDataDir(), ...SYSTEM_DIRS])];
}

export function kernelsDir(opts: { user?: boolean; prefix?: string }): string {
  if (opts.user && opts.prefix) throw new Error("kernel install: use either --user or --prefix, not both");
  if (opts.prefix) return path.join(path.resolve(opts.prefix), "share", "jupyter", "kernels");
  if (opts.user) return path.join(userDataDir(), "kernels");
  return path.join(SYSTEM_DIRS[0], "kernels");
}

/** The spec that starts `entry` (llmlab's CLI) with this Node, preloading `preload`. */
export function kernelSpec(entry: string, preload: string[]): KernelSpec {
  return {
    argv: [
      process.execPath,
      entry,
      "kernel",
      "start",
      "-f",
      "{connection_file}",
      ...preload.flatMap((p) => ["--preload", p]),
    ],
    display_name: DISPLAY_NAME,
    language: "typescript",
    // interrupt_request on the control channel; the kernel turns it into SIGINT itself.
    interrupt_mode: "message",
    metadata: { debugger: false },
  };
}

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<rect width="64" height="64" rx="8" fill="#3178c6"/>
<text x="32" y="42" font-family="sans-serif" font-size="26" font-weight="bold" fill="#fff" text-anchor="middle">LL</text>
</svg>
`;

/** Writes <dir>/<name>/kernel.json (atomically) and a logo; returns the kernel's directory. */
export function installKernelSpec(spec: KernelSpec, opts: { user?: boolean; prefix?: string; name?: string }): string {
  const name = opts.name ?? DEFAULT_KERNEL_NAME;
  if (!/^[a-z0-9._-]+$/i.test(name))
    throw new Error(`kernel install --name: "${name}" is not a valid kernel name (letters, digits, . _ -)`);
  const dir = path.join(kernelsDir(opts), name.toLowerCase());
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`kernel install: cannot create ${dir} (${(err as Error).message}); try --user or --prefix`);
  }
  writeAtomic(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  writeAtomic(path.join(dir, "logo-svg.svg"), LOGO_SVG);
  return dir;
}

export function listKernelSpecs(): { name: string; dir: string }[] {
  const found = new Map<string, string>();
  for (const base of jupyterPath()) {
    const kernels = path.join(base, "kernels");
    let names: string[];
    try {
      names = fs.readdirSync(kernels);
    } catch {
      continue;
    }
    for (const n of names.sort()) {
      const dir = path.join(kernels, n);
      if (!found.has(n.toLowerCase()) && fs.existsSync(path.join(dir, "kernel.json"))) found.set(n.toLowerCase(), dir);
    }
  }
  return [...found].map(([name, dir]) => ({ name, dir }));
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
