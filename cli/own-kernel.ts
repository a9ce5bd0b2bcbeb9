// This checkout's kernel: `llmlab kernel start` with llmlab's API preloaded, as the kernelspec
// that `llmlab kernel install` writes. Registered as the runner's built-in "llmlab" kernel, so
// `llmlab run`, `llmlab grade`, `npm start`, the tests and the benches need no installed
// kernelspec; one installed under that name (or --kernel NAME) still wins.
import * as path from "path";
import { DEFAULT_KERNEL_NAME, kernelSpec } from "../kernel-ext/kernel/kernelspec";
import { KernelSpec, registerBuiltinKernelSpec } from "../kernel-ext/runner/kernelspec";

/** dist/cli: this file's folder once compiled; from the TypeScript source (jest), the build's. */
const CLI_DIR =
  path.basename(path.dirname(__dirname)) === "dist" ? __dirname : path.resolve(__dirname, "..", "dist", "cli");
export const ENTRY = path.join(CLI_DIR, "llmlab.js");
export const PRELOAD = path.join(CLI_DIR, "kernel-preload.js");

/** The kernelspec as Jupyter would read it from kernel.json (resource_dir: the CLI's folder). */
export function ownKernelSpec(opts: { preload?: boolean } = {}): KernelSpec {
  return {
    ...kernelSpec(ENTRY, opts.preload === false ? [] : [PRELOAD]),
    name: DEFAULT_KERNEL_NAME,
    resourceDir: CLI_DIR,
  };
}

export function registerOwnKernel(): void {
  registerBuiltinKernelSpec(ownKernelSpec());
}
