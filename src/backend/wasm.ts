// The wasm backend (@tensorflow/tfjs-backend-wasm 4.22.0, XNNPACK compiled to wasm SIMD),
// stock or with our kernels: BatchMatMul (explicit transposes, per-batch XNNPACK, or the
// native GEMM addon), UnsortedSegmentSum (missing in 4.22.0), an Identity (and a
// same-dtype Cast) that share their buffer, faster Pow, Tanh, Sum, SplitV and GatherV2, the
// fused layer norm, GELU, causal softmax and cross-entropy of ./fused, and (with the addon)
// the whole transformer block of ./block. Kernels are
// registered for backendName 'wasm' in tfjs-core's global kernel registry, replacing the
// stock ones; switching back restores them.
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs-core";
import { batchMatMulConfig } from "./kernels/batch_matmul";
import { castConfig, identityConfig } from "./kernels/identity";
import { gatherConfig } from "./kernels/gather";
import { powConfig, tanhConfig } from "./kernels/elementwise";
import { sumConfig } from "./kernels/sum";
import { splitVConfig } from "./kernels/split";
import { unsortedSegmentSumConfig } from "./kernels/unsorted_segment_sum";
import { loadGemmAddon } from "./addon";
import { BLOCK, BLOCK_GRAD, blockKernelConfigs, type BlockAddon } from "./kernels/block";
import { fusedKernelConfigs, simdKernelConfigs } from "./fused";
import { loadSimd } from "./simd";
import { asWasm } from "./wasm_heap";

export type WasmMode = "stock" | "fast" | "fast+addon";

export interface WasmInfo {
  mode: WasmMode;
  matmul: string;
  /** Why the addon is or is not used (set whenever mode is not 'stock'). */
  addon?: string;
  /** Whether layer norm, GELU and the attention softmax run as fused SIMD kernels, and why not. */
  fused?: string;
}

const PATCHED = [
  "BatchMatMul",
  "Identity",
  "UnsortedSegmentSum",
  "Cast",
  "Pow",
  "Tanh",
  "Sum",
  "SplitV",
  "GatherV2",
  ...fusedKernelConfigs.map((c) => c.kernelName),
  BLOCK,
  BLOCK_GRAD,
];
let stock: Map<string, tf.KernelConfig | undefined> | null = null;
let pathsSet = false;

function loadPackage(): void {
  // Loaded lazily: importing it registers a 'wasm' backend of higher priority than 'cpu'.
  const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
  if (!pathsSet) {
    // The .wasm binaries ship in the package's dist/; point there so nothing is fetched.
    const dist =
      path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
    wasm.setWasmPaths(dist);
    pathsSet = true;
  }
  if (!stock) stock = new Map(PATCHED.map((k) => [k, tf.getKernel(k, "wasm")]));
}

function replace(config: tf.KernelConfig | undefined, name: string): void {
  if (tf.getKernel(name, "wasm")) tf.unregisterKernel(name, "wasm");
  if (config) tf.registerKernel(config);
}

/** All cores: the GEMM's pool workers spin 100 us after a job, then block, so an idle one costs nothing. */
export function defaultThreads(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

/**
 * Makes 'wasm' the tfjs backend, with our kernels unless mode is 'stock'. Asking for
 * 'fast+addon' when the addon is unavailable falls back to 'fast' and says why.
 */
export async function useWasm(mode: WasmMode = "fast+addon", opts: { threads?: number } = {}): Promise<WasmInfo> {
  loadPackage();
  const orig = stock!;
  let info: WasmInfo;
  if (mode === "stock") {
    // Stock kernels, and no fused ones (their ops fall back to tfjs ops). UnsortedSegmentSum
    // stays ours: without it tf.gather has no gradient on wasm and no GPT could train at all.
    for (const k of PATCHED) if (k !== "UnsortedSegmentSum") replace(orig.get(k), k);
    replace(unsortedSegmentSumConfig, "UnsortedSegmentSum");
    info = { mode, matmul: "stock tfjs-backend-wasm (XNNPACK only for untransposed unbatched inputs)" };
  } else {
    const status = mode === "fast+addon" ? loadGemmAddon() : { addon: null, reason: "addon not requested" };
    const threads = opts.threads ?? defaultThreads();
    // Threads the caller chose are pinned; the default (all cores) is the ThreadTuner's to change.
    if (opts.threads !== undefined) status.addon?.setThreads(threads);
    else status.addon?.tuneThreads(threads);
    replace(batchMatMulConfig(status.addon), "BatchMatMul");
    replace(identityConfig(orig.get("Identity")!), "Identity");
    replace(castConfig(orig.get("Cast")!), "Cast");
    replace(powConfig(orig.get("Pow")!), "Pow");
    replace(tanhConfig(orig.get("Tanh")!), "Tanh");
    replace(sumConfig(orig.get("Sum")!), "Sum");
    replace(splitVConfig(orig.get("SplitV")!), "SplitV");
    replace(gatherConfig(orig.get("GatherV2")!), "GatherV2");
    replace(unsortedSegmentSumConfig, "UnsortedSegmentSum");
    for (const c of fusedKernelConfigs) replace(c, c.kernelName);
    // The fused transformer block lives in the addon: without it the model's tfjs ops run.
    const addon = status.addon;
    const block = addon?.blockForward && addon.blockBackward ? blockKernelConfigs(addon as BlockAddon) : [];
    // Threads not pinned (LLMLAB_THREADS, initBackend's threads) are timed (thread_tuner.ts).
    const tuned = !!addon && !addon.info().pinned && threads > 1;
    replace(block[0], BLOCK);
    replace(block[1], BLOCK_GRAD);
    info = status.addon
      ? {
          mode: "fast+addon",
          matmul: `${status.addon.info().kernel}, ${threads} thread(s)${tuned ? " (1 while that times faster)" : ""}`,
          addon: status.reason,
        }
      : { mode: "fast", matmul: "XNNPACK (wasm SIMD), per batch", addon: status.reason };
  }
  // setBackend re-runs every kernel's setupFunc, so replaced kernels are wired to the module.
  if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend failed to initialise");
  await tf.ready();
  if (mode !== "stock") {
    // The SIMD module binds to the backend's memory, which exists only now.
    const s = loadSimd(asWasm(tf.backend()));
    info.fused = s.reason;
    if (!s.kernels) for (const c of simdKernelConfigs) replace(undefined, c.kernelName);
  }
  return info;
}
