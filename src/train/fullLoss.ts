// A deterministic val loss: the mean next-token loss over ALL non-overlapping blockSize
// windows of a token stream (x = s[i : i+T], y = s[i+1 : i+T+1], i = 0, T, 2T, ... while
// i+T+1 <= length), every position counted. nanoGPT's estimate_loss averages a few random
// batches, whose draw alone moves the number by a few hundredths; this one has no draw, so two
// models (or two implementations) compare on exactly the same tokens.
import * as tf from "@tensorflow/tfjs-core";
import type { GPT } from "../model/gpt";
import { readAndDispose } from "../model/layers";
import type { Tokens } from "./sampler";

export interface FullLossOptions {
  /** Windows per forward pass (default 64); the result does not depend on it. */
  batchSize?: number;
  signal?: AbortSignal;
}

/** Start offsets of the non-overlapping windows of a stream of n tokens. */
export function windowStarts(n: number, blockSize: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + blockSize + 1 <= n; i += blockSize) out.push(i);
  return out;
}

/** Mean loss (nats per token) over every window of every shard. Throws if no shard holds one. */
export function fullLoss(model: GPT, tokens: Tokens | Tokens[], opts: FullLossOptions = {}): number {
  const T = model.config.blockSize;
  const B = opts.batchSize ?? 64;
  if (!Number.isInteger(B) || B < 1) throw new Error(`fullLoss: batchSize must be a positive integer, got ${B}`);
  const shards =
    Array.isArray(tokens) && tokens.length > 0 && typeof tokens[0] !== "number"
      ? (tokens as Tokens[])
      : [tokens as Tokens];
  const windows: [Tokens, number][] = [];
  for (const s of shards) for (const i of windowStarts(s.length, T)) windows.push([s, i]);
  if (windows.length === 0) throw new Error(`fullLoss: no shard holds a window of blockSize ${T} + 1 tokens`);
  let sum = 0; // sum of per-window-batch mean loss x its window count, in float64
  for (let w = 0; w < windows.length; w += B) {
    if (opts.signal?.aborted) throw new Error("fullLoss: aborted");
    const chunk = windows.slice(w, w + B);
    const x = new Int32Array(chunk.length * T);
    const y = new Int32Array(chunk.length * T);
    chunk.forEach(([s, i], b) => {
      for (let t = 0; t < T; t++) {
        x[b * T + t] = s[i + t];
        y[b * T + t] = s[i + t + 1];
      }
    });
    const loss = tf.tidy(() =>
      model.loss(tf.tensor2d(x, [chunk.length, T], "int32"), tf.tensor2d(y, [chunk.length, T], "int32")),
    );
    sum += readAndDispose(loss)[0] * chunk.length;
  }
  return sum / windows.length;
}
