// Softmax cross-entropy of logits [N, V] against integer labels [N], per row, in one pass:
// loss_n = logsumexp(logits_n) - logits_n[label_n]. The composite form (logSoftmax, oneHot,
// mul, sum) builds an [N, V] one-hot and ~10 kernels backward; the gradient here is simply
// dloss_n * (softmax(logits_n) - onehot(label_n)). On wasm with the SIMD module (native/simd)
// the rows run there: as plain JavaScript (Math.exp one value at a time) the baby GPT's
// [768, 65] took ~3 ms a step forward and backward, 5% of the step; the loops below are the
// fallback and the reference the SIMD kernels are tested against.
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { loadSimd } from "../simd";
import { asWasm, f32, heapOffset } from "../wasm_heap";
import type { KernelArgs as Args } from "./stock";

export const SOFTMAX_XENT = "LlmlabSoftmaxCrossEntropy";
export const SOFTMAX_XENT_GRAD = "LlmlabSoftmaxCrossEntropyGrad";

function checkLabel(label: number, n: number, V: number): void {
  if (!(label >= 0 && label < V))
    throw new Error(`softmaxCrossEntropy: label ${label} at row ${n} is not in [0, ${V})`);
}

function rowLogSumExp(z: Float32Array, o: number, V: number): number {
  let max = -Infinity;
  for (let j = 0; j < V; j++) if (z[o + j] > max) max = z[o + j];
  let sum = 0;
  for (let j = 0; j < V; j++) sum += Math.exp(z[o + j] - max);
  return max + Math.log(sum);
}

export function crossEntropyForward(logits: Float32Array, labels: Int32Array, loss: Float32Array, V: number): void {
  for (let n = 0; n < labels.length; n++) {
    checkLabel(labels[n], n, V);
    loss[n] = rowLogSumExp(logits, n * V, V) - logits[n * V + labels[n]];
  }
}

export function crossEntropyBackward(
  dy: Float32Array,
  logits: Float32Array,
  labels: Int32Array,
  dz: Float32Array,
  V: number,
): void {
  for (let n = 0, o = 0; n < labels.length; n++, o += V) {
    const lse = rowLogSumExp(logits, o, V),
      d = dy[n];
    for (let j = 0; j < V; j++) dz[o + j] = d * Math.exp(logits[o + j] - lse);
    dz[o + labels[n]] -= d;
  }
}

function checkLabels(labels: Int32Array, V: number): void {
  for (let n = 0; n < labels.length; n++) checkLabel(labels[n], n, V);
}

function wasmForward(args: Args): TensorInfo {
  const { logits, labels } = args.inputs;
  const b = asWasm(args.backend);
  const loss = b.makeOutput([labels.shape[0]], "float32");
  const fast = loadSimd(b).kernels;
  if (fast) {
    checkLabels(b.typedArrayFromHeap(labels) as Int32Array, logits.shape[1]);
    const at = (t: TensorInfo) => heapOffset(b, t);
    fast.crossEntropy(at(logits), at(labels), at(loss), labels.shape[0], logits.shape[1]);
    return loss;
  }
  crossEntropyForward(f32(b, logits), b.typedArrayFromHeap(labels) as Int32Array, f32(b, loss), logits.shape[1]);
  return loss;
}

function wasmBackward(args: Args): TensorInfo {
  const { dy, logits, labels } = args.inputs;
  const b = asWasm(args.backend);
  const dz = b.makeOutput(logits.shape, "float32");
  const fast = loadSimd(b).kernels;
  if (fast) {
    checkLabels(b.typedArrayFromHeap(labels) as Int32Array, logits.shape[1]);
    const at = (t: TensorInfo) => heapOffset(b, t);
    fast.crossEntropyGrad(at(dy), at(logits), at(labels), at(dz), labels.shape[0], logits.shape[1]);
    return dz;
  }
  crossEntropyBackward(
    f32(b, dy),
    f32(b, logits),
    b.typedArrayFromHeap(labels) as Int32Array,
    f32(b, dz),
    logits.shape[1],
  );
  return dz;
}

export const crossEntropyConfigs: KernelConfig[] = [
  { kernelName: SOFTMAX_XENT, backendName: "wasm", kernelFunc: wasmForward as unknown as KernelFunc },
  { kernelName: SOFTMAX_XENT_GRAD, backendName: "wasm", kernelFunc: wasmBackward as unknown as KernelFunc },
];
