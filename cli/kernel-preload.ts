// Preloaded by our kernelspec (`llmlab kernel start --preload`): the public API of src/
// as the global `llm`, with the tensor backend initialised so the banner names it.
import * as path from "path";
import type { PreloadResult } from "../kernel-ext/kernel/preload";

const INDEX = path.resolve(__dirname, "..", "src", "index");

export async function preload(): Promise<PreloadResult> {
  const llm = require(INDEX) as typeof import("../src/index");
  (globalThis as { llm?: unknown }).llm = llm;
  const backend = await llm.backend.initBackend();
  return {
    banner: `tensor backend: ${backend.name} (${backend.reason})`,
    declarations: `const llm: typeof import(${JSON.stringify(INDEX)});`,
  };
}
