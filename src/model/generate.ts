// Autoregressive generation with a key/value cache: each new token runs through the model
// alone, attending to the cached keys and values of earlier positions, so a step costs
// O(T) instead of O(T^2). Once the sequence outgrows blockSize every position shifts, so we
// fall back to recomputing the last blockSize tokens, exactly as nanoGPT's generate crops.
import * as tf from "@tensorflow/tfjs-core";
import { GPT } from "./gpt";
import { KV } from "./attention";
import { Rng } from "./rng";
import { SamplingOptions, sampleToken, checkSampling } from "./sample";

export interface GenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  /** Seed of the sampling Rng (ignored when rng is given). Default 0. */
  seed?: number;
  rng?: Rng;
  /** Default true; false recomputes the whole context every step (the reference). */
  useCache?: boolean;
  signal?: AbortSignal;
  /** A token that ends generation once drawn (kept in the output), e.g. <|endoftext|>. */
  stopAt?: number;
  /** Receives every new token as it is drawn. */
  onToken?: (token: number) => void;
}

/** Returns prompt + generated token ids (batch of one). */
export function generate(model: GPT, prompt: number[], opts: GenerateOptions): number[] {
  const { blockSize, vocabSize } = model.config;
  if (prompt.length === 0) throw new Error("generate: prompt must hold at least one token");
  for (const t of prompt) {
    if (!Number.isInteger(t) || t < 0 || t >= vocabSize)
      throw new Error(`generate: prompt token ${t} is not in [0, ${vocabSize})`);
  }
  if (!Number.isInteger(opts.maxNewTokens) || opts.maxNewTokens < 0) {
    throw new Error(`generate: maxNewTokens must be a non-negative integer, got ${opts.maxNewTokens}`);
  }
  checkSampling(opts);
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  const useCache = opts.useCache ?? true;
  const seq = prompt.slice();
  let cache: KV[] | null = null; // covers every token of seq but the last
  const dropCache = (): void => {
    cache?.forEach((kv) => tf.dispose([kv.k, kv.v]));
    cache = null;
  };
  try {
    for (let n = 0; n < opts.maxNewTokens; n++) {
      if (opts.signal?.aborted) break;
      const incremental: boolean = useCache && cache !== null && seq.length <= blockSize;
      const context: number[] = incremental ? seq.slice(-1) : seq.slice(-blockSize);
      const past: KV[] | undefined = incremental ? (cache ?? undefined) : undefined;
      const out: { last: tf.Tensor1D; presents: KV[] } = tf.tidy(() => {
        const presents: KV[] = [];
        const logits = model.forward(tf.tensor2d([context], [1, context.length], "int32"), { past, presents });
        const last: tf.Tensor1D = tf.reshape(tf.slice(logits, [0, context.length - 1, 0], [1, 1, vocabSize]), [
          vocabSize,
        ]);
        return { last, presents };
      });
      const logits = out.last.dataSync();
      out.last.dispose();
      dropCache();
      // A full window cannot take another position; only a shorter one is worth caching.
      if (useCache && seq.length < blockSize) cache = out.presents;
      else out.presents.forEach((kv) => tf.dispose([kv.k, kv.v]));
      const next = sampleToken(logits, rng, opts);
      seq.push(next);
      opts.onToken?.(next);
      if (next === opts.stopAt) break;
    }
  } finally {
    dropCache();
  }
  return seq;
}
