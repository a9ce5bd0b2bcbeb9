// What our wasm kernels share: the arguments tfjs passes a kernel, and the way a kernel takes
// over from a stock tfjs-backend-wasm one for the cases it makes fast, handing the rest back.
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";

/** What tfjs passes a kernel function (tfjs-core types the backend and attrs loosely). */
export type KernelArgs = { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> };

/**
 * `stock`'s kernel with `run` in front: `run` returns its outputs, or null for a case the
 * stock kernel should run. The stock setup (cwrap of its wasm function) still runs, since the
 * fallback needs it.
 */
export function overStock(
  stock: KernelConfig,
  run: (args: KernelArgs) => TensorInfo | TensorInfo[] | null,
): KernelConfig {
  return {
    kernelName: stock.kernelName,
    backendName: "wasm",
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
    kernelFunc: ((args: KernelArgs) =>
      run(args) ?? stock.kernelFunc(args as Parameters<KernelFunc>[0])) as unknown as KernelFunc,
  };
}
