// Global-norm gradient clipping (Pascanu et al. 2013), as torch.nn.utils.clip_grad_norm_:
// if ||g|| over all parameters exceeds maxNorm, every gradient is scaled by maxNorm / ||g||.
// The trainers hand the factor to AdamW (its gradScale) rather than making scaled copies.
import type * as tf from "@tensorflow/tfjs-core";
import { fused } from "../backend";

export function globalNorm(grads: Record<string, tf.Tensor>): number {
  return Math.sqrt(fused.sumOfSquares(Object.values(grads)));
}

/** The factor clipping multiplies every gradient by: maxNorm / norm above maxNorm, else 1 (and 1 for maxNorm 0, no clipping). */
export function clipScale(norm: number, maxNorm: number): number {
  // 1e-6 as in PyTorch, so a zero gradient does not divide by zero.
  return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
}
