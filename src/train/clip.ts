// Global-norm gradient clipping (Pascanu et al. 2013), as torch.nn.utils.clip_grad_norm_:
// if ||g|| over all parameters exceeds maxNorm, every gradient is scaled by maxNorm / ||g||.
// The trainer hands the scale to AdamW (its gradScale) rather than making scaled copies.
import * as tf from "@tensorflow/tfjs-core";
import { fused } from "../backend";

export function globalNorm(grads: Record<string, tf.Tensor>): number {
  return Math.sqrt(fused.sumOfSquares(Object.values(grads)));
}

/** The factor clipping multiplies every gradient by: maxNorm / norm above maxNorm, else 1 (and 1 for maxNorm 0, no clipping). */
export function clipScale(norm: number, maxNorm: number): number {
  // 1e-6 as in PyTorch, so a zero gradient does not divide by zero.
  return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
}

/** Returns the clipped gradients (new tensors; the inputs are left alone) and the norm before clipping. */
export function clipByGlobalNorm(
  grads: Record<string, tf.Tensor>,
  maxNorm: number,
): { grads: Record<string, tf.Tensor>; norm: number } {
  const norm = globalNorm(grads);
  const scale = clipScale(norm, maxNorm);
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = scale === 1 ? tf.clone(g) : tf.mul(g, scale);
  return { grads: out, norm };
}
