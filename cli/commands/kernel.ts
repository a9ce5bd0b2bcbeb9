// `llmlab kernel start|install|list`: the Jupyter kernel (kernel-ext) with llmlab's API
// preloaded as `llm` in every cell (cli/kernel-preload.ts).
import { Command } from "commander";
import { ENTRY, PRELOAD } from "../own-kernel";

export function register(program: Command): void {
  const kernel = program.command("kernel").description("the llmlab Jupyter kernel (TypeScript)");

  kernel
    .command("start")
    .description("run the kernel for Jupyter (started by Jupyter through the kernelspec)")
    .requiredOption("-f, --connection-file <file>", "Jupyter connection file")
    .option(
      "--preload <module>",
      "module to load before the first cell (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .action(async (opts: { connectionFile: string; preload: string[] }) => {
      const { startKernel } = await import("../../kernel-ext/kernel/kernel");
      await startKernel({ connectionFile: opts.connectionFile, preload: opts.preload });
    });

  kernel
    .command("install")
    .description("install the kernelspec where `jupyter kernelspec install` would (no Python needed)")
    .option("--user", "install for the current user (~/.local/share/jupyter)")
    .option("--prefix <dir>", "install into <dir>/share/jupyter/kernels")
    .option("--name <name>", "kernel name", "llmlab")
    .option("--no-preload", "do not preload llmlab's API as `llm`")
    .action(async (opts: { user?: boolean; prefix?: string; name: string; preload: boolean }) => {
      const { installKernelSpec, kernelSpec } = await import("../../kernel-ext/kernel/kernelspec");
      const dir = installKernelSpec(kernelSpec(ENTRY, opts.preload ? [PRELOAD] : []), opts);
      console.log(`Installed kernelspec ${opts.name} in ${dir}`);
    });

  kernel
    .command("list")
    .description("list the Jupyter kernelspecs found (as `jupyter kernelspec list`)")
    .action(async () => {
      const { listKernelSpecs } = await import("../../kernel-ext/kernel/kernelspec");
      const specs = listKernelSpecs();
      if (specs.length === 0) console.log("No kernelspecs found.");
      const width = Math.max(0, ...specs.map((s) => s.name.length));
      for (const s of specs) console.log(`  ${s.name.padEnd(width)}    ${s.dir}`);
    });
}
