// Exact GELU, x * Phi(x) (Hendrycks & Gimpel 2016; PyTorch's nn.GELU()), as one SIMD pass
// each way (native/simd/kernels.ts). Composed of tfjs ops it is 5 kernels forward and ~10
// backward over the widest activation of the model (4 x n_embd per token).
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { asWasm, heapOffset } from "../wasm_heap";
import { simd } from "../simd";
import type { KernelArgs as Args } from "./stock";

export const GELU = "LlmlabGelu";
export const GELU_GRAD = "LlmlabGeluGrad";

const size = (t: TensorInfo): number => util.sizeFromShape(t.shape);

function wasmForward(args: Args): TensorInfo {
  const { x } = args.inputs;
  const b = asWasm(args.backend);
  const y = b.makeOutput(x.shape, "float32");
  simd(b).gelu(heapOffset(b, x), heapOffset(b, y), size(x));
  return y;
}

function wasmBackward(args: Args): TensorInfo {
  const { dy, x } = args.inputs;
  const b = asWasm(args.backend);
  const dx = b.makeOutput(x.shape, "float32");
  simd(b).geluGrad(heapOffset(b, dy), heapOffset(b, x), heapOffset(b, dx), size(x));
  return dx;
}

export const geluConfigs: KernelConfig[] = [
  { kernelName: GELU, backendName: "wasm", kernelFunc: wasmForward as unknown as KernelFunc },
  { kernelName: GELU_GRAD, backendName: "wasm", kernelFunc: wasmBackward as unknown as KernelFunc },
];
