// The shuffle test: does a model use the order of its context? (Notebook 04 writes attention
// itself out in tfjs, in front of the learner, and checks it against src/model/attention.ts.)
import { Rng, shuffled } from "./rng";
import { GPT } from "./gpt";
import { logitsOf } from "./inspect";

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
