// The small building blocks of the decoder, as pure functions of their parameters so
// that tf.variableGrads can differentiate the whole model.
import * as tf from "@tensorflow/tfjs-core";
import { fused } from "../backend";

// Layer norm and exact GELU are the backend's fused ops: one kernel each way on the fast wasm
// backend, the textbook tfjs ops elsewhere (src/backend/fused.ts).
export { layerNorm, gelu } from "../backend/fused";

/** A Linear layer's parameters; `name` is its weight's checkpoint name ("h.0.attn.c_attn.weight"). */
export interface LinearParams {
  name: string;
  weight: tf.Tensor2D; // [in, out]
  bias?: tf.Tensor1D;
}

/** A LayerNorm's gain and (with config.bias) shift. */
export interface NormParams {
  weight: tf.Tensor1D;
  bias?: tf.Tensor1D;
}

/** Seeded dropout of one forward pass: the identity when not training. */
export type Dropout = <T extends tf.Tensor>(x: T) => T;

/** y = x W + b for x [N, in], W [in, out] (GPT-2's Conv1D layout: no transpose needed). */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  const y = tf.matMul(x, w) as tf.Tensor2D;
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

/**
 * A Linear layer of the model. `capture` sees its input first, by weight name: the one seam
 * through which quantisation calibration (GPTQ's Hessians) watches the model run.
 */
export function project(
  x: tf.Tensor2D,
  p: LinearParams,
  capture?: (name: string, input: tf.Tensor2D) => void,
): tf.Tensor2D {
  capture?.(p.name, x);
  return linear(x, p.weight, p.bias);
}

/** Mean cross-entropy (nats) of logits [N, V] against integer targets [N]. */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  return tf.mean(fused.softmaxCrossEntropy(logits, tf.cast(targets, "int32")));
}

/** Dropout with an explicit seed so a run (and its resume) is reproducible. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number | undefined): T {
  if (rate === 0 || seed === undefined) return x;
  return tf.dropout(x, rate, undefined, seed) as T;
}

/** Reads a tensor's values and frees it (the values outlive the tensor). */
export function readAndDispose(t: tf.Tensor): Float32Array {
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}
