// Identity for the wasm backend: share the input's buffer (as Reshape already does)
// instead of copying it. Tensors are immutable, so sharing is safe; tfjs calls Identity
// for every tf.clone, every gradient pass-through and every variable read in a step.
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { asWasm } from "../wasm_heap";

export function identityConfig(stock: KernelConfig): KernelConfig {
  return {
    kernelName: Identity,
    backendName: "wasm",
    kernelFunc: ((args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }) => {
      const { x } = args.inputs;
      if (x.dtype === "string") return stock.kernelFunc(args as Parameters<KernelFunc>[0]);
      asWasm(args.backend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }) as unknown as KernelFunc,
  };
}
