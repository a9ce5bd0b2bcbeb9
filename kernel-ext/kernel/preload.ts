// The preload hook: `--preload MODULE` modules are required before the first cell.
// A module may export `preload(): PreloadResult | Promise<PreloadResult>` to set globals,
// add a line to the banner and give cells ambient TypeScript declarations for them.
// kernel-ext itself knows nothing of what is preloaded (our kernelspec preloads llmlab's API).
import * as path from "path";

export interface PreloadResult {
  /** Appended to the kernel_info banner, e.g. "tensor backend: cpu". */
  banner?: string;
  /** Declarations placed in `declare global { ... }` for cells, e.g. `const llm: typeof import("/abs/index")`. */
  declarations?: string;
}

export async function runPreloads(modules: string[]): Promise<PreloadResult[]> {
  const results: PreloadResult[] = [];
  for (const m of modules) {
    const id = m.startsWith(".") ? path.resolve(m) : m;
    let resolved: string;
    try {
      resolved = require.resolve(id, { paths: [process.cwd()] });
    } catch {
      throw new Error(`--preload ${m}: cannot find that module (expected a path or a package name)`);
    }
    const mod = require(resolved) as { preload?: () => PreloadResult | Promise<PreloadResult> };
    results.push(typeof mod.preload === "function" ? ((await mod.preload()) ?? {}) : {});
  }
  return results;
}
