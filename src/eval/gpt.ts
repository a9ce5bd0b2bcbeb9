// Adapters from a trained GPT (src/model) to the model-agnostic interfaces of this step:
// a scorer (`tokenLogProbs`, `logProb`, `logProbBatch`) for perplexity, exposure and bias
// probes, and a `Sampler` for src/synthetic. Built only on the GPT's public API (forward,
// generate), so the model code stays unaware of evaluation.
//
// A causal LM predicts token j from the tokens before it, at most blockSize of them. A text
// longer than blockSize is scored with the strided sliding window of the Hugging Face
// perplexity guide: windows of at most blockSize inputs, each scoring the `stride` targets
// that follow the previous window's, the tokens before them serving as context. stride =
// blockSize (the default) means disjoint windows, as the trainer's eval loss sees the data;
// stride = 1 gives every token its longest possible context, at blockSize times the cost.
import * as tf from "@tensorflow/tfjs-core";
import type { GPT } from "../model/gpt";
import { generate } from "../model/generate";
import type { TokenScorer } from "./perplexity";
import type { TextScorer } from "./exposure";
import type { Sampler } from "../synthetic/sampler";
import type { SamplingSettings } from "../synthetic/provenance";

/** Text <-> token ids; the course's CharVocab and tokenizers fit. */
export interface Codec {
  encode(text: string): ArrayLike<number>;
  decode(ids: ArrayLike<number>): string;
}

export interface ScorerOptions {
  /**
   * Context put before every text and not scored; its tokens condition the first token of the
   * text. With "" (the default) nothing predicts the first token, so it is left out: the
   * log-probs cover tokens 2..n (say so when reporting bits per byte). Our char models are
   * trained on documents joined by "\n\n", so "\n" is the natural start-of-document context.
   */
  prefix?: string;
  /** Targets scored per window, 1..blockSize (default blockSize). */
  stride?: number;
  /** Windows per forward pass (default 64). */
  batchSize?: number;
}

/** Both scorer interfaces, synchronous: a GPT's forward pass needs no await. */
export interface GPTScorer extends TokenScorer, TextScorer {
  tokenLogProbs(text: string): Float32Array;
  logProb(text: string): number;
  logProbBatch(texts: string[]): number[];
  /** Per-token log-probs of many texts, windows of all of them batched together. */
  tokenLogProbsBatch(texts: readonly string[]): Float32Array[];
}

interface Window {
  text: number; // which text
  input: number[];
  targets: number[];
  /** First window position whose target is scored (earlier ones are context only). */
  from: number;
  /** Where the scored targets go in the text's output. */
  out: number;
}

/** The windows that score positions [first, seq.length) of seq (see the header). */
export function slidingWindows(
  seq: readonly number[],
  first: number,
  blockSize: number,
  stride: number,
): Omit<Window, "text">[] {
  if (!Number.isInteger(stride) || stride < 1 || stride > blockSize) {
    throw new RangeError(`slidingWindows: stride must be an integer in [1, blockSize = ${blockSize}], got ${stride}`);
  }
  const out: Omit<Window, "text">[] = [];
  for (let j0 = Math.max(first, 1); j0 < seq.length; j0 += stride) {
    const j1 = Math.min(j0 + stride, seq.length); // targets j0..j1-1
    const a = Math.max(0, j1 - 1 - blockSize); // inputs a..j1-2, at most blockSize of them
    out.push({
      input: seq.slice(a, j1 - 1),
      targets: seq.slice(a + 1, j1),
      from: j0 - a - 1,
      out: j0 - Math.max(first, 1),
    });
  }
  return out;
}

/** Runs windows of equal length through the model in batches; returns log p(target) per window position. */
function windowLogProbs(model: GPT, windows: readonly Window[], batchSize: number): Float32Array[] {
  const V = model.config.vocabSize;
  const result: Float32Array[] = new Array(windows.length);
  const byLength = new Map<number, number[]>();
  windows.forEach((w, i) => {
    const g = byLength.get(w.input.length);
    if (g) g.push(i);
    else byLength.set(w.input.length, [i]);
  });
  for (const [L, idx] of byLength) {
    for (let s = 0; s < idx.length; s += batchSize) {
      const part = idx.slice(s, s + batchSize);
      const B = part.length;
      const x = new Int32Array(B * L);
      const y = new Int32Array(B * L);
      part.forEach((wi, b) => {
        x.set(windows[wi].input, b * L);
        y.set(windows[wi].targets, b * L);
      });
      const picked = tf.tidy(() => {
        const logits = model.forward(tf.tensor2d(x, [B, L], "int32"));
        const logp = tf.logSoftmax(tf.reshape(logits, [B * L, V]));
        return tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(y, "int32"), V)), -1);
      });
      const flat = picked.dataSync() as Float32Array;
      picked.dispose();
      part.forEach((wi, b) => (result[wi] = flat.slice(b * L, (b + 1) * L)));
    }
  }
  return result;
}

/** A scorer over a trained GPT. Log-probs are natural logs. */
export function gptScorer(model: GPT, codec: Codec, opts: ScorerOptions = {}): GPTScorer {
  const T = model.config.blockSize;
  const stride = opts.stride ?? T;
  const batchSize = opts.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`gptScorer: batchSize must be a positive integer, got ${batchSize}`);
  const prefix = Array.from(codec.encode(opts.prefix ?? ""));
  slidingWindows([], 0, T, stride); // checks stride now, not at the first text
  const tokenLogProbsBatch = (texts: readonly string[]): Float32Array[] => {
    const windows: Window[] = [];
    const outs = texts.map((text, t) => {
      if (typeof text !== "string") throw new TypeError(`gptScorer: text ${t} is ${typeof text}, expected a string`);
      const seq = prefix.concat(Array.from(codec.encode(text)));
      const first = Math.max(prefix.length, 1);
      for (const w of slidingWindows(seq, first, T, stride)) windows.push({ ...w, text: t });
      return new Float32Array(Math.max(0, seq.length - first));
    });
    const lps = windowLogProbs(model, windows, batchSize);
    windows.forEach((w, i) => outs[w.text].set(lps[i].subarray(w.from), w.out));
    return outs;
  };
  const sum = (xs: Float32Array): number => xs.reduce((a, b) => a + b, 0);
  return {
    tokenLogProbs: (text) => tokenLogProbsBatch([text])[0],
    tokenLogProbsBatch,
    logProb: (text) => sum(tokenLogProbsBatch([text])[0]),
    logProbBatch: (texts) => tokenLogProbsBatch(texts).map(sum),
  };
}

/** Mean next-token loss (nats per token) of a GPT over texts: the eval loss, all tokens counted once. */
export function meanLoss(scorer: Pick<GPTScorer, "tokenLogProbsBatch">, texts: readonly string[]): number {
  let nll = 0;
  let n = 0;
  for (const lp of scorer.tokenLogProbsBatch(texts)) {
    for (const x of lp) nll -= x;
    n += lp.length;
  }
  if (n === 0) throw new RangeError("meanLoss: the texts hold no scored tokens");
  return nll / n;
}

export interface GPTSamplerOptions {
  /** Names the model in provenance tags, e.g. "tiny char GPT, step 300". */
  name: string;
  /** Used as the prompt when a prompt is empty (generate needs one token). Default "\n". */
  emptyPrompt?: string;
}

/**
 * A src/synthetic Sampler over a GPT: `settings` (temperature, topK, topP, maxTokens, seed,
 * stop) are the ones recorded in each example's provenance. Returns the completion only;
 * it ends before the first stop string.
 */
export function gptSampler(model: GPT, codec: Codec, opts: GPTSamplerOptions): Sampler {
  if (!opts.name) throw new RangeError("gptSampler: name must say which model this is (it goes into provenance)");
  return {
    name: opts.name,
    sample(prompt: string, settings: SamplingSettings): string {
      const ids = Array.from(codec.encode(prompt === "" ? (opts.emptyPrompt ?? "\n") : prompt));
      const stops = settings.stop ?? [];
      const stopper = new AbortController();
      let text = "";
      const cut = (s: string): number => Math.min(...stops.map((x) => (s.indexOf(x) < 0 ? Infinity : s.indexOf(x))));
      const seq = generate(model, ids, {
        maxNewTokens: settings.maxTokens ?? 128,
        temperature: settings.temperature,
        topK: settings.topK,
        topP: settings.topP,
        seed: settings.seed ?? 0,
        signal: stopper.signal,
        onToken: stops.length
          ? (t) => {
              text += codec.decode([t]);
              if (Number.isFinite(cut(text))) stopper.abort();
            }
          : undefined,
      });
      const completion = codec.decode(seq.slice(ids.length));
      const at = cut(completion);
      return Number.isFinite(at) ? completion.slice(0, at) : completion;
    },
  };
}
