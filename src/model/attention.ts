// Multi-head causal self-attention (Vaswani et al. 2017, section 3.2), nanoGPT's
// CausalSelfAttention, with an optional key/value cache of earlier positions for fast generation.
import * as tf from "@tensorflow/tfjs-core";
import { fused } from "../backend";
import { LinearParams, project, Dropout } from "./layers";
import { applyRope } from "./positional";

export type KV = {
  k: tf.Tensor4D; // [B, H, Tpast, D]
  v: tf.Tensor4D;
};

export interface AttentionParams {
  c_attn: LinearParams; // [C, 3C]: q, k, v projections side by side
  c_proj: LinearParams; // [C, C]
}

export interface AttentionContext {
  B: number;
  T: number;
  nHead: number;
  /** RoPE's cos and sin [T, D] for the T new positions. */
  rope?: { cos: tf.Tensor2D; sin: tf.Tensor2D };
  /** This layer's keys and values of the earlier positions (the KV cache). */
  past?: KV;
  /** Seeded dropout (identity when not training). */
  dropout?: Dropout;
  /** Called with each linear layer's input, by weight name (quantisation calibration). */
  capture?: (name: string, input: tf.Tensor2D) => void;
}

/**
 * x [B*T, C] -> y [B*T, C]. Also returns the attention probabilities [B, H, T, Tk] and this
 * layer's keys/values for all positions so far (for the cache).
 */
export function causalSelfAttention(
  x: tf.Tensor2D,
  p: AttentionParams,
  ctx: AttentionContext,
): { y: tf.Tensor2D; att: tf.Tensor4D; present: KV } {
  const { B, T, nHead: H } = ctx;
  const drop = ctx.dropout ?? (<X extends tf.Tensor>(t: X): X => t);
  const C = x.shape[1];
  const D = C / H;
  const heads = (t: tf.Tensor2D): tf.Tensor4D => tf.transpose(tf.reshape(t, [B, T, H, D]), [0, 2, 1, 3]);
  let [q, k, v] = tf.split(project(x, p.c_attn, ctx.capture), 3, 1).map((t) => heads(t as tf.Tensor2D));
  if (ctx.rope) {
    q = applyRope(q, ctx.rope.cos, ctx.rope.sin) as tf.Tensor4D;
    k = applyRope(k, ctx.rope.cos, ctx.rope.sin) as tf.Tensor4D;
  }
  if (ctx.past) {
    k = tf.concat([ctx.past.k, k], 2);
    v = tf.concat([ctx.past.v, v], 2);
  }
  // scores_ij = q_i . k_j / sqrt(D): scaled so the softmax does not saturate as D grows.
  // The causal mask: query i (position past + i) sees keys 0..past+i; the rest get weight
  // exactly 0, so nothing leaks from the future.
  const past = ctx.past ? ctx.past.k.shape[2] : 0;
  const att = fused.causalSoftmax(tf.matMul(q, k, false, true), 1 / Math.sqrt(D), past) as tf.Tensor4D;
  const out = tf.matMul(drop(att), v); // [B, H, T, D]
  const merged = tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D;
  const y = drop(project(merged, p.c_proj, ctx.capture));
  return { y, att, present: { k, v } };
}
