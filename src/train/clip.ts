// Global-norm gradient clipping (Pascanu et al. 2013), as torch.nn.utils.clip_grad_norm_:
// if ||g|| over all parameters exceeds maxNorm, every gradient is scaled by maxNorm / ||g||.
import * as tf from "@tensorflow/tfjs-core";
import { readAndDispose } from "../model/layers";

export function globalNorm(grads: Record<string, tf.Tensor>): number {
  return readAndDispose(tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))))))[0];
}

/** Returns the clipped gradients (new tensors; the inputs are left alone) and the norm before clipping. */
export function clipByGlobalNorm(
  grads: Record<string, tf.Tensor>,
  maxNorm: number,
): { grads: Record<string, tf.Tensor>; norm: number } {
  const norm = globalNorm(grads);
  // 1e-6 as in PyTorch, so a zero gradient does not divide by zero.
  const scale = maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = scale === 1 ? tf.clone(g) : tf.mul(g, scale);
  return { grads: out, norm };
}
