// Finds a kernelspec by name where Jupyter looks (jupyter_core.paths.jupyter_path order):
// $JUPYTER_PATH, the user data dir, then the system prefixes. Where none of that name is
// installed, a built-in spec registered under that name (the application's own kernel, which
// kernel-ext does not know) is used, so a fresh checkout runs its notebooks with no setup step.
import { existsSync, readFileSync } from "fs";
import { homedir } from "os";
import { delimiter, join } from "path";

export interface KernelSpec {
  name: string;
  /** The folder holding kernel.json ({resource_dir} in argv). */
  resourceDir: string;
  argv: string[];
  display_name: string;
  language: string;
  env?: Record<string, string>;
  /** "signal" (SIGINT, Jupyter's default) or "message" (interrupt_request on control). */
  interrupt_mode?: "signal" | "message";
  metadata?: Record<string, unknown>;
}

export function jupyterDataPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const paths: string[] = [];
  if (env.JUPYTER_PATH) paths.push(...env.JUPYTER_PATH.split(delimiter).filter(Boolean));
  const dataHome = env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  paths.push(env.JUPYTER_DATA_DIR || join(dataHome, "jupyter"));
  paths.push("/usr/local/share/jupyter", "/usr/share/jupyter");
  return paths;
}

const builtins = new Map<string, KernelSpec>();

/** `spec` answers for `spec.name` when no kernelspec of that name is installed. */
export function registerBuiltinKernelSpec(spec: KernelSpec): void {
  builtins.set(spec.name.toLowerCase(), spec);
}

export function builtinKernelSpec(name: string): KernelSpec | undefined {
  return builtins.get(name.toLowerCase());
}

export function findKernelSpec(name: string, env: NodeJS.ProcessEnv = process.env): KernelSpec {
  const installed = findInstalledKernelSpec(name, env);
  if (installed) return installed;
  const builtin = builtinKernelSpec(name);
  if (builtin) return builtin;
  const searched = jupyterDataPaths(env).map((p) => join(p, "kernels", name.toLowerCase()));
  throw new Error(
    `no kernelspec named "${name}"; looked in:\n  ${searched.join("\n  ")}\n` +
      `install it (for ours: \`llmlab kernel install --user\`), set JUPYTER_PATH, or pick another with --kernel NAME`,
  );
}

/** The installed kernelspec of that name, first on Jupyter's path; undefined where none is. */
export function findInstalledKernelSpec(name: string, env: NodeJS.ProcessEnv = process.env): KernelSpec | undefined {
  const searched = jupyterDataPaths(env).map((p) => join(p, "kernels", name.toLowerCase()));
  for (const dir of searched) {
    const file = join(dir, "kernel.json");
    if (!existsSync(file)) continue;
    const spec = JSON.parse(readFileSync(file, "utf8")) as Omit<KernelSpec, "name" | "resourceDir">;
    if (!Array.isArray(spec.argv) || spec.argv.length === 0 || !spec.argv.every((a) => typeof a === "string")) {
      throw new Error(`kernelspec ${file}: "argv" must be a non-empty array of strings`);
    }
    return { ...spec, name, resourceDir: dir };
  }
  return undefined;
}
