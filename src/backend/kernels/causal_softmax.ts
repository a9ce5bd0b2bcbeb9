// Scaled, causally masked softmax over attention scores [..., T, Tk] as one SIMD pass
// (native/simd/kernels.ts): probs = softmax(scale * scores) over the keys a query may see.
// Query i of a chunk that starts after `past` cached positions sees keys 0..past+i; the
// rest get probability exactly 0 and are never exponentiated, which halves the exps of a
// training step's attention. Composed of tfjs ops this is mul, add (a mask bias) and
// softmax (max, sub, exp, sum, div), each a pass over the [B, H, T, T] scores.
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { asWasm, heapOffset } from "../wasm_heap";
import { simd } from "../simd";
import type { KernelArgs as Args } from "./stock";

export const CAUSAL_SOFTMAX = "LlmlabCausalSoftmax";
export const CAUSAL_SOFTMAX_GRAD = "LlmlabCausalSoftmaxGrad";

function wasmForward(args: Args): TensorInfo {
  const { scores } = args.inputs;
  const r = scores.shape.length,
    T = scores.shape[r - 2],
    Tk = scores.shape[r - 1];
  const rows = util.sizeFromShape(scores.shape.slice(0, -1));
  const b = asWasm(args.backend);
  const y = b.makeOutput(scores.shape, "float32");
  simd(b).causalSoftmax(
    heapOffset(b, scores),
    heapOffset(b, y),
    rows,
    T,
    Tk,
    args.attrs!.scale as number,
    args.attrs!.past as number,
  );
  return y;
}

/** ds = scale * y * (dy - sum_j dy_j y_j): the softmax Jacobian; masked keys have y = 0. */
function wasmBackward(args: Args): TensorInfo {
  const { dy, y } = args.inputs;
  const Tk = y.shape[y.shape.length - 1];
  const rows = util.sizeFromShape(y.shape.slice(0, -1));
  const b = asWasm(args.backend);
  const ds = b.makeOutput(y.shape, "float32");
  simd(b).causalSoftmaxGrad(
    heapOffset(b, dy),
    heapOffset(b, y),
    heapOffset(b, ds),
    rows,
    Tk,
    args.attrs!.scale as number,
  );
  return ds;
}

export const causalSoftmaxConfigs: KernelConfig[] = [
  { kernelName: CAUSAL_SOFTMAX, backendName: "wasm", kernelFunc: wasmForward as unknown as KernelFunc },
  { kernelName: CAUSAL_SOFTMAX_GRAD, backendName: "wasm", kernelFunc: wasmBackward as unknown as KernelFunc },
];
