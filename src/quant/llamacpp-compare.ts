// The same measurement on both sides: per-token log-probabilities of a text cut into
// non-overlapping windows of the model's context (each window starts fresh), from our GPT
// and from llama.cpp on a GGUF file; perplexity is exp(-mean) of them.
import * as tf from "@tensorflow/tfjs-core";
import { GPT } from "../model/gpt";
import { crossEntropy } from "./perplexity";
import { LlamaOp, runLlamaCpp } from "./llamacpp";

/** Windows of `T` tokens (a last, shorter one only if it holds at least 2). */
export function contextWindows(ids: ArrayLike<number>, T: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + 1 < ids.length; i += T) out.push(Array.from(ids).slice(i, i + T));
  return out.filter((w) => w.length >= 2);
}

/** log p(ids[t+1] | window so far) for every prediction, window by window (our forward). */
export function ourLogProbs(model: GPT, ids: ArrayLike<number>, T = model.config.blockSize): number[] {
  const out: number[] = [];
  const V = model.config.vocabSize;
  for (const w of contextWindows(ids, T)) {
    const z = tf.tidy(() => model.forward(tf.tensor2d([w], [1, w.length], "int32"))).dataSync() as Float32Array;
    for (let t = 0; t + 1 < w.length; t++) out.push(-crossEntropy(z, t * V, V, w[t + 1]));
  }
  return out;
}

/** The same from llama.cpp (one process, one op per window). */
export async function llamaLogProbs(file: string, ids: ArrayLike<number>, T: number, lora?: string): Promise<number[]> {
  const ops: LlamaOp[] = contextWindows(ids, T).map((w) => ({ op: "logprobs", ids: w }));
  const r = await runLlamaCpp({ model: file, lora, contextSize: T, ops });
  return r.results.flatMap((x) => (x.op === "logprobs" ? x.logprobs : []));
}

export const perplexityOf = (logprobs: number[]): number =>
  Math.exp(-logprobs.reduce((a, b) => a + b, 0) / logprobs.length);
