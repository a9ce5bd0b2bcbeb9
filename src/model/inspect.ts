// Looking inside a model: attention maps for visualisation and the causal-mask leak check.
import * as tf from "@tensorflow/tfjs-core";
import { GPT } from "./gpt";

/** Attention probabilities for one sequence: [layer][head][query t][key s]. */
export function attentionWeights(model: GPT, tokens: number[]): number[][][][] {
  if (tokens.length === 0 || tokens.length > model.config.blockSize) {
    throw new Error(`attentionWeights: need 1..${model.config.blockSize} tokens, got ${tokens.length}`);
  }
  const maps = tf.tidy(() => {
    const attention: tf.Tensor4D[] = [];
    model.forward(tf.tensor2d([tokens], [1, tokens.length], "int32"), { attention });
    return attention;
  });
  const out = maps.map((m) => (m.arraySync() as number[][][][])[0]);
  tf.dispose(maps);
  return out;
}

/** Logits [T][V] of one sequence (no dropout). */
export function logitsOf(model: GPT, tokens: number[]): Float32Array[] {
  const V = model.config.vocabSize;
  const flat = tf.tidy(() => model.forward(tf.tensor2d([tokens], [1, tokens.length], "int32"))).dataSync() as Float32Array;
  return tokens.map((_, t) => flat.slice(t * V, (t + 1) * V));
}

/**
 * Largest |change| of the logits at positions 0..t when every token after t is replaced:
 * a causal model must give exactly 0 (nothing may flow from the future).
 */
export function causalMaskLeak(model: GPT, tokens: number[], t: number, seed = 1): number {
  if (!(Number.isInteger(t) && t >= 0 && t < tokens.length - 1)) {
    throw new Error(`causalMaskLeak: t must be in [0, ${tokens.length - 2}], got ${t}`);
  }
  const V = model.config.vocabSize;
  const perturbed = tokens.map((tok, i) => (i <= t ? tok : (tok + 1 + ((seed * 7919 + i) % (V - 1))) % V));
  const a = logitsOf(model, tokens);
  const b = logitsOf(model, perturbed);
  let leak = 0;
  for (let i = 0; i <= t; i++) for (let v = 0; v < V; v++) leak = Math.max(leak, Math.abs(a[i][v] - b[i][v]));
  return leak;
}
