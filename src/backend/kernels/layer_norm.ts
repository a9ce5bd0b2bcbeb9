// LayerNorm (Ba et al. 2016) over the last axis as one SIMD pass forward and one backward
// (native/simd/kernels.ts), instead of the ~8 tfjs ops forward (moments, sub, rsqrt, mul,
// ...) and ~20 backward of the composite formula. Mean and 1/std are recomputed in the
// backward pass (one read of x) rather than kept, so the kernel has a single output.
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { asWasm, heapOffset } from "../wasm_heap";
import { simd } from "../simd";
import type { KernelArgs as Args } from "./stock";

export const LAYER_NORM = "LlmlabLayerNorm";
export const LAYER_NORM_GRAD = "LlmlabLayerNormGrad";

const size = (t: TensorInfo): number => util.sizeFromShape(t.shape);

function wasmForward(args: Args): TensorInfo {
  const { x, gamma, beta } = args.inputs;
  const b = asWasm(args.backend);
  const C = gamma.shape[0];
  const y = b.makeOutput(x.shape, "float32");
  simd(b).layerNorm(
    heapOffset(b, x),
    heapOffset(b, gamma),
    beta ? heapOffset(b, beta) : 0,
    heapOffset(b, y),
    size(x) / C,
    C,
    args.attrs!.eps as number,
  );
  return y;
}

function wasmBackward(args: Args): TensorInfo[] {
  const { dy, x, gamma } = args.inputs;
  const b = asWasm(args.backend);
  const C = gamma.shape[0];
  const outs = [
    b.makeOutput(x.shape, "float32"),
    b.makeOutput(gamma.shape, "float32"),
    b.makeOutput(gamma.shape, "float32"),
  ];
  const [dx, dg, db] = outs.map((t) => heapOffset(b, t));
  simd(b).layerNormGrad(
    heapOffset(b, dy),
    heapOffset(b, x),
    heapOffset(b, gamma),
    dx,
    dg,
    db,
    size(x) / C,
    C,
    args.attrs!.eps as number,
  );
  return outs;
}

export const layerNormConfigs: KernelConfig[] = [
  { kernelName: LAYER_NORM, backendName: "wasm", kernelFunc: wasmForward as unknown as KernelFunc },
  { kernelName: LAYER_NORM_GRAD, backendName: "wasm", kernelFunc: wasmBackward as unknown as KernelFunc },
];
