// A fused AdamW update (Loshchilov & Hutter, "Decoupled Weight Decay Regularization"),
// in PyTorch's formulation, as one kernel per parameter for the cpu and wasm backends.
// Written as ~14 tfjs ops it costs ~14 kernel launches and buffers per parameter per
// step (712 of a baby-GPT step's 1,872 kernels); here it is one pass over the data.
import { registerKernel, getKernel, util } from "@tensorflow/tfjs-core";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { asWasm, heapOffset } from "../wasm_heap";
import { loadSimd } from "../simd";
import type { KernelArgs as Args } from "./stock";

export const ADAMW_KERNEL = "LlmlabAdamW";

export interface AdamWAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay for this parameter (0 for no decay). */
  weightDecay: number;
  /** 1-based step count, for the bias corrections. */
  step: number;
  /** Every gradient is read times this (global-norm clipping's factor; 1 for none). */
  gradScale: number;
}

/** One AdamW step over flat arrays; writes the new parameter and moments to p1, m1, v1. */
export function adamwUpdate(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  p1: Float32Array,
  m1: Float32Array,
  v1: Float32Array,
  a: AdamWAttrs,
): void {
  const { lr, beta1, beta2, eps } = a;
  const decay = 1 - lr * a.weightDecay;
  const stepSize = lr / (1 - Math.pow(beta1, a.step));
  const sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, a.step));
  const c1 = 1 - beta1,
    c2 = 1 - beta2,
    s = a.gradScale ?? 1;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i] * s;
    const mi = beta1 * m[i] + c1 * gi;
    const vi = beta2 * v[i] + c2 * gi * gi;
    m1[i] = mi;
    v1[i] = vi;
    p1[i] = p[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
  }
}

function checkInputs(inputs: Record<string, TensorInfo>): void {
  const { param, grad, m, v } = inputs;
  for (const [name, t] of Object.entries({ param, grad, m, v })) {
    if (!t || t.dtype !== "float32") throw new Error(`AdamW: ${name} must be a float32 tensor`);
    if (t.shape.join() !== param.shape.join()) {
      throw new Error(`AdamW: ${name} has shape [${t.shape}], expected the parameter's [${param.shape}]`);
    }
  }
}

function wasmAdamW(args: Args): TensorInfo[] {
  checkInputs(args.inputs);
  const backend = asWasm(args.backend);
  const { param, grad, m, v } = args.inputs;
  // Allocate first: malloc may grow (and so detach) the heap that views point into.
  const outs = [0, 1, 2].map(() => backend.makeOutput(param.shape, "float32"));
  const fast = loadSimd(backend).kernels;
  if (fast) {
    // In float32 SIMD (native/simd); the loop below does the same in double precision.
    const a = args.attrs as unknown as AdamWAttrs;
    const n = util.sizeFromShape(param.shape);
    // The gradient's scale s folds into the moments' coefficients: (1 - b1) (s g), (1 - b2) (s g)^2.
    const s = a.gradScale ?? 1;
    const [p1, m1, v1] = outs.map((t) => heapOffset(backend, t));
    fast.adamw(
      heapOffset(backend, param),
      heapOffset(backend, grad),
      heapOffset(backend, m),
      heapOffset(backend, v),
      p1,
      m1,
      v1,
      n,
      a.beta1,
      (1 - a.beta1) * s,
      a.beta2,
      (1 - a.beta2) * s * s,
      a.eps,
      1 - a.lr * a.weightDecay,
      a.lr / (1 - Math.pow(a.beta1, a.step)),
      1 / Math.sqrt(1 - Math.pow(a.beta2, a.step)),
    );
    return outs;
  }
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  adamwUpdate(
    view(param),
    view(grad),
    view(m),
    view(v),
    view(outs[0]),
    view(outs[1]),
    view(outs[2]),
    args.attrs as unknown as AdamWAttrs,
  );
  return outs;
}

interface CpuBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: "float32", values: Float32Array): TensorInfo;
}

function cpuAdamW(args: Args): TensorInfo[] {
  checkInputs(args.inputs);
  const backend = args.backend as CpuBackend;
  const { param, grad, m, v } = args.inputs;
  const read = (t: TensorInfo) => backend.readSync(t.dataId) as Float32Array;
  const n = read(param).length;
  const p1 = new Float32Array(n),
    m1 = new Float32Array(n),
    v1 = new Float32Array(n);
  adamwUpdate(read(param), read(grad), read(m), read(v), p1, m1, v1, args.attrs as unknown as AdamWAttrs);
  return [p1, m1, v1].map((x) => backend.makeTensorInfo(param.shape, "float32", x));
}

/** Registers the fused kernel for the cpu and wasm backends (idempotent). */
export function registerAdamWKernels(): void {
  const configs: KernelConfig[] = [
    { kernelName: ADAMW_KERNEL, backendName: "wasm", kernelFunc: wasmAdamW as unknown as KernelFunc },
    { kernelName: ADAMW_KERNEL, backendName: "cpu", kernelFunc: cpuAdamW as unknown as KernelFunc },
  ];
  for (const c of configs) if (!getKernel(c.kernelName, c.backendName)) registerKernel(c);
}
