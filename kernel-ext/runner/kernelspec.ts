// Finds a kernelspec by name where Jupyter looks (jupyter_core.paths.jupyter_path order):
// $JUPYTER_PATH, the user data dir, then the system prefixes.
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

export function findKernelSpec(name: string, env: NodeJS.ProcessEnv = process.env): KernelSpec {
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
  throw new Error(
    `no kernelspec named "${name}"; looked in:\n  ${searched.join("\n  ")}\n` +
      `install ours with \`llmlab kernel install --user\` (or set JUPYTER_PATH)`,
  );
}
