// Identity for the wasm backend: share the input's buffer (as Reshape already does)
// instead of copying it. Tensors are immutable, so sharing is safe; tfjs calls Identity
// for every tf.clone, every gradient pass-through and every variable read in a step.
import { Cast, Identity, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { asWasm } from "../wasm_heap";

export function identityConfig(stock: KernelConfig): KernelConfig {
  return {
    kernelName: Identity,
    backendName: "wasm",
    // The stock kernel is our fallback, so its setup (cwrap of its wasm function) must still run.
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
    kernelFunc: ((args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }) => {
      const { x } = args.inputs;
      if (x.dtype === "string") return stock.kernelFunc(args as Parameters<KernelFunc>[0]);
      asWasm(args.backend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }) as unknown as KernelFunc,
  };
}

/** Cast to the dtype a tensor already has is an Identity too (the gradients make many). */
export function castConfig(stock: KernelConfig): KernelConfig {
  return {
    kernelName: Cast,
    backendName: "wasm",
    // The stock kernel is our fallback, so its setup (cwrap of its wasm function) must still run.
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
    kernelFunc: ((args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }) => {
      const { x } = args.inputs;
      if (x.dtype === "string" || x.dtype !== args.attrs?.dtype)
        return stock.kernelFunc(args as Parameters<KernelFunc>[0]);
      asWasm(args.backend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }) as unknown as KernelFunc,
  };
}
