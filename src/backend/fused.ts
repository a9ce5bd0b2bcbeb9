// Fused ops for a transformer's elementwise work: layer norm, GELU, the causal attention
// softmax and softmax cross-entropy. On a backend with our kernels (the fast wasm one, SIMD
// kernels from native/simd) each is one kernel forward and one backward; anywhere else
// (cpu, tfjs-node, WebGPU, stock wasm) the same function runs the textbook composite of
// tfjs ops, which is also the reference the fused kernels are tested against. Gradients are registered for the
// fused kernels, so tf.variableGrads differentiates through either path.
import * as tf from "@tensorflow/tfjs-core";
import { CAUSAL_SOFTMAX, CAUSAL_SOFTMAX_GRAD, causalSoftmaxConfigs } from "./kernels/causal_softmax";
import { SOFTMAX_XENT, SOFTMAX_XENT_GRAD, crossEntropyConfigs } from "./kernels/cross_entropy";
import { GELU, GELU_GRAD, geluConfigs } from "./kernels/gelu";
import { LAYER_NORM, LAYER_NORM_GRAD, layerNormConfigs } from "./kernels/layer_norm";
import { loadSimd } from "./simd";
import { heapOffset, asWasm } from "./wasm_heap";

/** The wasm kernels that need native/simd's module, and the one that does not. */
export const simdKernelConfigs: tf.KernelConfig[] = [...layerNormConfigs, ...geluConfigs, ...causalSoftmaxConfigs];
export const fusedKernelConfigs: tf.KernelConfig[] = [...simdKernelConfigs, ...crossEntropyConfigs];

const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor | tf.Tensor[] =>
  tf.engine().runKernel(name, inputs, attrs) as tf.Tensor | tf.Tensor[];

/** Whether the active backend runs `kernel` as one of our fused kernels. */
export function isFused(kernel: string): boolean {
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

/** LayerNorm over the last axis (Ba et al. 2016), eps as in PyTorch; beta optional. */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta?: tf.Tensor1D, eps = 1e-5): T {
  // The SIMD kernel walks rows four floats at a time.
  if (isFused(LAYER_NORM) && gamma.shape[0] % 4 === 0)
    return run(LAYER_NORM, beta ? { x, gamma, beta } : { x, gamma }, { eps }) as T;
  const { mean, variance } = tf.moments(x, -1, true);
  const y = tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma);
  return (beta ? tf.add(y, beta) : y) as T;
}

/** Exact GELU, x * Phi(x) (Hendrycks & Gimpel 2016), as PyTorch's nn.GELU(); tfjs has no gelu op. */
export function gelu<T extends tf.Tensor>(x: T): T {
  if (isFused(GELU)) return run(GELU, { x }) as T;
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T;
}

/**
 * softmax(scale * scores) over the last axis of scores [..., T, Tk], where query i (absolute
 * position past + i) may attend to keys 0..past+i only; future keys get probability exactly 0.
 */
export function causalSoftmax<T extends tf.Tensor>(scores: T, scale: number, past = 0): T {
  const r = scores.rank,
    T = scores.shape[r - 2],
    Tk = scores.shape[r - 1];
  if (r < 2 || past + T !== Tk)
    throw new Error(`causalSoftmax: scores [${scores.shape}] must end in [T, past + T] with past ${past}`);
  if (isFused(CAUSAL_SOFTMAX)) return run(CAUSAL_SOFTMAX, { scores }, { scale, past }) as T;
  // A large finite negative rather than -Infinity: exp underflows to exactly 0, and the
  // gradient has no inf - inf = NaN.
  const bias = new Float32Array(T * Tk);
  for (let i = 0; i < T; i++) for (let j = past + i + 1; j < Tk; j++) bias[i * Tk + j] = -1e9;
  return tf.softmax(tf.add(tf.mul(scores, scale), tf.tensor2d(bias, [T, Tk]))) as T;
}

/** Per-row softmax cross-entropy (nats) of logits [N, V] against int32 labels [N]. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  if (labels.dtype !== "int32") throw new Error(`softmaxCrossEntropy: labels must be int32, got ${labels.dtype}`);
  if (labels.shape[0] !== logits.shape[0])
    throw new Error(`softmaxCrossEntropy: ${labels.shape[0]} labels for ${logits.shape[0]} rows of logits`);
  if (isFused(SOFTMAX_XENT)) return run(SOFTMAX_XENT, { logits, labels }) as tf.Tensor1D;
  // A one-hot mask keeps the gradient path to plain elementwise ops on every backend.
  return tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, logits.shape[1])), -1)) as tf.Tensor1D;
}

/**
 * sum over every tensor of sum(x^2), as a number: the square of a global gradient norm. With the
 * SIMD kernels it reads each tensor where it lies, one pass and no tensors made (as tfjs ops it is
 * two kernels per tensor, a third of a baby-GPT step's kernels); elsewhere tfjs ops and one read.
 */
export function sumOfSquares(tensors: tf.Tensor[]): number {
  for (const t of tensors)
    if (t.dtype !== "float32") throw new Error(`sumOfSquares: expected float32 tensors, got ${t.dtype} [${t.shape}]`);
  if (tensors.length === 0) return 0;
  const k = tf.getBackend() === "wasm" ? loadSimd(asWasm(tf.backend())).kernels : null;
  if (k) {
    const b = asWasm(tf.backend());
    let s = 0;
    for (const t of tensors) s += k.sumOfSquares(heapOffset(b, t), t.size);
    return s;
  }
  const total = tf.tidy(() => tf.addN(tensors.map((t) => tf.sum(tf.square(t)))));
  const s = total.dataSync()[0];
  total.dispose();
  return s;
}

let gradientsRegistered = false;

/** Registers the fused kernels' gradients (backend-independent; idempotent). */
export function registerFusedGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  tf.registerGradient({
    kernelName: LAYER_NORM,
    inputsToSave: ["x", "gamma"],
    gradFunc: (dy, saved, attrs) => {
      const [x, gamma] = saved;
      // One backward pass gives all three, so it runs here rather than in a thunk: the tape
      // calls each thunk in its own tidy, which would dispose the other two. Whatever is not
      // used (dbeta without a beta) goes with the tidy around the whole backward pass.
      const [dx, dgamma, dbeta] = run(
        LAYER_NORM_GRAD,
        { dy: dy as tf.Tensor, x, gamma },
        { eps: attrs.eps },
      ) as tf.Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
  tf.registerGradient({
    kernelName: GELU,
    inputsToSave: ["x"],
    gradFunc: (dy, [x]) => ({ x: () => run(GELU_GRAD, { dy: dy as tf.Tensor, x }) as tf.Tensor }),
  });
  tf.registerGradient({
    kernelName: CAUSAL_SOFTMAX,
    outputsToSave: [true],
    gradFunc: (dy, [y], attrs) => ({
      scores: () => run(CAUSAL_SOFTMAX_GRAD, { dy: dy as tf.Tensor, y }, { scale: attrs.scale }) as tf.Tensor,
    }),
  });
  tf.registerGradient({
    kernelName: SOFTMAX_XENT,
    inputsToSave: ["logits", "labels"],
    gradFunc: (dy, [logits, labels]) => ({
      logits: () => run(SOFTMAX_XENT_GRAD, { dy: dy as tf.Tensor, logits, labels }) as tf.Tensor,
      labels: () => tf.zeros(labels.shape, "float32"),
    }),
  });
}
registerFusedGradients();
