// Loads the optional native addon (native/addon.cc binds the GEMM and the fused block), built by
// scripts/build-addon.js at npm install. Absent, unbuildable or without AVX2 it is simply not used: the wasm
// backend's XNNPACK (wasm SIMD) beats a scalar native loop.
import * as fs from "fs";
import * as path from "path";
import type { Gemm } from "./kernels/batch_matmul";
import type { BlockAddon } from "./kernels/block";

/** The addon: the GEMM, and the fused transformer block (absent from builds older than it). */
export interface GemmAddon extends Gemm, Partial<Omit<BlockAddon, "setThreads" | "tuneThreads" | "info">> {
  /** Sets the pool's threads for good: the block's ThreadTuner no longer changes them. */
  setThreads(n: number): void;
  /** Sets them unless setThreads has (the ThreadTuner's and the default's way). */
  tuneThreads(n: number): void;
  /**
   * poolWorkers: the threads of the persistent pool started so far (threads - 1 once a product
   * was split); pinned: whether setThreads fixed the count.
   */
  info(): { avx2: boolean; threads: number; kernel: string; poolWorkers: number; pinned: boolean };
}

type NativeAddon = Omit<GemmAddon, "tuneThreads" | "info"> & { info(): Omit<ReturnType<GemmAddon["info"]>, "pinned"> };

/** The native module with setThreads split into pinning and tuning (see GemmAddon). */
function withPinning(native: NativeAddon): GemmAddon {
  let pinned = false;
  return {
    sgemm: (...args) => native.sgemm(...args),
    ...(native.blockForward && native.blockBackward
      ? {
          blockForward: (...args: Parameters<BlockAddon["blockForward"]>) => native.blockForward!(...args),
          blockBackward: (...args: Parameters<BlockAddon["blockBackward"]>) => native.blockBackward!(...args),
        }
      : {}),
    setThreads: (n) => {
      pinned = true;
      native.setThreads(n);
    },
    tuneThreads: (n) => {
      if (!pinned) native.setThreads(n);
    },
    info: () => ({ ...native.info(), pinned }),
  };
}

export type AddonStatus = { addon: GemmAddon; reason: string } | { addon: null; reason: string };

function findBuilt(): string | null {
  // From src/backend (ts-jest) or dist/src/backend (compiled): walk up to the package root.
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const p = path.join(dir, "build", "Release", "llmlab_gemm.node");
    if (fs.existsSync(p)) return p;
    if (fs.existsSync(path.join(dir, "package.json"))) break;
  }
  return null;
}

let cached: AddonStatus | null = null;

/** The addon if it is built and this CPU has AVX2 and FMA; otherwise why not. */
export function loadGemmAddon(): AddonStatus {
  if (cached) return cached;
  const file = findBuilt();
  if (!file) {
    cached = { addon: null, reason: "native addon not built (npm install builds it; needs g++ and node headers)" };
    return cached;
  }
  try {
    const addon = withPinning(require(file) as NativeAddon); // a native module: no typings
    const info = addon.info();
    cached = info.avx2
      ? { addon, reason: `native ${info.kernel} GEMM (${file})` }
      : { addon: null, reason: "native addon built but this CPU lacks AVX2/FMA" };
  } catch (e) {
    cached = { addon: null, reason: `native addon failed to load: ${(e as Error).message}` };
  }
  return cached;
}
