// Identity for the wasm backend: share the input's buffer (as Reshape already does)
// instead of copying it. Tensors are immutable, so sharing is safe; tfjs calls Identity
// for every tf.clone, every gradient pass-through and every variable read in a step.
import type { KernelConfig } from "@tensorflow/tfjs-core";
import { asWasm } from "../wasm_heap";
import { overStock } from "./stock";

export function identityConfig(stock: KernelConfig): KernelConfig {
  return overStock(stock, (args) => {
    const { x } = args.inputs;
    if (x.dtype === "string") return null;
    asWasm(args.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}

/** Cast to the dtype a tensor already has is an Identity too (the gradients make many). */
export function castConfig(stock: KernelConfig): KernelConfig {
  return overStock(stock, (args) => {
    const { x } = args.inputs;
    if (x.dtype === "string" || x.dtype !== args.attrs?.dtype) return null;
    asWasm(args.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
