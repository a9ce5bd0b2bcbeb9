// The small building blocks of the decoder, as pure functions of their parameters so
// that tf.variableGrads can differentiate the whole model.
import * as tf from "@tensorflow/tfjs-core";

/** y = x W + b for x [N, in], W [in, out] (GPT-2's Conv1D layout: no transpose needed). */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  const y = tf.matMul(x, w) as tf.Tensor2D;
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

/** LayerNorm over the last axis (Ba et al. 2016), eps as in PyTorch. */
export function layerNorm(x: tf.Tensor2D, w: tf.Tensor1D, b?: tf.Tensor1D, eps = 1e-5): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  const xhat = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  const y = tf.mul<tf.Tensor2D>(xhat, w);
  return b ? tf.add<tf.Tensor2D>(y, b) : y;
}

/** Exact GELU, x * Phi(x) (Hendrycks & Gimpel 2016), as PyTorch's nn.GELU(); tfjs-core has no gelu op. */
export function gelu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

/** Mean cross-entropy of logits [N, V] against integer targets [N]. */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const V = logits.shape[1];
  const logp = tf.logSoftmax(logits);
  // A one-hot mask keeps the gradient path to plain elementwise ops on every backend.
  const picked = tf.sum(tf.mul(logp, tf.oneHot(targets, V)), -1);
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}

/** Dropout with an explicit seed so a run (and its resume) is reproducible. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number | undefined): T {
  if (rate === 0 || seed === undefined) return x;
  return tf.dropout(x, rate, undefined, seed) as T;
}
