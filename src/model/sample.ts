// Turning next-token logits into a token: temperature, top-k (Fan et al. 2018) and
// nucleus / top-p sampling (Holtzman et al. 2019). Done in plain JS on one row of logits:
// the vocabulary is small and the seeded Rng keeps samples reproducible.
import { Rng } from "./rng";

export interface SamplingOptions {
  /** Divides the logits; 0 means greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p. */
  topP?: number;
}

export function checkSampling(o: SamplingOptions): void {
  const { temperature = 1, topK, topP } = o;
  if (!(temperature >= 0) || !Number.isFinite(temperature))
    throw new Error(`sampling: temperature must be >= 0, got ${temperature}`);
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 1))
    throw new Error(`sampling: topK must be a positive integer, got ${topK}`);
  if (topP !== undefined && !(topP > 0 && topP <= 1)) throw new Error(`sampling: topP must be in (0, 1], got ${topP}`);
}

/** Probabilities after temperature, top-k and top-p filtering (zeros for removed tokens). */
export function samplingDistribution(logits: ArrayLike<number>, o: SamplingOptions = {}): Float64Array {
  checkSampling(o);
  const V = logits.length;
  const { temperature = 1, topK, topP } = o;
  const probs = new Float64Array(V);
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
    probs[best] = 1;
    return probs;
  }
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => logits[b] - logits[a]);
  const keep = Math.min(V, topK ?? V);
  const max = logits[order[0]] / temperature;
  let z = 0;
  for (let r = 0; r < keep; r++) z += probs[order[r]] = Math.exp(logits[order[r]] / temperature - max);
  for (let r = 0; r < keep; r++) probs[order[r]] /= z;
  if (topP !== undefined && topP < 1) {
    // Keep tokens while the mass *before* them is below p: the token that crosses p stays.
    let cum = 0;
    let kept = 0;
    for (let r = 0; r < keep; r++) {
      const pr = probs[order[r]];
      if (cum >= topP) probs[order[r]] = 0;
      else kept += pr;
      cum += pr;
    }
    for (let r = 0; r < keep; r++) probs[order[r]] /= kept;
  }
  return probs;
}

/** Draws one token id from the filtered distribution. */
export function sampleToken(logits: ArrayLike<number>, rng: Rng, o: SamplingOptions = {}): number {
  const probs = samplingDistribution(logits, o);
  const u = rng.uniform();
  let cum = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0) continue;
    last = i;
    cum += probs[i];
    if (u < cum) return i;
  }
  return last; // u within rounding of 1
}
