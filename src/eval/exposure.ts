// Exposure (Carlini et al. 2019, "The Secret Sharer", sec. 4):
//   exposure(s[r]) = log2 |R| - log2 rank(s[r]),
// rank = |{r' in R : Px(s[r']) <= Px(s[r])}|, Px = log-perplexity = -log2 P(s). A secret the
// model has not seen sits mid-pack (exposure ~1); a memorised one ranks first (log2 |R|).
// Enumeration is exact when |R| is small; otherwise sec. 4.3's estimate: score a sample of R,
// fit a skew-normal to the log-perplexities, exposure ~ -log2 CDF(Px(s[r])).
import { CanaryFormat } from "./canary";
import { fitSkewNormal, SkewNormal, skewNormalCdf } from "./normal";
import { aleaRng } from "../model/rng";

/** Natural log-probability of a whole text under the model. */
export interface TextScorer {
  logProb(text: string): number | Promise<number>;
  /** Optional batched form (one forward pass for many texts); used when present. */
  logProbBatch?(texts: string[]): number[] | Promise<number[]>;
}

/** A TextScorer from a per-token scorer: log P(text) = sum of its tokens' log-probs. */
export function textScorerFrom(scorer: {
  tokenLogProbs(text: string): ArrayLike<number> | Promise<ArrayLike<number>>;
}): TextScorer {
  return {
    async logProb(text: string): Promise<number> {
      const lp = await scorer.tokenLogProbs(text);
      let s = 0;
      for (let i = 0; i < lp.length; i++) s += lp[i];
      return s;
    },
  };
}

export interface LoopOptions {
  signal?: AbortSignal;
  onProgress?(info: { done: number; total: number }): void;
}

export function exposureFromRank(rank: number, spaceSize: number): number {
  if (!(rank >= 1 && rank <= spaceSize))
    throw new RangeError(`exposureFromRank: rank must be in [1, ${spaceSize}], got ${rank}`);
  return Math.log2(spaceSize) - Math.log2(rank);
}

/**
 * rank = 1 + how many candidates have a lower log-perplexity than the secret, with ties at the
 * mid-rank: less + (equal + 1) / 2, `equal` counting the secret itself. Without ties this is the
 * paper's |{r' : Px(r') <= Px(secret)}|; with ties (a model that has learnt nothing about the
 * digits scores all candidates the same) the paper's "<=" would put the secret last, exposure 0,
 * where the mid-rank gives ~1 bit, the expected exposure of a secret the model never saw.
 */
export function rankOf(secretLogPerplexity: number, candidates: ArrayLike<number>, includesSecret = true): number {
  let less = 0;
  let equal = includesSecret ? 0 : 1;
  for (let i = 0; i < candidates.length; i++) {
    if (candidates[i] < secretLogPerplexity) less++;
    else if (candidates[i] === secretLogPerplexity) equal++;
  }
  return less + (equal + 1) / 2;
}

const log2Perplexity = async (scorer: TextScorer, text: string): Promise<number> =>
  -(await scorer.logProb(text)) / Math.LN2;

export interface ExposureResult {
  exposure: number;
  /** Exact rank (enumeration) or estimated rank |R| * CDF (extrapolation). */
  rank: number;
  spaceSize: number;
  secretLogPerplexity: number;
  method: "enumeration" | "skew-normal";
  /** Candidates scored. */
  scored: number;
  fit?: SkewNormal;
  /** Exposure from the secret's rank among itself and the samples (at most log2(samples + 1)). */
  empirical?: number;
}

/** Exact exposure: score every r' in R. Aborting throws, since a partial rank means nothing. */
export async function exposureByEnumeration(
  format: CanaryFormat,
  secret: number,
  scorer: TextScorer,
  opts: LoopOptions = {},
): Promise<ExposureResult> {
  const n = format.spaceSize;
  const px = new Float64Array(n);
  const batch = scorer.logProbBatch ? 256 : 1;
  for (let r = 0; r < n; r += batch) {
    if (opts.signal?.aborted) throw new Error(`exposureByEnumeration: aborted after ${r} of ${n} candidates`);
    const texts = Array.from({ length: Math.min(batch, n - r) }, (_, j) => format.render(r + j));
    const lps = scorer.logProbBatch ? await scorer.logProbBatch(texts) : [await scorer.logProb(texts[0])];
    if (lps.length !== texts.length)
      throw new Error(`exposureByEnumeration: logProbBatch returned ${lps.length} values for ${texts.length} texts`);
    lps.forEach((lp, j) => (px[r + j] = -lp / Math.LN2));
    if (Math.floor((r + texts.length) / 100) > Math.floor(r / 100))
      opts.onProgress?.({ done: r + texts.length, total: n });
  }
  const rank = rankOf(px[secret], px);
  return {
    exposure: exposureFromRank(rank, n),
    rank,
    spaceSize: n,
    secretLogPerplexity: px[secret],
    method: "enumeration",
    scored: n,
  };
}

/** Estimated exposure from `samples` random candidates (sec. 4.3, skew-normal extrapolation). */
export async function exposureByExtrapolation(
  format: CanaryFormat,
  secret: number,
  scorer: TextScorer,
  opts: LoopOptions & { samples?: number; seed?: number | string } = {},
): Promise<ExposureResult> {
  const m = opts.samples ?? 1000;
  const rng = aleaRng(opts.seed ?? 0);
  const secretPx = await log2Perplexity(scorer, format.render(secret));
  const px = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    if (opts.signal?.aborted) throw new Error(`exposureByExtrapolation: aborted after ${i} of ${m} samples`);
    px[i] = await log2Perplexity(scorer, format.render(rng.int(format.spaceSize)));
    if (i % 100 === 99) opts.onProgress?.({ done: i + 1, total: m });
  }
  const fit = fitSkewNormal(px);
  const n = format.spaceSize;
  // The rank is at least 1 (the secret itself), so the estimate never exceeds log2 |R|.
  const cdf = Math.max(skewNormalCdf(secretPx, fit), 1 / n);
  const empiricalRank = rankOf(secretPx, px, false);
  return {
    exposure: -Math.log2(cdf),
    rank: cdf * n,
    spaceSize: n,
    secretLogPerplexity: secretPx,
    method: "skew-normal",
    scored: m + 1,
    fit,
    empirical: Math.log2(m + 1) - Math.log2(empiricalRank),
  };
}
