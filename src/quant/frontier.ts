// The size-vs-perplexity frontier of notebook 06: one model quantised every way (RTN at 8/4/3
// bits, GPTQ at 4/3 bits, GGML Q8_0/Q4_0 and the k-quants Q4_K/Q6_K), each variant's perplexity measured from its
// dequantised weights, and the bytes its quantised matrices take. As in the GPTQ paper, the
// quantised weights are the transformer blocks' linear layers; embeddings, norms and the
// (tied) output layer stay fp32 in every variant and are reported once as `otherBytes`.
import { GGMLBlockType, GGMLType, dequantizeRow, ggmlRowBytes, quantizeRow, storedType } from "./ggml";
import { CapturingGPT, gptLogits, gptQuantTarget, restoreSnapshot, snapshotParams } from "./gpt-target";
import { perplexity } from "./perplexity";
import { gptqSequential, rtnAll } from "./sequential";

export const FRONTIER_KEYS = [
  "fp32",
  "rtn8",
  "rtn4",
  "rtn3",
  "gptq4",
  "gptq3",
  "q8_0",
  "q4_0",
  "q4_k",
  "q6_k",
] as const;
export type FrontierKey = (typeof FRONTIER_KEYS)[number];

export interface FrontierOptions {
  /** Calibration sequences for GPTQ (from the training split). */
  calibration: number[][];
  /** Held-out tokens for perplexity. */
  evalTokens: ArrayLike<number>;
  /** Perplexity window (default: the model's blockSize). */
  contextLength?: number;
  maxWindows?: number;
  /** Which variants to run (default all). */
  keys?: readonly FrontierKey[];
  signal?: AbortSignal;
  onProgress?(info: { variant: FrontierKey; stage: string }): void;
}

export interface FrontierResult {
  perplexity: Partial<Record<FrontierKey, number>>;
  bytes: Partial<Record<FrontierKey, number>>;
  /** fp32 bytes of the parameters that are not quantised (same in every variant). */
  otherBytes: number;
  seconds: Partial<Record<FrontierKey, number>>;
  /**
   * For the GGML variants: weights per type actually stored. K-quants need rows of 256, so a
   * model as narrow as ours keeps many matrices in llama.cpp's fallback (Q5_0 for Q4_K, Q8_0
   * for Q6_K), exactly as its GGUF file would.
   */
  storedAs: Partial<Record<FrontierKey, Partial<Record<GGMLType, number>>>>;
}

/**
 * Quantise the model's block linears in a GGML block format (rows along `in`) and back, each
 * matrix in the type its GGUF file would hold (storedType: k-quant fallbacks). Returns the
 * bytes, and the weights per stored type in `storedAs` when given.
 */
export function ggmlRoundTrip(
  model: CapturingGPT,
  type: GGMLBlockType,
  storedAs: Partial<Record<GGMLType, number>> = {},
): number {
  const target = gptQuantTarget(model, { calibration: [[0]] });
  let bytes = 0;
  for (const layers of target.steps) {
    for (const l of layers) {
      const w = l.getWeight();
      const t = storedType(type, l.cols);
      storedAs[t] = (storedAs[t] ?? 0) + w.length;
      if (t === "f32") {
        bytes += 4 * w.length;
        continue;
      }
      if (t === "f16") throw new Error("ggmlRoundTrip: f16 is not a block type"); // storedType never picks it
      l.setWeight(dequantizeRow(t, quantizeRow(t, w), w.length));
      bytes += l.rows * ggmlRowBytes(t, l.cols);
    }
  }
  return bytes;
}

const GGML_KEYS: readonly FrontierKey[] = ["q8_0", "q4_0", "q4_k", "q6_k"];

export async function quantisationFrontier(model: CapturingGPT, opts: FrontierOptions): Promise<FrontierResult> {
  const keys = opts.keys ?? FRONTIER_KEYS;
  const snap = snapshotParams(model);
  const target = gptQuantTarget(model, { calibration: opts.calibration });
  const linearNames = new Set(target.steps.flat().map((l) => l.name));
  let linearCount = 0;
  let otherBytes = 0;
  for (const [k, v] of snap) {
    if (linearNames.has(k)) linearCount += v.length;
    else otherBytes += 4 * v.length;
  }
  const res: FrontierResult = { perplexity: {}, bytes: {}, otherBytes, seconds: {}, storedAs: {} };
  const T = opts.contextLength ?? model.config.blockSize;
  try {
    for (const key of keys) {
      if (opts.signal?.aborted) break;
      const t0 = Date.now();
      restoreSnapshot(model, snap);
      opts.onProgress?.({ variant: key, stage: "quantise" });
      let bytes = 4 * linearCount;
      const bits = BITS[key] ?? 0;
      if (key.startsWith("rtn")) bytes = sum(rtnAll(target, { bits }).map((r) => r.bytes));
      else if (key.startsWith("gptq"))
        bytes = sum((await gptqSequential(target, { bits, signal: opts.signal })).map((r) => r.bytes));
      else if (GGML_KEYS.includes(key)) bytes = ggmlRoundTrip(model, key as GGMLBlockType, (res.storedAs[key] = {}));
      opts.onProgress?.({ variant: key, stage: "perplexity" });
      const p = await perplexity(gptLogits(model), opts.evalTokens, {
        contextLength: T,
        maxWindows: opts.maxWindows,
        signal: opts.signal,
      });
      res.perplexity[key] = p.perplexity;
      res.bytes[key] = bytes;
      res.seconds[key] = (Date.now() - t0) / 1000;
    }
  } finally {
    restoreSnapshot(model, snap); // the caller gets its fp32 model back
  }
  return res;
}

const BITS: Partial<Record<FrontierKey, number>> = { rtn8: 8, rtn4: 4, rtn3: 3, gptq4: 4, gptq3: 3 };
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
