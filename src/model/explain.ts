// Self-attention taken apart for teaching: every intermediate of one multi-head causal
// attention layer on a short sequence, as plain arrays, plus the shuffle test.
import * as tf from "@tensorflow/tfjs-core";
import { Rng, shuffled } from "./rng";
import { GPT } from "./gpt";
import { logitsOf } from "./inspect";

export interface AttentionSteps {
  tokens: string[];
  shapes: Record<string, number[]>;
  x: number[][]; // [T, C] token embeddings (random, seeded)
  q: number[][]; // [T, C]
  k: number[][];
  v: number[][];
  scores: number[][][]; // [H, T, T] q·k / sqrt(D), before the mask
  masked: number[][][]; // [H, T, T] future positions set to -Infinity
  weights: number[][][]; // [H, T, T] softmax over each row
  heads: number[][][]; // [H, T, D] weights @ v per head
  output: number[][]; // [T, C] heads concatenated
}

/**
 * One causal multi-head attention layer on random (seeded) embeddings, with no output
 * projection, so that every number shown can be recomputed by hand.
 */
export function attentionStepByStep(tokens: string[], opts: { nEmbd?: number; nHead?: number; seed?: number } = {}): AttentionSteps {
  const C = opts.nEmbd ?? 8;
  const H = opts.nHead ?? 2;
  if (C % H !== 0) throw new Error(`attentionStepByStep: nEmbd ${C} must be divisible by nHead ${H}`);
  if (tokens.length === 0) throw new Error("attentionStepByStep: needs at least one token");
  const D = C / H;
  const T = tokens.length;
  const rng = new Rng(opts.seed ?? 0);
  const vocab = [...new Set(tokens)];
  const emb = vocab.map(() => Array.from({ length: C }, () => rng.normal()));
  const w = (): tf.Tensor2D => tf.tensor2d(Array.from({ length: C }, () => Array.from({ length: C }, () => rng.normal() / Math.sqrt(C))));
  let steps: AttentionSteps | undefined;
  tf.tidy(() => {
    const x = tf.tensor2d(tokens.map((t) => emb[vocab.indexOf(t)]));
    const [wq, wk, wv] = [w(), w(), w()];
    const q = tf.matMul(x, wq) as tf.Tensor2D;
    const k = tf.matMul(x, wk) as tf.Tensor2D;
    const v = tf.matMul(x, wv) as tf.Tensor2D;
    const split = (t: tf.Tensor2D): tf.Tensor3D => tf.transpose(tf.reshape(t, [T, H, D]), [1, 0, 2]); // [H, T, D]
    const scores = tf.div(tf.matMul(split(q), split(k), false, true), Math.sqrt(D));
    const future = tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)); // 1 above the diagonal
    const masked = tf.where(tf.tile(tf.expandDims(tf.cast(future, "bool"), 0), [H, 1, 1]), tf.fill([H, T, T], -Infinity), scores);
    const weights = tf.softmax(masked);
    const heads = tf.matMul(weights, split(v));
    const output = tf.reshape(tf.transpose(heads, [1, 0, 2]), [T, C]);
    const arr = <R>(t: tf.Tensor): R => t.arraySync() as R;
    steps = {
      tokens,
      shapes: { x: [T, C], q: [T, C], k: [T, C], v: [T, C], "q per head": [H, T, D], scores: [H, T, T], weights: [H, T, T], heads: [H, T, D], output: [T, C] },
      x: arr(x), q: arr(q), k: arr(k), v: arr(v),
      scores: arr(scores), masked: arr(masked), weights: arr(weights), heads: arr(heads), output: arr(output),
    };
  });
  return steps!;
}

/**
 * The shuffle test: permute all tokens before the last one and measure how much the
 * logits at the last position move. A one-layer model without positional information
 * sees its context as a set, so the change is ~0 (float rounding only); with positions it
 * is not. (From the second layer on, the causal mask itself leaks some order: earlier
 * positions have seen fewer tokens. Haviv et al. 2022, "Transformer LMs without positional
 * encodings still learn positional information".)
 */
export function shuffleTest(model: GPT, tokens: number[], seed = 0): number {
  if (tokens.length < 3) throw new Error("shuffleTest: needs at least 3 tokens");
  const prefix = shuffled(tokens.slice(0, -1), new Rng(seed));
  const T = tokens.length - 1;
  const a = logitsOf(model, tokens)[T];
  const b = logitsOf(model, [...prefix, tokens[T]])[T];
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}
