// Perplexity of a language model given only as a function tokens -> logits, so any model
// (fp32, RTN, GPTQ, GGML-dequantised) is measured the same way: the text is cut into
// non-overlapping windows of `contextLength` tokens (as GPTQ's evaluation does) and
// exp(mean negative log-likelihood of each next token) is returned.

/** Logits for every position: [tokens.length, vocab] row-major. */
export type LogitsFn = (tokens: number[]) => Float32Array | Promise<Float32Array>;

export interface PerplexityOptions {
  contextLength: number;
  /** Stop after this many windows (default: all). */
  maxWindows?: number;
  signal?: AbortSignal;
  onProgress?(info: { window: number; windows: number; nll: number }): void;
}

export interface PerplexityResult {
  perplexity: number;
  nll: number; // mean negative log-likelihood, nats per token
  tokens: number; // predictions scored
}

export async function perplexity(
  logits: LogitsFn,
  tokens: ArrayLike<number>,
  opts: PerplexityOptions,
): Promise<PerplexityResult> {
  const T = opts.contextLength;
  if (!Number.isInteger(T) || T < 2) throw new Error(`perplexity: contextLength must be an integer >= 2, got ${T}`);
  let windows = Math.floor(tokens.length / T);
  if (windows === 0) throw new Error(`perplexity: need at least contextLength = ${T} tokens, got ${tokens.length}`);
  if (opts.maxWindows !== undefined) windows = Math.min(windows, opts.maxWindows);
  let sum = 0;
  let count = 0;
  for (let w = 0; w < windows; w++) {
    if (opts.signal?.aborted) break;
    const win = Array.from({ length: T }, (_, i) => tokens[w * T + i]);
    const z = await logits(win);
    if (z.length % T !== 0)
      throw new Error(`perplexity: logits has ${z.length} values, not a multiple of the ${T} tokens given`);
    const V = z.length / T;
    for (let t = 0; t < T - 1; t++) {
      sum += crossEntropy(z, t * V, V, win[t + 1]);
      count++;
    }
    opts.onProgress?.({ window: w + 1, windows, nll: sum / count });
  }
  if (count === 0) throw new Error("perplexity: aborted before any window was scored");
  const nll = sum / count;
  return { perplexity: Math.exp(nll), nll, tokens: count };
}

/** -log softmax(z[o..o+V])[target], computed stably (log-sum-exp around the max). */
export function crossEntropy(z: ArrayLike<number>, o: number, V: number, target: number): number {
  if (!Number.isInteger(target) || target < 0 || target >= V)
    throw new Error(`crossEntropy: target ${target} is outside the vocabulary 0..${V - 1}`);
  let m = -Infinity;
  for (let v = 0; v < V; v++) m = Math.max(m, z[o + v]);
  let s = 0;
  for (let v = 0; v < V; v++) s += Math.exp(z[o + v] - m);
  return Math.log(s) + m - z[o + target];
}
