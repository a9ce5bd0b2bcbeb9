// Multi-head causal self-attention (Vaswani et al. 2017, section 3.2), with an optional
// key/value cache of earlier positions for fast generation.
import * as tf from "@tensorflow/tfjs-core";
import { fused } from "../backend";
import { linear, dropout } from "./layers";
import { applyRope } from "./positional";

export type KV = {
  k: tf.Tensor4D; // [B, H, Tpast, D]
  v: tf.Tensor4D;
};

export interface AttentionParams {
  cAttnW: tf.Tensor2D; // [C, 3C]: q, k, v projections side by side
  cAttnB?: tf.Tensor1D;
  cProjW: tf.Tensor2D; // [C, C]
  cProjB?: tf.Tensor1D;
}

export interface AttentionContext {
  B: number;
  T: number;
  nHead: number;
  rope?: { cos: tf.Tensor2D; sin: tf.Tensor2D }; // [T, D] for the T new positions
  past?: KV;
  dropout: number;
  nextSeed?: () => number;
  /** Called with the merged heads, c_proj's input [B*T, C]. */
  capture?: (input: tf.Tensor2D) => void;
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
  const C = x.shape[1];
  const D = C / H;
  const qkv = linear(x, p.cAttnW, p.cAttnB);
  const heads = (t: tf.Tensor2D): tf.Tensor4D => tf.transpose(tf.reshape(t, [B, T, H, D]), [0, 2, 1, 3]);
  let [q, k, v] = tf.split(qkv, 3, 1).map((t) => heads(t as tf.Tensor2D));
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
  const attDropped = dropout(att, ctx.dropout, ctx.nextSeed?.());
  const out = tf.matMul(attDropped, v); // [B, H, T, D]
  const merged = tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D;
  ctx.capture?.(merged);
  const y = dropout(linear(merged, p.cProjW, p.cProjB), ctx.dropout, ctx.nextSeed?.());
  return { y, att, present: { k, v } };
}
